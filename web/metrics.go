package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"factdesk/models"
	"factdesk/store"
)

// installMetrics counts every request by route template and status, and
// makes the handler of /metrics: them with the database's figures, in
// Prometheus format. Each Server has its own registry, so tests can build
// many servers. The figures are for the operator (claim counts by status,
// traffic of every desk route): the public handler serves them only to a
// bearer of Config.MetricsToken, else they are on MetricsHandler alone,
// which `factdesk serve` puts on its own loopback listener.
func (s *Server) installMetrics() {
	reg := prometheus.NewRegistry()
	m := newHTTPMetrics(reg)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&dbCollector{db: s.DB},
	)
	s.Engine.Use(m.middleware)
	s.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	s.Engine.GET("/metrics", s.metricsByToken)
}

// metricsByToken serves /metrics on the public handler to a bearer of the
// metrics token; to anyone else there is nothing there.
func (s *Server) metricsByToken(c *gin.Context) {
	want := s.Config.MetricsToken
	scheme, got, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	if want == "" || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) != 1 {
		s.RespondError(c, models.Errorf(models.ENOTFOUND, "there is nothing at /metrics"))
		return
	}
	s.metrics.ServeHTTP(c.Writer, c.Request)
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "factdesk_http_requests_total",
			Help: "HTTP requests served, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "factdesk_http_request_duration_seconds",
			Help: "Time to serve an HTTP request, by method, route template and status.",
			// From a cached page (tens of microseconds) to a slow search.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// middleware labels a request with gin's route template ("/claims/:id/:slug"),
// never the raw path: raw paths would make one series per claim, and an
// attacker could grow the registry without bound.
func (m *httpMetrics) middleware(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	method := c.Request.Method
	if !knownMethod(method) {
		method = "other"
	}
	status := strconv.Itoa(c.Writer.Status())
	m.requests.WithLabelValues(method, route, status).Inc()
	m.duration.WithLabelValues(method, route, status).Observe(time.Since(start).Seconds())
}

func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// dbCollector reads the connection pool and the claims by status at scrape
// time, so the figures are never stale and nothing runs between scrapes.
type dbCollector struct{ db *store.DB }

var (
	descOpen     = prometheus.NewDesc("factdesk_db_open_connections", "Open database connections.", nil, nil)
	descInUse    = prometheus.NewDesc("factdesk_db_in_use_connections", "Database connections in use.", nil, nil)
	descIdle     = prometheus.NewDesc("factdesk_db_idle_connections", "Idle database connections.", nil, nil)
	descMaxOpen  = prometheus.NewDesc("factdesk_db_max_open_connections", "Most open database connections allowed (0: no limit).", nil, nil)
	descWait     = prometheus.NewDesc("factdesk_db_wait_count_total", "Times a request waited for a database connection.", nil, nil)
	descWaitTime = prometheus.NewDesc("factdesk_db_wait_seconds_total", "Time spent waiting for a database connection.", nil, nil)
	descClaims   = prometheus.NewDesc("factdesk_claims", "Claims by workflow status.", []string{"status"}, nil)
	descScrapeOK = prometheus.NewDesc("factdesk_db_scrape_ok", "1 when the claims could be counted at this scrape.", nil, nil)
)

func (d *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{descOpen, descInUse, descIdle, descMaxOpen, descWait, descWaitTime, descClaims, descScrapeOK} {
		ch <- desc
	}
}

func (d *dbCollector) Collect(ch chan<- prometheus.Metric) {
	st := d.db.Stats()
	ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(st.OpenConnections))
	ch <- prometheus.MustNewConstMetric(descInUse, prometheus.GaugeValue, float64(st.InUse))
	ch <- prometheus.MustNewConstMetric(descIdle, prometheus.GaugeValue, float64(st.Idle))
	ch <- prometheus.MustNewConstMetric(descMaxOpen, prometheus.GaugeValue, float64(st.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(descWait, prometheus.CounterValue, float64(st.WaitCount))
	ch <- prometheus.MustNewConstMetric(descWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds())

	// A scrape must not hang on a locked database: a bounded wait, and the
	// failure shown as a figure rather than an error page.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := d.db.CountClaimsByStatus(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descScrapeOK, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descScrapeOK, prometheus.GaugeValue, 1)
	// Every status, zeros included, so a dashboard's series never vanish.
	for _, status := range models.Statuses {
		ch <- prometheus.MustNewConstMetric(descClaims, prometheus.GaugeValue, float64(counts[status]), string(status))
	}
}
