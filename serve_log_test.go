package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop within 40s of SIGTERM")
	}
	if !strings.Contains(p.stderr.String(), `"request_id":"the-last-request"`) {
		t.Errorf("the last request is not in the log:\n%s", p.stderr)
	}
}
