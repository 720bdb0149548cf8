package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/demo"
	"factdesk/models"
	"factdesk/server"
	"factdesk/store"
	"factdesk/store/storetest"
)

// readerFixture is a real server on a temporary SQLite database holding the
// demo document, as `factdesk serve` imports it, with the "23,000
// terrorists" claim published by two editors (one submits, the other
// approves) with a source.
type readerFixture struct {
	db       *store.DB
	path     string // the SQLite file, for a second replica
	srv      *httptest.Server
	url      string
	ed1, ed2 *models.User
	doc      *models.Document
	claims   []models.Claim // the demo document's listed claims, in order
	verdict  *models.Claim  // the published "23,000 terrorists" claim
}

const readerOrg = "Test Fact Desk"

func newReaderFixture(t testing.TB) *readerFixture {
	t.Helper()
	if storetest.Engine() != store.SQLite {
		// The reader's queries are tested on both engines in store; the
		// pages above them are the same, and the browser run is long.
		t.Skip("reader pages are tested on SQLite")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "factdesk.db")
	db := storetest.OpenPath(t, path)
	f := &readerFixture{db: db, path: path}
	claims, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	doc := demo.Document()
	if _, err := db.ImportOnce(ctx, demo.ImportKey, &doc, claims, demo.Summary); err != nil {
		t.Fatal(err)
	}
	f.doc = &doc
	page, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	f.claims = page.Claims
	f.ed1 = storetest.User(t, db, "first@example.org", models.RoleEditor)
	f.ed2 = storetest.User(t, db, "second@example.org", models.RoleEditor)
	for i := range f.claims {
		if strings.Contains(f.claims[i].Text, "23,000 terrorists") {
			f.verdict = &f.claims[i]
		}
	}
	if f.verdict == nil {
		t.Fatal("the demo has no 23,000 claim")
	}
	src := &models.Source{URL: "https://example.org/un-monitoring-report", Title: "UN Monitoring Team report", Publisher: "United Nations", Kind: models.SourceOfficial}
	f.addEvidence(t, f.verdict.ID, src, models.StanceContext, "estimates of foreign fighters vary widely")
	f.verdict = f.publish(t, f.verdict.ID, models.RatingMostlyFalse,
		"Russia's figure is **not supported** by the [UN monitoring team](https://example.org/un), whose estimates are far lower.")

	f.srv = httptest.NewUnstartedServer(nil)
	f.url = "http://" + f.srv.Listener.Addr().String()
	h, err := server.New(server.Config{DB: db, Logger: slog.New(slog.NewTextHandler(readerErrorLog{t}, &slog.HandlerOptions{Level: slog.LevelError})), BaseURL: f.url, OrgName: readerOrg})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = h
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

// publish takes an open claim through research, submission by the first
// editor and approval by the second.
func (f *readerFixture) publish(t testing.TB, id int64, r models.Rating, explanation string) *models.Claim {
	t.Helper()
	return storetest.Publish(t, f.db, id, r, explanation, f.ed1, f.ed2)
}

func (f *readerFixture) transition(t *testing.T, id int64, by *models.User, in models.TransitionInput) *models.Claim {
	t.Helper()
	c, err := storetest.Transition(context.Background(), f.db, id, in, by)
	if err != nil {
		t.Fatalf("%s claim %d: %v", in.Action, id, err)
	}
	return c
}

func (f *readerFixture) addEvidence(t testing.TB, claimID int64, src *models.Source, stance models.Stance, excerpt string) *store.EvidenceDetail {
	t.Helper()
	e, err := f.db.AddEvidence(context.Background(), &models.Evidence{ClaimID: claimID, Stance: stance, Excerpt: excerpt}, src, f.ed1)
	if err != nil {
		t.Fatalf("add evidence: %v", err)
	}
	return e
}

// get fetches path without following redirects.
func (f *readerFixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// mustGet fetches path and fails unless the status is want.
func (f *readerFixture) mustGet(t *testing.T, path string, want int) string {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, resp.StatusCode, want, readerExcerpt(body))
	}
	return body
}

func readerExcerpt(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// readerErrorLog shows the server's error log lines in the test's output.
type readerErrorLog struct{ t testing.TB }

func (w readerErrorLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
