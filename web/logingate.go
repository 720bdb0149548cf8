package web

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginGate is a per-process brake on sign-in attempts from one address,
// checked before any database read or password hash. The failure counts
// that decide a lockout live in the database (see login); this only stops a
// flood of concurrent attempts, which would all pass the database check
// before any of them failed and keep every core busy hashing.
//
// It also lets one attempt at a time be checked for one account from one
// address (see claim), so that a burst of concurrent guesses cannot all be
// let in by the same count before any of them has been recorded.
type loginGate struct {
	floods   *AddrLimiter
	mu       sync.Mutex
	checking map[string]chan struct{} // pairs with an attempt being checked, closed when it ends
}

// A burst of 60 attempts, then one every two seconds.
const (
	loginGateBurst = 60
	loginGateEvery = 2 * time.Second
	loginClaimWait = 5 * time.Second // the longest wait for the attempt before of the same pair
)

func newLoginGate() *loginGate {
	return &loginGate{floods: NewAddrLimiter(rate.Every(loginGateEvery), loginGateBurst), checking: map[string]chan struct{}{}}
}

// Allow reports whether addr may try now. Forgetting addresses (see
// addrLimiter) only lets a flood start again from a full burst; the
// database limits still hold.
func (g *loginGate) Allow(addr string) bool {
	ok, _ := g.floods.Allow(addr)
	return ok
}

// claim waits until no other attempt of the pair key is being checked in
// this process, at most loginClaimWait (or until ctx ends), and reports
// whether it may be checked now; release must follow a successful claim.
// Waiting, not refusing, keeps a double-clicked sign-in working.
func (g *loginGate) claim(ctx context.Context, key string) bool {
	timer := time.NewTimer(loginClaimWait)
	defer timer.Stop()
	for {
		g.mu.Lock()
		busy, ok := g.checking[key]
		if !ok {
			g.checking[key] = make(chan struct{})
			g.mu.Unlock()
			return true
		}
		g.mu.Unlock()
		select {
		case <-busy:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (g *loginGate) release(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if busy, ok := g.checking[key]; ok {
		close(busy)
		delete(g.checking, key)
	}
}
