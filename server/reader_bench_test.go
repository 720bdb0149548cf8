package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"factdesk/frontend"
)

// The reader benchmarks load one published verdict page with 50 concurrent
// clients over real HTTP, as the bench's wrk load does: a full page (200)
// and a revalidation with its ETag (304). BenchmarkReaderBareNetHTTP serves
// the same bytes with the same validators from a bare net/http handler, the
// in-run stand-in for nginx, so a ratio compares figures of one run on one
// machine. Besides req/s each reports the CPU time of the whole process
// (clients included) per request.

// BenchmarkReaderVerdictPage is the full page. Each request validates
// against the database.
func BenchmarkReaderVerdictPage(b *testing.B) {
	url := servedVerdict(b)
	readerLoad(b, url, nil, http.StatusOK)
}

// BenchmarkReaderVerdictPage304 revalidates the page with the ETag the
// client already holds.
func BenchmarkReaderVerdictPage304(b *testing.B) {
	url := servedVerdict(b)
	readerLoad(b, url, http.Header{"If-None-Match": {etagOf(b, url)}}, http.StatusNotModified)
}

// BenchmarkReaderBareNetHTTP serves the bytes of the verdict page with its
// ETag, Last-Modified and Cache-Control and nothing else: no router, no
// middleware, no log.
func BenchmarkReaderBareNetHTTP(b *testing.B) {
	url := servedVerdict(b)
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	length := strconv.Itoa(len(body))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Etag"] = []string{etag}
		h["Last-Modified"] = []string{modified}
		h["Cache-Control"] = []string{"public, max-age=60, stale-while-revalidate=600"}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	b.Run("200", func(b *testing.B) { readerLoad(b, srv.URL, nil, http.StatusOK) })
	b.Run("304", func(b *testing.B) {
		readerLoad(b, srv.URL, http.Header{"If-None-Match": {etag}}, http.StatusNotModified)
	})
}

// servedVerdict starts a server over the reader fixture's database with
// the logger `factdesk serve` sets up, writing its access log to a file,
// and returns the URL of the published verdict page.
func servedVerdict(b *testing.B) string {
	srv := httptest.NewUnstartedServer(nil)
	h, f := servedHandler(b, "http://"+srv.Listener.Addr().String())
	srv.Config.Handler = h
	srv.Start()
	b.Cleanup(srv.Close)
	url := srv.URL + frontend.VerdictPath(f.verdict)
	etagOf(b, url) // the first view renders the page; the load measures the cached one
	return url
}

func etagOf(b *testing.B, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" {
		b.Fatalf("GET %s: %d, ETag %q", url, resp.StatusCode, etag)
	}
	return etag
}

// readerLoad requests url with header from 50 clients and fails on any
// answer but want.
func readerLoad(b *testing.B, url string, header http.Header, want int) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var failed atomic.Int64
	b.SetParallelism(25) // 25 × GOMAXPROCS goroutines: 50 on two cores
	cpu0 := processCPU()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var buf [32 << 10]byte
		for pb.Next() {
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				failed.Add(1)
				continue
			}
			req.Header = header.Clone()
			resp, err := client.Do(req)
			if err != nil {
				failed.Add(1)
				continue
			}
			for {
				if _, err := resp.Body.Read(buf[:]); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				failed.Add(1)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed", n, b.N)
	}
}

// processCPU is the user and system time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
