package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// The two per-request pieces of the serve path alone, to weigh against the
// whole request (BenchmarkServedVerdict): the server logger's handling of
// one access log line, and the request metrics around an empty handler.

func BenchmarkAccessLogLine(b *testing.B) {
	log, closeLog := NewServerLogger(io.Discard)
	defer closeLog()
	h := log.Handler()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
		r.AddAttrs(slog.String("request_id", "0f3a9c1e77d2b4a8-1f"), slog.String("method", "GET"),
			slog.String("route", "/claims/:id/:slug"), slog.String("path", "/claims/7/the-army-counted-23000"),
			slog.Int("status", 304), slog.Int("bytes", 0), slog.Float64("duration_ms", 0.042), slog.String("client", "192.0.2.1"))
		_ = h.Handle(ctx, r)
	}
}

func BenchmarkRequestMetrics(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(newHTTPMetrics(prometheus.NewRegistry()).middleware)
	e.GET("/claims/:id/:slug", func(c *gin.Context) { c.Status(http.StatusNotModified) })
	req := httptest.NewRequest(http.MethodGet, "/claims/7/the-army-counted-23000", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		e.ServeHTTP(w, req)
	}
}
