package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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
