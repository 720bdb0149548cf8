package web

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
	// waiting counts the requests of a round queued behind a running one.
	waiting int
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
	r.waiting++
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

// A stamp read is also remembered with the database's change generation
// (store.DB.Generation) taken before the read began. While the generation
// has not moved, nothing was written anywhere (by this process or, through
// PostgreSQL's notifications or SQLite's files, by any other), so the
// remembered stamp is still the database's and no query is needed: a
// viral verdict page costs no database work at all. Any write moves the
// generation, and the next request reads the stamp again. Across replicas
// the window is the time a notification takes to arrive, milliseconds.

// memo remembers stamps per key with the generation they are valid for.
type memo[V any] struct {
	mu    sync.Mutex
	items map[string]memoEntry[V]
}

type memoEntry[V any] struct {
	gen uint64
	v   V
}

// memoMax bounds the remembered stamps; past it the memo starts afresh.
const memoMax = 100000

func (m *memo[V]) get(key string, gen uint64) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.items[key]
	if !ok || e.gen != gen {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (m *memo[V]) put(key string, gen uint64, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil || len(m.items) >= memoMax {
		m.items = map[string]memoEntry[V]{}
	}
	m.items[key] = memoEntry[V]{gen: gen, v: v}
}

// remembered reads through c, skipping the read while the database's
// generation says nothing changed since the last one.
func remembered[V any](ctx context.Context, db *store.DB, m *memo[V], c *coalescer[V], key string, read func(context.Context) (V, error)) (V, error) {
	gen, tracked := db.Generation()
	if tracked {
		if v, ok := m.get(key, gen); ok {
			return v, nil
		}
	}
	v, err := c.do(ctx, key, read)
	if err == nil && tracked {
		m.put(key, gen, v)
	}
	return v, err
}

// Stamps reads the stamps of reader pages through coalescers and memos.
// Claim and document stamps come with the ETag of their page, computed
// once per read rather than on every request.
type Stamps struct {
	db        *store.DB
	etagOf    func(key, stamp string) string
	claims    *coalescer[ClaimState]
	documents *coalescer[DocumentState]
	site      *coalescer[store.SiteStamp]

	claimMemo    memo[ClaimState]
	documentMemo memo[DocumentState]
	siteMemo     memo[store.SiteStamp]
}

type ClaimState struct {
	store.ClaimStamp
	ETag string
}

type DocumentState struct {
	store.DocumentStamp
	ETag string
}

func NewStamps(db *store.DB, etagOf func(key, stamp string) string) *Stamps {
	return &Stamps{db: db, etagOf: etagOf, claims: newCoalescer[ClaimState](), documents: newCoalescer[DocumentState](), site: newCoalescer[store.SiteStamp]()}
}

func (s *Stamps) Claim(ctx context.Context, key string, id int64) (ClaimState, error) {
	return remembered(ctx, s.db, &s.claimMemo, s.claims, key, func(ctx context.Context) (ClaimState, error) {
		st, err := s.db.ClaimStamp(ctx, id)
		if err != nil {
			return ClaimState{}, err
		}
		return ClaimState{ClaimStamp: st, ETag: s.etagOf(key, st.Key())}, nil
	})
}

func (s *Stamps) Document(ctx context.Context, key string, id int64) (DocumentState, error) {
	return remembered(ctx, s.db, &s.documentMemo, s.documents, key, func(ctx context.Context) (DocumentState, error) {
		st, err := s.db.DocumentStamp(ctx, id)
		if err != nil {
			return DocumentState{}, err
		}
		return DocumentState{DocumentStamp: st, ETag: s.etagOf(key, st.Key())}, nil
	})
}

func (s *Stamps) Whole(ctx context.Context) (store.SiteStamp, error) {
	return remembered(ctx, s.db, &s.siteMemo, s.site, "site", s.db.SiteStamp)
}

// SiteStamp is the ETag and time of pages that depend on everything.
func (s *Server) SiteStamp(ctx context.Context, key string) (store.SiteStamp, string, error) {
	st, err := s.Reader.Stamps.Whole(ctx)
	if err != nil {
		return st, "", err
	}
	return st, s.Reader.ETagOf(key, st.Key()), nil
}
