package server_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
)

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
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			n := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, paths[n%len(paths)], nil)
				if tt.auth != "" {
					req.Header.Set("Authorization", tt.auth)
				}
				w := httptest.NewRecorder()
				e.Handler.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d %s", paths[n%len(paths)], w.Code, w.Body)
				}
				n++
			}
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
