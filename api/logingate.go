package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginGate is a per-process brake on sign-in attempts from one address,
// checked before any database read or password hash. The failure counts
// that decide a lockout live in the database (see login); this only stops a
// flood of concurrent attempts, which would all pass the database check
// before any of them failed and keep every core busy hashing.
type loginGate struct {
	mu     sync.Mutex
	byAddr map[string]*rate.Limiter
}

// A burst of 60 attempts, then one every two seconds.
const (
	loginGateBurst = 60
	loginGateEvery = 2 * time.Second
	loginGateMax   = 10000 // addresses remembered before the table is reset
)

func newLoginGate() *loginGate { return &loginGate{byAddr: map[string]*rate.Limiter{}} }

// allow reports whether addr may try now.
func (g *loginGate) allow(addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.byAddr[addr]
	if l == nil {
		if len(g.byAddr) >= loginGateMax {
			// Forgetting every address at once only lets a flood start again
			// from a full burst; the database limits still hold.
			clear(g.byAddr)
		}
		l = rate.NewLimiter(rate.Every(loginGateEvery), loginGateBurst)
		g.byAddr[addr] = l
	}
	return l.Allow()
}
