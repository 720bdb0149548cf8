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
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
)

// A process of `factdesk serve` that a test can kill.
type serveProc struct {
	cmd    *exec.Cmd
	url    string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
	done   chan struct{}
}

// startProc starts the built binary on a free port over dbPath and waits
// for /healthz.
func startProc(t *testing.T, dbPath string, flags ...string) *serveProc {
	t.Helper()
	addr := freeAddr(t)
	p := &serveProc{url: "http://" + addr, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(factdeskBinary(t), append([]string{"serve", "--addr", addr, "--database", dbPath, "--no-demo", "--metrics-addr", "127.0.0.1:0"}, flags...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited: %s", p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not become healthy: %s", p.stderr)
	return nil
}

func (p *serveProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

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
