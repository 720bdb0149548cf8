package api_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/frontend"
)

// BenchmarkReaderVerdictPage serves one published verdict page to 50
// concurrent clients over real HTTP, as issue 8's load does, and reports
// requests per second. Each request validates against the database.
func BenchmarkReaderVerdictPage(b *testing.B) {
	f := newReaderFixture(b)
	url := f.url + frontend.VerdictPath(f.verdict)
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var failed atomic.Int64
	b.SetParallelism(25) // 25 × GOMAXPROCS goroutines: 50 on two cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				failed.Add(1)
				continue
			}
			var buf [32 << 10]byte
			for {
				if _, err := resp.Body.Read(buf[:]); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
}
