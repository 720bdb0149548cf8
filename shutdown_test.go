package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/store"
)

// trickle is a request body sent slowly: the server has read the headers
// and is inside the handler, reading, when SIGTERM comes. Such a request
// is in flight beyond doubt.
type trickle struct {
	data  []byte
	chunk int
	pause time.Duration
	sent  int
}

func (tr *trickle) Read(p []byte) (int, error) {
	if tr.sent == len(tr.data) {
		return 0, io.EOF
	}
	if tr.sent > 0 {
		time.Sleep(tr.pause)
	}
	n := copy(p[:min(len(p), tr.chunk)], tr.data[tr.sent:])
	tr.sent += n
	return n, nil
}

// TestShutdownFinishesRequestsInFlight sends SIGTERM to `factdesk serve`
// while slow edits are half sent and other clients keep reading, and counts
// the requests in flight that failed: there must be none. The slow edits
// must be stored, and the server must exit cleanly.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	const slow, readers = 8, 8
	fx := newEditFixture(t, slow)
	p := startProc(t, fx.path)

	var wg sync.WaitGroup
	var inFlight, failed atomic.Int64
	var failures sync.Map
	// Slow edits: the body takes ~2 s to arrive; SIGTERM comes at 1.5 s.
	for i, id := range fx.claims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"version": 1, "claimant": fmt.Sprintf("slow edit %d", i)})
			tr := &trickle{data: body, chunk: max(1, len(body)/6), pause: 400 * time.Millisecond}
			inFlight.Add(1)
			cl := &http.Client{Timeout: 20 * time.Second}
			if _, _, err := sendClaimPatch(cl, p.url, fx.token, id, tr, len(body)); err != nil {
				failed.Add(1)
				failures.Store(fmt.Sprintf("slow edit of claim %d", id), err.Error())
			}
		}()
	}
	// Readers keep the server busy. A reader's request counts as in flight
	// when it was sent a full second before SIGTERM, so the server has
	// surely begun it. One sent just before may meet its keep-alive
	// connection being closed as idle, a race HTTP/1.1 leaves to clients to
	// retry; one sent after must be refused, as new work is.
	var sigterm atomic.Int64 // unix nanoseconds, 0 before the signal
	var readerReqs atomic.Int64
	stopReaders := make(chan struct{})
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &http.Client{Timeout: 20 * time.Second}
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				sent := time.Now()
				req, _ := http.NewRequest(http.MethodGet, p.url+"/api/v1/claims?limit=50", nil)
				req.Header.Set("Authorization", "Bearer "+fx.token)
				resp, err := cl.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				term := sigterm.Load()
				before := term == 0 || sent.UnixNano() < term-int64(time.Second)
				if !before {
					if err != nil {
						return // refused after the signal: expected
					}
					continue
				}
				readerReqs.Add(1)
				if term != 0 {
					inFlight.Add(1)
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
					msg := fmt.Sprint(err)
					if err == nil {
						msg = resp.Status
					}
					failures.Store(fmt.Sprintf("reader request sent %s before SIGTERM", time.Duration(term-sent.UnixNano())), msg)
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	sigterm.Store(time.Now().UnixNano())
	p.term(t)
	close(stopReaders)
	wg.Wait()
	failures.Range(func(k, v any) bool { t.Errorf("%s: %s", k, v); return true })
	t.Logf("in flight at SIGTERM: %d (of which %d slow edits), failed: %d; reader requests before it: %d", inFlight.Load(), slow, failed.Load(), readerReqs.Load())
	if failed.Load() != 0 {
		t.Fatalf("%d requests in flight failed", failed.Load())
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("serve exited with %d after SIGTERM: %s", code, p.stderr)
	}
	if !strings.Contains(p.stdout.String(), "stopped") {
		t.Errorf("serve did not say it stopped: %s", p.stdout)
	}
	// The slow edits are in the database.
	db, err := store.Open(context.Background(), fx.path, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, id := range fx.claims {
		c, err := db.GetClaim(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("slow edit %d", i); c.Version != 2 || c.Claimant != want {
			t.Errorf("claim %d: version %d claimant %q, want version 2 %q", id, c.Version, c.Claimant, want)
		}
	}
}

// TestServeCutsSlowHeaders checks the timeouts `factdesk serve` really
// runs with: a client that never finishes its headers is cut off after
// ReadHeaderTimeout (5 s), and the server keeps serving meanwhile.
func TestServeCutsSlowHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server's header timeout")
	}
	fx := newEditFixture(t, 1)
	p := startProc(t, fx.path)
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	// Others are served while the slow client waits.
	resp, err := http.Get(p.url + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz during a slow client: %v %v", resp, err)
	}
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	el := time.Since(start)
	if err == nil && !strings.Contains(string(buf[:n]), " 408 ") {
		t.Fatalf("the slow client got %q", buf[:n])
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server held a client without headers for %s", el)
	}
	if el < 4*time.Second || el > 10*time.Second {
		t.Fatalf("cut off after %s, want about the 5 s ReadHeaderTimeout", el)
	}
	t.Logf("a client without headers was cut off after %s", el.Round(time.Millisecond))
}

// `factdesk serve` buffers its log; a request answered just before
// SIGTERM still has its line in the log once the process has exited.
func TestServeWritesTheLogAtShutdown(t *testing.T) {
	p := startProc(t, filepath.Join(t.TempDir(), "log.db"))
	req, err := http.NewRequest(http.MethodGet, p.url+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Request-ID", "the-last-request")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	p.term(t)
	if !strings.Contains(p.stderr.String(), `"request_id":"the-last-request"`) {
		t.Errorf("the last request is not in the log:\n%s", p.stderr)
	}
}
