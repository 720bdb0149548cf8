package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/jobs/jobstest"
	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
	"factdesk/store"
)

// withDetection starts a server whose job queue runs claim detection and
// imports by URL (of public addresses only).
func withDetection(t *testing.T) *servertest.Env {
	t.Helper()
	return servertest.NewWith(t, servertest.Options{Config: func(cfg *server.Config) {
		k := jobs.NewKinds()
		jobs.Add(k, intake.NewDetectWorker(cfg.DB))
		jobs.Add(k, intake.NewWorker(cfg.DB, fetch.Config{})) // refuses 127.0.0.1
		cfg.Jobs = jobstest.Start(t, cfg.DB, k, jobs.Config{})
	}})
}

// dense is a text of about n bytes, a checkable sentence every 90.
func dense(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n-200; i++ {
		fmt.Fprintf(&b, "The ministry said exports to China fell by %d percent in %d, according to customs data. ", i%90+1, 1990+i%30)
		if i%12 == 11 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

type importAnswer struct {
	ID        int64     `json:"id"`
	Claims    []any     `json:"claims"`
	Detection *jobs.Job `json:"detection"`
}

// A 2 MB import answers at once and its detection, a job, stores its
// proposals in short transactions: editors' saves meanwhile all succeed,
// none waiting a second, and the proposals keep to the cap.
func TestLargeImportDoesNotBlockWrites(t *testing.T) {
	env := withDetection(t)
	ed := env.Login(servertest.EditorEmail)
	// Claims for two editors to keep saving.
	var small importAnswer
	ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Small", "body": body,
		"claims": []map[string]any{{"start": 0, "end": 10}, {"start": 20, "end": 30}}}).Decode(t, &small)
	var claimIDs []int64
	for _, c := range small.Claims {
		m := c.(map[string]any)
		if m["origin"] == "editor" || m["status"] == "open" {
			claimIDs = append(claimIDs, int64(m["id"].(float64)))
		}
	}
	if len(claimIDs) != 2 {
		t.Fatalf("claims to edit: %v", small.Claims)
	}

	big := dense(models.MaxDocumentBytes - 1000)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var slowest time.Duration
	saves, failed := 0, 0
	for i, id := range claimIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := env.Login(servertest.Editor2Email)
			if i == 0 {
				client = env.Login(servertest.EditorEmail)
			}
			version := 1
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				began := time.Now()
				r := client.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": version, "text": fmt.Sprintf("Edit %d of claim %d", n, id)})
				took := time.Since(began)
				mu.Lock()
				saves++
				slowest = max(slowest, took)
				if r.Status != http.StatusOK {
					failed++
					t.Errorf("save during the import: %d %s", r.Status, r.Body)
				}
				mu.Unlock()
				var c struct{ Version int }
				r.Decode(t, &c)
				version = c.Version
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	// Once both editors are saving, the import starts.
	for started := false; !started; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		started = saves >= 2
		mu.Unlock()
	}
	began := time.Now()
	r := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Large", "body": big})
	answered := time.Since(began)
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body[:min(len(r.Body), 300)])
	}
	var doc importAnswer
	r.Decode(t, &doc)
	if doc.Detection == nil || len(doc.Claims) != 0 {
		t.Fatalf("a large import answers with its detection job and no claims yet: job %v, %d claims", doc.Detection, len(doc.Claims))
	}
	job := waitJob(t, ed, doc.Detection.ID, jobs.Done)
	close(stop)
	wg.Wait()
	t.Logf("import answered in %v; detection took %v; %d saves meanwhile, the slowest %v", answered, time.Since(began)-answered, saves, slowest)
	if failed > 0 || saves < 10 {
		t.Errorf("%d of %d saves failed during the import", failed, saves)
	}
	if slowest > time.Second {
		t.Errorf("a save waited %v during the import, want under a second", slowest)
	}
	var result struct {
		Candidates     int `json:"candidates"`
		MoreCandidates int `json:"more_candidates"`
	}
	resultOf(t, job, &result)
	n, err := env.DB.CountClaims(context.Background(), models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusCandidate}})
	if err != nil || n != store.DefaultMaxCandidates || result.Candidates != store.DefaultMaxCandidates || result.MoreCandidates < 1000 {
		t.Errorf("%d candidates stored (%v), job says %+v; want the cap, %d, and the rest counted", n, err, result, store.DefaultMaxCandidates)
	}
	page := ed.Do("GET", fmt.Sprintf("/desk/documents/%d?job=%d", doc.ID, job.ID), nil)
	for _, want := range []string{fmt.Sprintf("%d more sentences scored above the threshold", result.MoreCandidates), "Propose more claims", "Claims proposed"} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("the desk's document page does not say %q", want)
		}
	}

	// Triage five; "Propose more claims" (a job) fills the cap again from
	// the sentences left out.
	list, err := env.DB.ListClaims(context.Background(), models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusCandidate}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Claims {
		if r := ed.Do("POST", fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "dismiss", "note": "not checkable", "version": c.Version}); r.Status != http.StatusOK {
			t.Fatalf("dismiss: %d %s", r.Status, r.Body)
		}
	}
	var more struct{ Job jobs.Job }
	ed.Do("POST", fmt.Sprintf("/api/v1/documents/%d/detect", doc.ID), nil).Decode(t, &more)
	resultOf(t, waitJob(t, ed, more.Job.ID, jobs.Done), &result)
	if n, _ := env.DB.CountClaims(context.Background(), models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusCandidate}}); n != store.DefaultMaxCandidates || result.Candidates != 5 {
		t.Errorf("after triaging five and proposing more: %d candidates, the job added %d; want the cap again, 5 added", n, result.Candidates)
	}

	// The same request again stores nothing and answers with the document.
	again := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Large", "body": big})
	var second importAnswer
	again.Decode(t, &second)
	if again.Status != http.StatusOK || second.ID != doc.ID || second.Detection != nil {
		t.Errorf("repeat: %d, document %d, job %v; want 200 with document %d", again.Status, second.ID, second.Detection, doc.ID)
	}
}

