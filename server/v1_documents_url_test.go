package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/jobs/jobstest"
	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
)

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
			var out struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			r.Decode(t, &out)
			if out.Error.Code != "invalid" || out.Error.Fields[tc.field] == "" {
				t.Errorf("error %+v, want fields.%s", out.Error, tc.field)
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
