package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	healthy := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" || !healthy {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	if code, out, errOut := runCLI(t, "", "healthcheck", "--addr", addr); code != exitOK || out != "ok\n" {
		t.Fatalf("healthy server: %d %q %q", code, out, errOut)
	}
	healthy = false
	if code, _, errOut := runCLI(t, "", "healthcheck", "--addr", addr); code != exitFail || !strings.Contains(errOut, "503") {
		t.Fatalf("unhealthy server: %d %q", code, errOut)
	}
	srv.Close()
	if code, _, _ := runCLI(t, "", "healthcheck", "--addr", addr, "--timeout", "1s"); code != exitFail {
		t.Fatalf("no server: %d", code)
	}
	if code, _, _ := runCLI(t, "", "healthcheck", "--addr", "nonsense"); code != exitUsage {
		t.Fatalf("bad address: %d", code)
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"0.0.0.0:8080":   "http://127.0.0.1:8080/healthz",
		":9000":          "http://127.0.0.1:9000/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
		"10.0.0.5:8080":  "http://10.0.0.5:8080/healthz",
		"localhost:8080": "http://localhost:8080/healthz",
	} {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