// An Idempotency-Key makes any import once; the key reused for another
// text is a conflict; a bad key is refused.
func TestImportIdempotencyKey(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	other := env.Login(servertest.Editor2Email)
	doc := map[string]any{"title": "Keyed", "body": body}
	tests := []struct {
		name   string
		client *servertest.Client
		body   map[string]any
		key    string
		status int
	}{
		{"first", ed, doc, "retry-1", http.StatusCreated},
		{"retried", ed, doc, "retry-1", http.StatusOK},
		{"another text under the key", ed, map[string]any{"title": "Other", "body": body + " More."}, "retry-1", http.StatusConflict},
		{"the same key of another editor", other, doc, "retry-1", http.StatusCreated},
		{"no key: a small text again is a new document", ed, doc, "", http.StatusCreated},
		{"a key with a space", ed, doc, "two words", http.StatusBadRequest},
	}
	ids := map[string]int64{}
	for _, tt := range tests {
		r := tt.client.Do("POST", "/api/v1/documents", tt.body, "Idempotency-Key", tt.key)
		if r.Status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, r.Status, r.Body, tt.status)
			continue
		}
		var d importAnswer
		r.Decode(t, &d)
		ids[tt.name] = d.ID
	}
	if ids["retried"] != ids["first"] || ids["the same key of another editor"] == ids["first"] {
		t.Errorf("documents: %v", ids)
	}
}

// waitJob waits until a job is settled (settled) in the final state want.
func waitJob(t *testing.T, c *servertest.Client, id int64, want jobs.State) *jobs.Job {
	t.Helper()
	j := settled(t, c, id)
	if j.State != want {
		t.Fatalf("job %d is %s (%s), want %s", id, j.State, j.Error, want)
	}
	return &j
}

func resultOf(t *testing.T, j *jobs.Job, v any) {
	t.Helper()
	if err := json.Unmarshal(j.Result, v); err != nil {
		t.Fatalf("result of job %d: %s: %v", j.ID, j.Result, err)
	}
}

// TestPostDocumentURLRefuses: an import by URL is checked before anything
// is queued: an address no fetch could take, or metadata the page is to
// give, is 400 with the field; nothing is stored.
func TestPostDocumentURLRefuses(t *testing.T) {
	e := servertest.New(t)
	c := e.SignedIn(e.Editor)
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"NotHTTP", map[string]any{"url": "javascript:alert(1)"}, "url"},
		{"NoHost", map[string]any{"url": "https://"}, "url"},
		{"Title", map[string]any{"url": "https://news.example/a", "title": "Mine"}, "title"},
		{"Claims", map[string]any{"url": "https://news.example/a", "claims": []map[string]any{{"start": 0, "end": 3}}}, "claims"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Do("POST", "/api/v1/documents", tc.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d %s, want 400", r.Status, r.Body)
			}
			if r.ErrorCode() != "invalid" || r.ErrorFields()[tc.field] == "" {
				t.Errorf("error %s, want invalid with fields.%s", r.Body, tc.field)
			}
		})
	}
	if n, _ := e.DB.CountDocuments(t.Context()); n != 0 {
		t.Errorf("%d documents stored", n)
	}
}

