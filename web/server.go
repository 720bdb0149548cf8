// Package web is what Factdesk's three audiences share over HTTP: the gin
// engine and its middleware (request IDs, the access log, metrics, the
// request budget, sessions, tokens and CSRF), the error answers, the JSON
// views of records, the cache of public answers and the actions both the
// JSON API and the desk take. The audiences are packages of their own:
// api (the JSON API under /api/v1), desk (the editors' pages) and reader
// (the public pages); package server puts them together.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/fetch"
	"factdesk/frontend"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store"
)

// Config is what the server needs; nothing is read from globals.
type Config struct {
	DB      *store.DB
	Logger  *slog.Logger
	BaseURL string // public URL of the site, without a trailing slash
	OrgName string // the organisation named as the author of verdicts
	// HideBylines keeps verdict pages anonymous (no checker, no reviewer)
	// and serves no team page; by default both are shown.
	HideBylines bool
	// TrustedProxies are the addresses (or CIDR ranges) of the proxies whose
	// X-Forwarded-For is believed; none by default, so a caller cannot pick
	// the address its failed sign-ins are counted against.
	TrustedProxies []string
	// RequestTimeout is every request's budget (0: 55 s); keep it under the
	// server's WriteTimeout so the answer is written before the cut.
	RequestTimeout time.Duration
	// WriteTimeout is the http.Server's, when it has one: a request that
	// outlives it is logged as the cut connection the client saw.
	WriteTimeout time.Duration
	// SearchPerMinute limits anonymous searches per address that the cache
	// cannot answer (0: 30; negative: no limit).
	SearchPerMinute int
	// ReportsPerHour limits readers' reports (errors and suggestions) per
	// address (0: 5; negative: no limit).
	ReportsPerHour int
	// MetricsToken, when set, lets a bearer of it read /metrics on this
	// handler; without it /metrics is only on MetricsHandler.
	MetricsToken string
	// LoginLimits are the limits on failed sign-ins (login.go); the zero
	// value means the defaults.
	LoginLimits models.SignInLimits
	// Fetch is the configuration of every outbound HTTP request (archiving
	// sources, importing articles): fetch.Fetcher applies it.
	Fetch fetch.Config
	// Jobs is the job queue; nil opens one on DB that enqueues and reads
	// jobs but runs none.
	Jobs *jobs.Queue
	// ArchiveWake, when set, is called after a write that may leave a
	// source waiting for its archived copy (archive.Runner.Wake).
	ArchiveWake func()
}

// Server holds the dependencies of the handlers.
type Server struct {
	Config Config
	DB     *store.DB
	Log    *slog.Logger
	Engine *gin.Engine
	// NotFoundPage, when the reader routes set it, answers unknown paths
	// outside /api/; unknown API paths always get the JSON error.
	NotFoundPage gin.HandlerFunc
	// Reader renders and caches the reader pages and public answers.
	Reader *ReaderSite
	// loginGate brakes floods of sign-in attempts in this process.
	loginGate *loginGate
	// metrics serves the Prometheus figures (metrics.go).
	metrics http.Handler
	// SearchLimits bounds anonymous searches the cache cannot answer.
	SearchLimits *AddrLimiter
	// ReportLimits bounds readers' reports per address.
	ReportLimits *AddrLimiter
	// idPrefix and idSeq make the IDs of requests that come without one.
	idPrefix [17]byte
	idSeq    atomic.Uint64
}

// Metrics is the handler of the Prometheus figures, for a listener only
// the operator reaches.
func (s *Server) Metrics() http.Handler { return s.metrics }

// NewServer builds the engine with its middleware and no routes: each
// audience adds its own (package server does it in order).
func NewServer(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("web: no database")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultRequestTimeout
	}
	if cfg.Jobs == nil {
		q, err := jobs.Open(cfg.DB, nil, jobs.Config{InsertOnly: true})
		if err != nil {
			return nil, err
		}
		cfg.Jobs = q
	}
	if cfg.ReportsPerHour == 0 {
		cfg.ReportsPerHour = defaultReportsPerHour
	}
	if cfg.SearchPerMinute == 0 {
		cfg.SearchPerMinute = defaultSearchPerMinute
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Config: cfg, DB: cfg.DB, Log: cfg.Logger, Engine: gin.New(), loginGate: newLoginGate(),
		SearchLimits: perMinute(cfg.SearchPerMinute), ReportLimits: reportLimiter(cfg.ReportsPerHour), idPrefix: newRequestIDPrefix()}
	if err := s.Engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	r, err := frontend.New(frontend.Site{BaseURL: cfg.BaseURL, OrgName: cfg.OrgName, Bylines: !cfg.HideBylines})
	if err != nil {
		return nil, err
	}
	s.Reader = &ReaderSite{Render: r, Cache: NewPageCache(pageCacheBytes)}
	s.Reader.Stamps = NewStamps(s.DB, s.Reader.ETagOf)
	s.Engine.Use(s.requestIDs, s.accessLog)
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		s.Engine.Use(strictTransport)
	}
	s.installMetrics() // before the routes, so its middleware sees them all
	// Recovery inside the log and metrics, so a panic is counted as the 500 it becomes.
	// The budget outside recovery: a panic must not end the request's context
	// before the recovery answers it.
	s.Engine.Use(s.budget, s.recoverPanics, s.authenticate)
	return s, nil
}

// Healthz is 200 when the database answers.
func (s *Server) Healthz(c *gin.Context) {
	if err := s.DB.Ping(c.Request.Context()); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
