package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"factdesk/frontend"
	"factdesk/server"
	"factdesk/web"
)

// BenchmarkServedVerdict sends the published verdict page through the
// handler `factdesk serve` builds (its logger writing the access log to a
// file, the metrics middleware, the reader cache) one request at a time
// and without a network, so what the request costs the server is all that
// is measured: the path of the access log line and of the request metrics.
// The 304 is the cheapest request a reader makes, so there a per-request
// cost is the largest share it can be. cpu-ns/op is the process's CPU time
// (the garbage collector included) per request.
func BenchmarkServedVerdict(b *testing.B) {
	h, f := servedHandler(b, "http://factdesk.test")
	path := frontend.VerdictPath(f.verdict)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || etag == "" {
		b.Fatalf("GET %s: %d, ETag %q", path, w.Code, etag)
	}
	for _, tt := range []struct {
		name string
		etag string
		want int
	}{
		{"304", etag, http.StatusNotModified},
		{"200", "", http.StatusOK},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if tt.etag != "" {
					req.Header.Set("If-None-Match", tt.etag)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != tt.want {
					b.Fatalf("GET %s = %d", path, w.Code)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// servedHandler is the handler `factdesk serve` builds over the reader
// fixture's database, its logger writing the access log to a file.
func servedHandler(b *testing.B, baseURL string) (http.Handler, *readerFixture) {
	f := newReaderFixture(b)
	logFile, err := os.Create(filepath.Join(b.TempDir(), "access.log"))
	if err != nil {
		b.Fatal(err)
	}
	logger, closeLog := web.NewServerLogger(logFile)
	b.Cleanup(func() { closeLog(); logFile.Close() })
	h, err := server.New(server.Config{DB: f.db, Logger: logger, BaseURL: baseURL, OrgName: readerOrg})
	if err != nil {
		b.Fatal(err)
	}
	return h, f
}
