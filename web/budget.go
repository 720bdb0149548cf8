package web

import (
	"context"
	"factdesk/models"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Budgets. Every request's database work ends at its deadline (the drivers
// interrupt the statement), and the request is answered 503 with
// Retry-After, never a 500 and never after the connection was cut: the
// deadline falls before the server's write timeout.
const (
	defaultRequestTimeout = 55 * time.Second
	// SearchTimeout bounds an anonymous search that the cache could not
	// answer; an editor's search has the whole request's budget.
	SearchTimeout = 3 * time.Second
	// defaultSearchPerMinute is how many anonymous searches one address
	// may make that the cache cannot answer, with a burst of as many.
	defaultSearchPerMinute = 30
	// MaxPublicSearchTerms is how many words an anonymous query may have:
	// each adds a doclist to intersect.
	MaxPublicSearchTerms = 8
)

// Keys of what the budget middleware records for the access log.
const (
	keyOverBudget = "factdesk.over_budget"
	keyClientGone = "factdesk.client_gone"
)

// budget gives the request its deadline and records, for the access log,
// whether it ran out or the client left first.
func (s *Server) budget(c *gin.Context) {
	parent := c.Request.Context()
	ctx, cancel := context.WithTimeout(parent, s.Config.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
	switch {
	case parent.Err() != nil:
		c.Set(keyClientGone, true)
	case ctx.Err() == context.DeadlineExceeded:
		c.Set(keyOverBudget, true)
	}
}

// AddrLimiter is a token bucket per client address, in this process: a
// replica limits what reaches it, which is what protects its CPU.
type AddrLimiter struct {
	mu     sync.Mutex
	every  rate.Limit
	burst  int
	byAddr map[string]*rate.Limiter
}

// addrLimiterMax is how many addresses are remembered before the table is
// reset; forgetting them all only gives each a full burst again.
const addrLimiterMax = 10000

// NewAddrLimiter lets each address a burst, then one every so often;
// rate.Inf lets everything through.
func NewAddrLimiter(every rate.Limit, burst int) *AddrLimiter {
	return &AddrLimiter{every: every, burst: burst, byAddr: map[string]*rate.Limiter{}}
}

// perMinute is n a minute with a burst of n; n < 0 is no limit.
func perMinute(n int) *AddrLimiter {
	if n < 0 {
		return NewAddrLimiter(rate.Inf, 0)
	}
	return NewAddrLimiter(rate.Limit(float64(n)/60), n)
}

// Allow reports whether addr may go on now and, if not, how long to wait.
func (l *AddrLimiter) Allow(addr string) (bool, time.Duration) {
	if l.every == rate.Inf {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.byAddr[addr]
	if lim == nil {
		if len(l.byAddr) >= addrLimiterMax {
			clear(l.byAddr)
		}
		lim = rate.NewLimiter(l.every, l.burst)
		l.byAddr[addr] = lim
	}
	r := lim.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return false, d
	}
	return true, 0
}

// RetrySeconds is d as a Retry-After value: whole seconds, at least one.
func RetrySeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// AllowSearch spends one of the address's searches, or says when to retry.
func (s *Server) AllowSearch(c *gin.Context) error {
	ok, wait := s.SearchLimits.Allow(s.ClientIP(c))
	if ok {
		return nil
	}
	c.Header("Retry-After", RetrySeconds(wait))
	return models.Errorf(models.ERATELIMITED, "too many searches from this address: try again in a few seconds")
}

// reportLimiter is reports per hour per address; n < 0 is no limit.
func reportLimiter(n int) *AddrLimiter {
	if n < 0 {
		return NewAddrLimiter(rate.Inf, 0)
	}
	return NewAddrLimiter(rate.Limit(float64(n)/3600), n)
}

// defaultReportsPerHour is how many reports one address may send an hour
// (both forms together), in a burst or spread out.
const defaultReportsPerHour = 5
