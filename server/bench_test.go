package server_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
	"factdesk/web"
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
		b.Run(tt.name, func(b *testing.B) { handlerLoad(b, h, []string{path}, "If-None-Match", tt.etag, tt.want) })
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

// BenchmarkAPIListClaims serves GET /api/v1/claims, 50 a page at random
// cursors and status filters as the load test asks, through the whole
// handler (middleware, list, JSON) without a network in between. The
// database is small: the store's own benchmark measures lists at size.
// cpu-ns/op is the process's CPU time per request.
func BenchmarkAPIListClaims(b *testing.B) {
	e := servertest.New(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	const claims = 1000
	text := strings.Repeat("The minister said unemployment fell by 4 percent last year. ", 3)
	for i := 0; i < claims; i++ {
		st := []models.Status{models.StatusOpen, models.StatusCandidate, models.StatusPublished}[i%3]
		c := &models.Claim{Text: fmt.Sprintf("%d %s", i, text), Claimant: "Speaker", Kind: models.KindStatistic, Status: st, Score: r.Float64()}
		if st == models.StatusPublished {
			c.Rating, c.Explanation = models.RatingMostlyFalse, strings.Repeat("The figure is for another year. ", 20)
		}
		if err := e.DB.CreateClaim(ctx, c, e.Editor); err != nil {
			b.Fatal(err)
		}
	}
	token := e.NewToken(servertest.EditorEmail, "bench").Token
	var paths []string
	for i := 0; i < 200; i++ {
		p := "/api/v1/claims?limit=50"
		if s := []string{"", "published", "candidate", "open"}[r.IntN(4)]; s != "" {
			p += "&status=" + s
		}
		if i%4 != 0 {
			p += "&cursor=" + base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "p%d", 1+r.IntN(claims/2)))
		}
		paths = append(paths, p)
	}
	for _, tt := range []struct {
		name, auth string
	}{
		{"Editor", "Bearer " + token},
		{"Anonymous", ""},
	} {
		b.Run(tt.name, func(b *testing.B) { handlerLoad(b, e.Handler, paths, "Authorization", tt.auth, http.StatusOK) })
	}
}

// handlerLoad sends GETs of paths in turn straight to h, without a network,
// each with the header name: value when value is not empty and each wanting
// status want, and reports the process's CPU time per request (the garbage
// collector included) besides allocations.
func handlerLoad(b *testing.B, h http.Handler, paths []string, name, value string, want int) {
	b.ReportAllocs()
	cpu0 := processCPU()
	n := 0
	for b.Loop() {
		path := paths[n%len(paths)]
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if value != "" {
			req.Header.Set(name, value)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
		}
		n++
	}
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
