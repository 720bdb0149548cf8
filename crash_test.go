package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// editFixture is a database with an editor, an API token and claims to edit.
type editFixture struct {
	path   string
	token  string
	claims []int64
}

func newEditFixture(t *testing.T, nClaims int) editFixture {
	t.Helper()
	ctx := context.Background()
	fx := editFixture{path: filepath.Join(t.TempDir(), "factdesk.db")}
	db, err := store.Open(ctx, fx.path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ed *models.User
	ed, fx.token = newEditor(t, db)
	for i := range nClaims {
		c := &models.Claim{Text: fmt.Sprintf("Claim number %d has 23,000 words.", i), Kind: models.KindStatistic}
		if err := db.CreateClaim(ctx, c, ed); err != nil {
			t.Fatal(err)
		}
		fx.claims = append(fx.claims, c.ID)
	}
	return fx
}

// newEditor creates an editor in db and returns it with an API token of
// theirs, for a test that drives a server the way an integration does.
func newEditor(t *testing.T, db *store.DB) (*models.User, string) {
	t.Helper()
	ctx := context.Background()
	ed := &models.User{Email: "editor@factdesk.test", Name: "Editor", Role: models.RoleEditor}
	if err := db.CreateUser(ctx, ed, "a password long enough"); err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(ctx, ed.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return ed, token
}

// claimVersion reads "version" from a claim as the API returns it, bare or
// wrapped in {"claim": …}.
func claimVersion(body []byte) (int, bool) {
	var bare struct {
		Version int `json:"version"`
		Claim   *struct {
			Version int `json:"version"`
		} `json:"claim"`
	}
	if json.Unmarshal(body, &bare) != nil {
		return 0, false
	}
	if bare.Claim != nil {
		return bare.Claim.Version, bare.Claim.Version > 0
	}
	return bare.Version, bare.Version > 0
}

// patchClaim sends one edit of the claimant; ok is a 2xx with the new version.
func patchClaim(cl *http.Client, base, token string, id int64, version int, claimant string, body io.Reader) (newVersion int, status int, err error) {
	if body == nil {
		b, _ := json.Marshal(map[string]any{"version": version, "claimant": claimant})
		body = bytes.NewReader(b)
	}
	return sendClaimPatch(cl, base, token, id, body, -1)
}

// sendClaimPatch sends a PATCH of claim id with body, of length n when n is
// not -1 (the body is then sent as it comes), and reads the new version.
func sendClaimPatch(cl *http.Client, base, token string, id int64, body io.Reader, n int) (newVersion int, status int, err error) {
	req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/api/v1/claims/%d", base, id), body)
	if err != nil {
		return 0, 0, err
	}
	if n >= 0 {
		req.ContentLength = int64(n)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := cl.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return 0, resp.StatusCode, fmt.Errorf("PATCH claim %d: %d %s", id, resp.StatusCode, b)
	}
	v, ok := claimVersion(b)
	if !ok {
		return 0, resp.StatusCode, fmt.Errorf("PATCH claim %d: no version in %s", id, b)
	}
	return v, resp.StatusCode, nil
}

// acked is an edit the server acknowledged with a 2xx.
type acked struct {
	version  int
	claimant string
}

// TestCrashKeepsAcknowledgedEdits kills `factdesk serve` with SIGKILL 21 times, at
// random moments while clients stream edits, restarts it, and checks that
// every edit that got a 2xx is in the database with its revision, that the
// versions match, and that SQLite finds the file intact.
func TestCrashKeepsAcknowledgedEdits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server 21 times")
	}
	const kills, writers = 21, 4
	fx := newEditFixture(t, writers)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	version := map[int64]int{}
	for _, id := range fx.claims {
		version[id] = 1
	}
	history := map[int64][]acked{}
	total := 0
	for round := range kills {
		p := startProc(t, fx.path)
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w, id := range fx.claims {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl := &http.Client{Timeout: 10 * time.Second}
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					v := version[id]
					mu.Unlock()
					claimant := fmt.Sprintf("round %d writer %d edit %d", round, w, n)
					nv, status, err := patchClaim(cl, p.url, fx.token, id, v, claimant, nil)
					if err != nil {
						if status != 0 && status != http.StatusConflict {
							t.Errorf("claim %d: %v", id, err)
						}
						// The server is gone (or the edit's fate is unknown):
						// this writer stops until the next round.
						return
					}
					if nv != v+1 {
						t.Errorf("claim %d: edit of version %d gave version %d", id, v, nv)
						return
					}
					mu.Lock()
					version[id] = nv
					history[id] = append(history[id], acked{nv, claimant})
					total++
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(20+r.IntN(300)) * time.Millisecond)
		p.kill()
		close(stop)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		// An edit in flight at the kill may have been committed without its
		// answer: the next round starts from what the database holds.
		checkAfterCrash(t, fx, history, version)
	}
	if total < kills {
		t.Fatalf("only %d edits were acknowledged over %d rounds: the test did not exercise the server", total, kills)
	}
	t.Logf("%d kills, %d acknowledged edits, all kept", kills, total)
}

