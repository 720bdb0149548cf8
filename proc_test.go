package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// factdeskBinary builds the command once per test run.
func factdeskBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "factdesk-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "factdesk")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// freeAddr returns a 127.0.0.1 address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// A process of `factdesk serve` that a test can kill.
type serveProc struct {
	cmd    *exec.Cmd
	url    string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
	done   chan struct{}
}

// startProc starts the built binary on a free port over dbPath, with no demo
// document, and waits for /healthz.
func startProc(t *testing.T, dbPath string, flags ...string) *serveProc {
	t.Helper()
	return launch(t, dbPath, nil, append([]string{"--no-demo"}, flags...)...)
}

// startServe runs `factdesk serve` as a first start would, with env added to
// the environment, and waits until /healthz answers 200; stop interrupts it
// and waits for it to end.
func startServe(t *testing.T, dbPath string, env ...string) (addr string, stdout *bytes.Buffer, stop func()) {
	t.Helper()
	p := launch(t, dbPath, env)
	return strings.TrimPrefix(p.url, "http://"), p.stdout, func() {
		p.cmd.Process.Signal(os.Interrupt)
		<-p.done
	}
}

// launch starts `factdesk serve` on a free port over dbPath with flags, env
// added to the environment, and waits for /healthz. The process is killed at
// the end of the test if it still runs.
func launch(t *testing.T, dbPath string, env []string, flags ...string) *serveProc {
	t.Helper()
	addr := freeAddr(t)
	p := &serveProc{url: "http://" + addr, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(factdeskBinary(t), append([]string{"serve", "--addr", addr, "--database", dbPath, "--metrics-addr", "127.0.0.1:0"}, flags...)...)
	p.cmd.Env = append(os.Environ(), env...)
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
			t.Fatalf("serve exited: %s %s", p.stdout, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not become healthy: %s %s", p.stdout, p.stderr)
	return nil
}

func (p *serveProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// term sends SIGTERM and waits for the process to end, as long as a
// graceful shutdown may take.
func (p *serveProc) term(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop within 40s of SIGTERM")
	}
}

// apiClient speaks JSON to the API of the servers a test started, with an
// API token or as an editor's browser: a cookie jar and the session's CSRF
// token.
type apiClient struct {
	t     *testing.T
	http  *http.Client
	token string
	csrf  string
}

// tokenClient is an integration's client, with an API token.
func tokenClient(t *testing.T, token string) *apiClient {
	return &apiClient{t: t, http: http.DefaultClient, token: token}
}

// sessionClient is a browser's client whose cookies hold for every server
// the test started: they are ports of one host, and cookies do not depend on
// the port (replicas behind one site, say).
func sessionClient(t *testing.T) *apiClient {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return &apiClient{t: t, http: &http.Client{Jar: jar, Transport: tr}}
}

// do sends a JSON request to base+path and decodes a JSON answer into out
// (when not nil), returning the status.
func (c *apiClient) do(method, base, path string, body, out any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Errorf("%s %s: %d %q: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}