// articleEnv is a server whose job queue runs imports by URL, and a
// publisher on 127.0.0.1 that the fetcher is allowed to reach.
func articleEnv(t *testing.T) (*servertest.Env, *httptest.Server) {
	t.Helper()
	page, err := os.ReadFile("../intake/testdata/jsonld.html")
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/story" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	t.Cleanup(site.Close)
	e := servertest.NewWith(t, servertest.Options{Config: func(c *server.Config) {
		kinds := jobs.NewKinds()
		jobs.Add(kinds, intake.NewWorker(c.DB, fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
		c.Jobs = jobstest.Start(t, c.DB, kinds, jobs.Config{})
	}})
	return e, site
}

// settled waits for a job to be done or failed and returns it.
func settled(t *testing.T, c *servertest.Client, id int64) jobs.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var j jobs.Job
		r := c.Do("GET", fmt.Sprintf("/api/v1/jobs/%d", id), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET job: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &j)
		if j.State == jobs.Done || j.State == jobs.Failed || time.Now().After(deadline) {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPostDocumentURL: an import by URL answers 202 with its job at once;
// the job, done, names a document whose body, structure and metadata are
// the page's; a page that gives none fails its job with the reason and
// stores nothing.
func TestPostDocumentURL(t *testing.T) {
	e, site := articleEnv(t)
	c := e.SignedIn(e.Editor)

	r := c.Do("POST", "/api/v1/documents", map[string]any{"url": site.URL + "/story"})
	if r.Status != http.StatusAccepted {
		t.Fatalf("POST: %d %s, want 202", r.Status, r.Body)
	}
	var out struct{ Job jobs.Job }
	r.Decode(t, &out)
	if out.Job.Kind != intake.JobKind || r.Header.Get("Location") != fmt.Sprintf("/api/v1/jobs/%d", out.Job.ID) {
		t.Fatalf("job %+v at %s", out.Job, r.Header.Get("Location"))
	}
	j := settled(t, c, out.Job.ID)
	id := j.ResultID("document_id")
	if j.State != jobs.Done || id == 0 {
		t.Fatalf("job %+v, want done with a document", j)
	}
	var d models.Document
	r = c.Do("GET", fmt.Sprintf("/api/v1/documents/%d", id), nil)
	r.Decode(t, &d)
	if d.Title != "Water tables fall across the Indus basin" || d.Author != "Ayesha Rahman, Tomás Núñez" || d.Publisher != "The Lahore Ledger" ||
		d.URL != "https://ledger.example/2025/10/31/indus-water-tables" || d.Language != "en-GB" ||
		!strings.Contains(d.Body, "\n## What the satellites measure\n") || !strings.Contains(d.Body, "\n> “We are mining water") || strings.Contains(d.Body, "COMMENT") {
		t.Errorf("imported %+v", d)
	}

	r = c.Do("POST", "/api/v1/documents", map[string]any{"url": site.URL + "/gone"})
	if r.Status != http.StatusAccepted {
		t.Fatalf("POST: %d %s, want 202", r.Status, r.Body)
	}
	r.Decode(t, &out)
	j = settled(t, c, out.Job.ID)
	if j.State != jobs.Failed || !strings.Contains(j.Error, "http_status") || !strings.Contains(j.Error, "404") || j.Attempts != 1 {
		t.Errorf("job %+v, want failed at once with the 404", j)
	}
	if n, _ := e.DB.CountDocuments(t.Context()); n != 1 {
		t.Errorf("%d documents, want the one import that worked", n)
	}
}

// TestDeskFetchForm: the desk's "From a web address" queues the import and
// shows its job on the import page, then a link to the document; a bad
// address is shown on the form again, nothing queued.
func TestDeskFetchForm(t *testing.T) {
	e, site := articleEnv(t)
	de := &deskEnv{Env: e, db: e.DB, admin: e.Admin, ed1: e.Editor, ed2: e.Editor2}
	c := de.signIn(t, e.Editor)

	res, page := c.post("/desk/documents/fetch", url.Values{"csrf_token": {c.csrf()}, "import_url": {"ftp://files.example/a"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "must be an http or https URL") {
		t.Errorf("bad address: %d, the form does not say why", res.StatusCode)
	}
	res, _ = c.post("/desk/documents/fetch", url.Values{"csrf_token": {c.csrf()}, "import_url": {site.URL + "/story"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk/documents/new?job=") {
		t.Fatalf("fetch: %d to %q", res.StatusCode, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/desk/documents/new?job="), 10, 64)
	j := settled(t, e.SignedIn(e.Editor), id)
	_, page = c.get(loc)
	want := fmt.Sprintf(`href="/desk/documents/%d"`, j.ResultID("document_id"))
	if j.State != jobs.Done || !strings.Contains(page, `data-state="done"`) || !strings.Contains(page, want) {
		t.Errorf("job %+v; the import page does not link the document (%s)", j, want)
	}
	res, _ = c.get("/desk/documents/new?job=999999")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown job: %d, want 404", res.StatusCode)
	}
}