// checkAfterCrash opens the file as the server left it and checks it.
func checkAfterCrash(t *testing.T, fx editFixture, history map[int64][]acked, version map[int64]int) {
	t.Helper()
	ctx := context.Background()
	// Below the store: SQLite's own check of the file, with WAL recovery.
	raw, err := sql.Open("sqlite3", "file:"+fx.path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	var integrity string
	if err := raw.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if integrity != "ok" {
		t.Fatalf("integrity_check: %s", integrity)
	}
	db, err := store.Open(ctx, fx.path, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range fx.claims {
		c, err := db.GetClaim(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		h := history[id]
		if len(h) > 0 {
			last := h[len(h)-1]
			switch {
			case c.Version < last.version:
				t.Fatalf("claim %d: version %d in the database, but version %d was acknowledged", id, c.Version, last.version)
			case c.Version == last.version && c.Claimant != last.claimant:
				t.Fatalf("claim %d: claimant %q, acknowledged %q", id, c.Claimant, last.claimant)
			}
		}
		// version[id] is the last version this round's writer knew (acknowledged,
		// or found at the start of the round): only the edit in flight at the
		// kill may have landed past it.
		if c.Version > version[id]+1 {
			t.Fatalf("claim %d: version %d, more than one edit past the last known %d", id, c.Version, version[id])
		}
		revs, err := db.ListRevisions(ctx, store.RevisionFilter{Entity: models.EntityClaim, EntityID: id, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		// One revision for the creation and one per edit: the version is
		// the count, so no edit lost its revision or left one without it.
		if len(revs) != c.Version {
			t.Fatalf("claim %d at version %d has %d revisions", id, c.Version, len(revs))
		}
		// Revisions keep only the fields that changed, oldest first here:
		// the one at index v-1 made version v.
		sort.Slice(revs, func(i, j int) bool { return revs[i].ID < revs[j].ID })
		for _, a := range h {
			var after struct {
				Claimant *string `json:"claimant"`
			}
			if err := json.Unmarshal([]byte(revs[a.version-1].After), &after); err != nil {
				t.Fatalf("revision %d: %v", revs[a.version-1].ID, err)
			}
			if after.Claimant == nil || *after.Claimant != a.claimant {
				t.Fatalf("claim %d: the revision of acknowledged version %d is %s, want claimant %q", id, a.version, revs[a.version-1].After, a.claimant)
			}
		}
		version[id] = c.Version
	}
	if strings.TrimSpace(integrity) != "ok" {
		t.Fatal(integrity)
	}
}

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

	api := tokenClient(t, fx.token)
	flags := []string{"--fetch-allow", "127.0.0.1/32", "--job-timeout", "2s", "--job-workers", "2"}
	p := startProc(t, fx.path, flags...)
	var queued []jobState
	for i := range 4 {
		var out struct{ Job jobState }
		if code := api.do("POST", p.url, "/api/v1/documents", map[string]string{"url": fmt.Sprintf("%s/article/%d", site.URL, i)}, &out); code != http.StatusAccepted {
			t.Fatalf("import by URL: %d", code)
		}
		queued = append(queued, out.Job)
	}
	var pasted struct {
		ID        int64     `json:"id"`
		Detection *jobState `json:"detection"`
	}
	longText := strings.Repeat("The ministry said exports to China fell by 12 percent in 2024, according to customs data. ", 900)
	if code := api.do("POST", p.url, "/api/v1/documents", map[string]string{"title": "Long", "body": longText}, &pasted); code != http.StatusCreated || pasted.Detection == nil {
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
			api.do("GET", p.url, fmt.Sprintf("/api/v1/jobs/%d", j.ID), nil, &got)
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
			api.do("GET", p.url, fmt.Sprintf("/api/v1/jobs/%d", j.ID), nil, &got)
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
			api.do("GET", p.url, fmt.Sprintf("/api/v1/sources/%d/snapshots", id), nil, &out)
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
