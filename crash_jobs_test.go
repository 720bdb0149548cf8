package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// slowSite serves articles and cited pages, each after a pause, so that a
// server fetching them is mid-job when it is killed. It counts requests.
type slowSite struct {
	*httptest.Server
	mu    sync.Mutex
	asked map[string]int
}

func newSlowSite(t *testing.T, pause time.Duration) *slowSite {
	page, err := os.ReadFile("intake/testdata/opengraph.html")
	if err != nil {
		t.Fatal(err)
	}
	s := &slowSite{asked: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.asked[r.URL.Path]++
		s.mu.Unlock()
		time.Sleep(pause)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case strings.HasPrefix(r.URL.Path, "/article/"):
			// Each article its own title, so each document is told apart.
			n := strings.TrimPrefix(r.URL.Path, "/article/")
			w.Write(bytes.ReplaceAll(page, []byte("Kabul’s power cuts deepen"), []byte("Kabul’s power cuts deepen, part "+n+",")))
		case strings.HasPrefix(r.URL.Path, "/source/"):
			fmt.Fprintf(w, "<!doctype html><title>Figures %s</title><p>Unemployment fell by 4 per cent.</p>", r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// api sends a request with the fixture's token and decodes the answer.
func apiCall(t *testing.T, base, token, method, path string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type jobState struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	State string `json:"state"`
	Error string `json:"error"`
}

// A server killed with SIGKILL while jobs are queued and running is
// started again and finishes every job, each effect once: one document per
// article and per pasted text, no proposal twice, every cited source
// archived once.
func TestJobsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server")
	}
	site := newSlowSite(t, 700*time.Millisecond)
	fx := newEditFixture(t, 0)
	ctx := context.Background()
	// Three cited sources wait for their copies.
	db, err := store.Open(ctx, fx.path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sources []int64
	for i := range 3 {
		s := &models.Source{URL: fmt.Sprintf("%s/source/%d", site.URL, i), Title: fmt.Sprintf("Figures %d", i), Kind: models.SourceNews}
		if err := db.CreateSource(ctx, s, nil); err != nil {
			t.Fatal(err)
		}
		sources = append(sources, s.ID)
	}
	db.Close()

	flags := []string{"--fetch-allow", "127.0.0.1/32", "--job-timeout", "2s", "--job-workers", "2"}
	p := startProc(t, fx.path, flags...)
	var queued []jobState
	for i := range 4 {
		var out struct{ Job jobState }
		if code := apiCall(t, p.url, fx.token, "POST", "/api/v1/documents", map[string]string{"url": fmt.Sprintf("%s/article/%d", site.URL, i)}, &out); code != http.StatusAccepted {
			t.Fatalf("import by URL: %d", code)
		}
		queued = append(queued, out.Job)
	}
	var pasted struct {
		ID        int64     `json:"id"`
		Detection *jobState `json:"detection"`
	}
	longText := strings.Repeat("The ministry said exports to China fell by 12 percent in 2024, according to customs data. ", 900)
	if code := apiCall(t, p.url, fx.token, "POST", "/api/v1/documents", map[string]string{"title": "Long", "body": longText}, &pasted); code != http.StatusCreated || pasted.Detection == nil {
		t.Fatalf("large paste: %d, detection %v", code, pasted.Detection)
	}
	queued = append(queued, *pasted.Detection)

	// Kill it once a job is running.
	deadline := time.Now().Add(30 * time.Second)
	for running := false; !running; {
		if time.Now().After(deadline) {
			t.Fatal("no job started running")
		}
		for _, j := range queued {
			var got jobState
			apiCall(t, p.url, fx.token, "GET", fmt.Sprintf("/api/v1/jobs/%d", j.ID), nil, &got)
			running = running || got.State == "running"
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.kill()
	var done int
	p = startProc(t, fx.path, flags...)
	deadline = time.Now().Add(2 * time.Minute)
	for done < len(queued) && time.Now().Before(deadline) {
		done = 0
		for _, j := range queued {
			var got jobState
			apiCall(t, p.url, fx.token, "GET", fmt.Sprintf("/api/v1/jobs/%d", j.ID), nil, &got)
			if got.State == "failed" {
				t.Fatalf("job %d (%s) failed after the restart: %s", j.ID, j.Kind, got.Error)
			}
			if got.State == "done" {
				done++
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if done < len(queued) {
		t.Fatalf("%d of %d jobs done two minutes after the restart", done, len(queued))
	}
	// The sweep copies the sources on start; wait for the copies.
	var copies map[int64]int
	for deadline = time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		copies = map[int64]int{}
		for _, id := range sources {
			var out struct {
				Snapshots []json.RawMessage `json:"snapshots"`
			}
			apiCall(t, p.url, fx.token, "GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", id), nil, &out)
			copies[id] = len(out.Snapshots)
		}
		if copies[sources[0]] > 0 && copies[sources[1]] > 0 && copies[sources[2]] > 0 {
			break
		}
	}
	p.kill()

	db = storetest.OpenPath(t, fx.path)
	docs, err := db.ListDocuments(ctx, store.DocumentFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]int{}
	for _, d := range docs {
		titles[d.Title]++
	}
	if len(docs) != 5 {
		t.Errorf("%d documents after the crash, want 4 articles and 1 pasted text: %v", len(docs), titles)
	}
	for title, n := range titles {
		if n != 1 {
			t.Errorf("%q stored %d times", title, n)
		}
	}
	claims, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: pasted.ID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	at := map[int]int{}
	for _, c := range claims.Claims {
		at[c.Start]++
		if at[c.Start] > 1 {
			t.Errorf("the proposal at %d is stored twice", c.Start)
		}
	}
	if len(claims.Claims) != store.DefaultMaxCandidates {
		t.Errorf("the pasted text has %d proposals, want the cap %d", len(claims.Claims), store.DefaultMaxCandidates)
	}
	for _, id := range sources {
		if copies[id] != 1 {
			t.Errorf("source %d has %d copies, want 1", id, copies[id])
		}
	}
	site.mu.Lock()
	t.Logf("requests to the site across the crash: %v", site.asked)
	site.mu.Unlock()
}
