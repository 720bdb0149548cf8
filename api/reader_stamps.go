package api

import (
	"context"
	"sync"
	"time"

	"factdesk/store"
)

// Every reader request validates its page against the database. Under
// load many requests for the same page arrive together; they share reads
// without ever seeing a state older than their own arrival: a request
// never joins a read that has already started (it may predate an edit the
// request must see), only the next one, which starts when the current one
// ends. So at most one read per page is in flight, and each read answers
// every request that came while the previous one ran.

// coalescer shares reads per key under that rule.
type coalescer[V any] struct {
	mu      sync.Mutex
	running map[string]*round[V]
}

// round is one read and the requests waiting for it.
type round[V any] struct {
	done chan struct{}
	v    V
	err  error
	next *round[V] // requests that arrived while this one ran
}

func newCoalescer[V any]() *coalescer[V] {
	return &coalescer[V]{running: map[string]*round[V]{}}
}

// stampTimeout bounds one shared read: it runs for several requests, so it
// is not bound to any one request's context.
const stampTimeout = 10 * time.Second

// do returns read's answer from a read that started after the call.
func (co *coalescer[V]) do(ctx context.Context, key string, read func(context.Context) (V, error)) (V, error) {
	co.mu.Lock()
	cur, busy := co.running[key]
	if !busy {
		r := &round[V]{done: make(chan struct{})}
		co.running[key] = r
		co.mu.Unlock()
		co.run(key, r, read)
		return r.v, r.err
	}
	if cur.next == nil {
		cur.next = &round[V]{done: make(chan struct{})}
	}
	r := cur.next
	co.mu.Unlock()
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// run performs round r, then starts the round queued behind it.
func (co *coalescer[V]) run(key string, r *round[V], read func(context.Context) (V, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), stampTimeout)
	r.v, r.err = read(ctx)
	cancel()
	co.mu.Lock()
	next := r.next
	if next != nil {
		co.running[key] = next
	} else {
		delete(co.running, key)
	}
	co.mu.Unlock()
	close(r.done)
	if next != nil {
		go co.run(key, next, read)
	}
}

// stamps reads the stamps of reader pages through coalescers.
type stamps struct {
	db        *store.DB
	claims    *coalescer[store.ClaimStamp]
	documents *coalescer[store.DocumentStamp]
	site      *coalescer[store.SiteStamp]
}

func newStamps(db *store.DB) *stamps {
	return &stamps{db: db, claims: newCoalescer[store.ClaimStamp](), documents: newCoalescer[store.DocumentStamp](), site: newCoalescer[store.SiteStamp]()}
}

func (s *stamps) claim(ctx context.Context, key string, id int64) (store.ClaimStamp, error) {
	return s.claims.do(ctx, key, func(ctx context.Context) (store.ClaimStamp, error) { return s.db.ClaimStamp(ctx, id) })
}

func (s *stamps) document(ctx context.Context, key string, id int64) (store.DocumentStamp, error) {
	return s.documents.do(ctx, key, func(ctx context.Context) (store.DocumentStamp, error) { return s.db.DocumentStamp(ctx, id) })
}

func (s *stamps) whole(ctx context.Context) (store.SiteStamp, error) {
	return s.site.do(ctx, "site", s.db.SiteStamp)
}
