package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// Body limits (the route files declare which guards what): JSON of
// ordinary records, JSON carrying a document body of up to
// models.MaxDocumentBytes (escaping can grow it by half), and a form
// carrying one (percent-encoding can triple it).
const (
	MaxJSONBody         = 1 << 20
	MaxDocumentJSONBody = 3 << 20
	MaxDocumentFormBody = 8 << 20
)

// strictTransport tells browsers to come back over HTTPS only; New uses it
// when the base URL is https. A year, without includeSubDomains: the
// newsroom's other hosts are not Factdesk's to decide.
func strictTransport(c *gin.Context) {
	c.Writer.Header()["Strict-Transport-Security"] = headerHSTS
	c.Next()
}

var headerHSTS = []string{"max-age=31536000"}

// requestIDs gives every request an ID: the caller's X-Request-ID when it
// is a sane one (a proxy's), else this server's random prefix and the
// request's number. It is sent back, put in every log line and shown with
// a 500. The ID correlates log lines; it grants nothing, so a counter
// behind a prefix unknown before the start is as good as random bytes, and
// costs no system call.
func (s *Server) requestIDs(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !saneRequestID(id) {
		var b [len(s.idPrefix) + 16]byte
		id = string(strconv.AppendUint(append(b[:0], s.idPrefix[:]...), s.idSeq.Add(1), 16))
	}
	c.Writer.Header()["X-Request-Id"] = []string{id}
	c.Next()
}

// newRequestIDPrefix is 16 random hex digits and a dash.
func newRequestIDPrefix() (p [17]byte) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	hex.Encode(p[:16], b[:])
	p[16] = '-'
	return p
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// RequestID is the ID of the request, "" outside the middleware. It is
// kept in the response header that carries it back, its one place: in
// gin's Keys it cost an anonymous request a map of its own.
func RequestID(c *gin.Context) string {
	if v := c.Writer.Header()["X-Request-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// accessLog writes one structured line per request. It names the route
// template, never the query string, and never a cookie, token, password or
// session: none of those belong in logs.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	elapsed := time.Since(start)
	// What the client got: the status written, unless the connection was
	// cut before it (the write timeout passed) or the client had left.
	status, got := c.Writer.Status(), ""
	switch {
	case s.Config.WriteTimeout > 0 && elapsed >= s.Config.WriteTimeout:
		status, got = 0, "nothing: the write timeout cut the connection"
	case c.GetBool(keyClientGone):
		status, got = 499, "nothing: the client closed the connection"
	}
	level := slog.LevelInfo
	if status >= 500 || status == 0 {
		level = slog.LevelError
	}
	ctx := c.Request.Context()
	h := s.Log.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	// The record goes to the handler directly: through the Logger, it would
	// also take the caller's program counter, a stack walk per request for
	// a source line nobody asks of an access log.
	r := slog.NewRecord(time.Now(), level, "request", 0)
	r.AddAttrs(
		slog.String("request_id", RequestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("client", s.ClientIP(c)),
	)
	if got != "" {
		r.AddAttrs(slog.String("client_got", got), slog.Int("status_written", c.Writer.Status()))
	}
	if c.GetBool(keyOverBudget) {
		r.AddAttrs(slog.Bool("over_budget", true))
	}
	if u := CurrentUser(c); u != nil {
		r.AddAttrs(slog.Int64("user_id", u.ID))
	}
	_ = h.Handle(ctx, r)
}

// ClientIP is c.ClientIP() without its parsing and allocations in the
// common case, where ClientIP returns the peer's address as it stands: no
// trusted proxy, and a TCP peer with an IPv4 address.
func (s *Server) ClientIP(c *gin.Context) string {
	if len(s.Config.TrustedProxies) == 0 {
		if host, _, err := net.SplitHostPort(c.Request.RemoteAddr); err == nil {
			if a, err := netip.ParseAddr(host); err == nil && a.Is4() {
				return host
			}
		}
	}
	return c.ClientIP()
}

// recoverPanics turns a panic in a handler into a clean 500 naming the
// request ID; the panic and its stack go to the log only.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v) // the server's own signal to drop the connection
		}
		s.Log.ErrorContext(c.Request.Context(), "panic", "request_id", RequestID(c), "route", c.FullPath(),
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			s.RespondError(c, models.Errorf(models.EINTERNAL, "panic"))
			return
		}
		c.Header("Content-Type", "text/plain; charset=utf-8")
		c.AbortWithStatus(http.StatusInternalServerError)
		_, _ = c.Writer.WriteString("Internal error. Quote request " + RequestID(c) + " when you report it.\n")
	}()
	c.Next()
}

// BodyLimit caps how much of a request body the handlers of a route group
// can read, declared with the routes it guards; reading past it fails with
// *http.MaxBytesError, which respondError turns into 413. Routes outside
// the groups (health, metrics, unknown paths) never read a body.
func BodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// NoRoute answers unknown API paths with the JSON error; other paths get
// the reader's not-found page when the reader routes set one.
func (s *Server) NoRoute(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") || s.NotFoundPage == nil {
		s.RespondError(c, models.Errorf(models.ENOTFOUND, "there is nothing at %s", c.Request.URL.Path))
		return
	}
	s.NotFoundPage(c)
}

func Itoa(n int64) string { return strconv.FormatInt(n, 10) }
