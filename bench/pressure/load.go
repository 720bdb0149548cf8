package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// stats are the answers and latencies of one workload.
type stats struct {
	name   string
	editor bool // counts for the verdict

	mu       sync.Mutex
	lat      []time.Duration
	codes    map[int]int
	failures []string // the first few requests that failed, for the report
	retried  int      // 409s answered by a re-read and a second PATCH that succeeded
}

func newStats(name string, editor bool) *stats {
	return &stats{name: name, editor: editor, codes: map[int]int{}}
}

func (s *stats) add(code int, d time.Duration, what string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat = append(s.lat, d)
	s.codes[code]++
	if (code == 0 || code >= 500 || (s.editor && code >= 300)) && len(s.failures) < 5 {
		msg := fmt.Sprintf("%s: %d after %v", what, code, d.Round(time.Millisecond))
		if err != nil {
			msg += ": " + err.Error()
		}
		s.failures = append(s.failures, msg)
	}
}

// conflict counts a 409 without calling it a failure: the caller retries.
func (s *stats) conflict(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat = append(s.lat, d)
	s.codes[http.StatusConflict]++
}

func (s *stats) fail(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) < 5 {
		s.failures = append(s.failures, msg)
	}
}

// summary is what the table shows of a workload.
type summary struct {
	name          string
	editor        bool
	n             int
	codes         map[int]int
	p50, p99, max time.Duration
	over, retried int
	failures      []string
	ok2xx, bad5xx int
	rps           float64
}

func (s *stats) summary(elapsed time.Duration) summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	out := summary{name: s.name, editor: s.editor, n: len(lat), codes: s.codes, p50: pct(0.50), p99: pct(0.99),
		retried: s.retried, failures: s.failures, rps: float64(len(lat)) / elapsed.Seconds()}
	if len(lat) > 0 {
		out.max = lat[len(lat)-1]
	}
	for _, d := range lat {
		if d > target {
			out.over++
		}
	}
	for code, n := range s.codes {
		switch {
		case code >= 200 && code < 300:
			out.ok2xx += n
		case code == 0 || code >= 500 && code != http.StatusServiceUnavailable:
			out.bad5xx += n
		}
	}
	return out
}

// results are the workloads of one timed run.
type results struct {
	elapsed   time.Duration
	workloads []summary
}

// pressure runs every workload at once for cfg.duration: the importer,
// the anonymous searchers, the editor's edits and the desk pages.
func pressure(base string, fx *fixture, cfg config) results {
	var (
		imports  = newStats(fmt.Sprintf("import a %s document (POST /api/v1/documents)", size(cfg.docSize)), false)
		apiFind  = newStats(fmt.Sprintf("anonymous API search, %d clients (GET /api/v1/search)", cfg.anon), false)
		pageFind = newStats(fmt.Sprintf("anonymous search page, %d clients (GET /search)", cfg.anon), false)
		reads    = newStats("editor: read the claim's version (GET /api/v1/claims/{id})", true)
		edits    = newStats("editor: PATCH /api/v1/claims/{id}", true)
		desk     = newStats("editor: desk pages (all four)", true)
		deskBy   = map[string]*stats{}
	)
	deskPaths := []string{"/desk", "/desk/claims", "/desk/documents", "/desk/claims/{id}"}
	for _, p := range deskPaths {
		deskBy[p] = newStats("editor: GET "+p, true)
	}
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	goLoop := func(f func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				f(i)
			}
		}()
	}

	importer := tokenClient(fx.token)
	goLoop(func(i int) {
		code, d, err := importDocument(importer, base, uint64(1_000_000+i), cfg.docSize)
		imports.add(code, d, fmt.Sprintf("import %d", i), err)
	})

	for w := 0; w < cfg.anon; w++ {
		anon := newClient(false)
		goLoop(func(i int) {
			q := queries[(w*5+i)%len(queries)]
			path, st := "/api/v1/search?q=", apiFind
			if i%2 == 1 {
				path, st = "/search?q=", pageFind
			}
			t0 := time.Now()
			code, err := anon.Do("GET", base+path+escape(q), nil, nil)
			st.add(code, time.Since(t0), path+q, err)
		})
	}

	editor := tokenClient(fx.token)
	goLoop(func(i int) {
		id := fx.claims[i%len(fx.claims)]
		u := fmt.Sprintf("%s/api/v1/claims/%d", base, id)
		version := func() (int, bool) {
			var c struct {
				Version int `json:"version"`
			}
			t0 := time.Now()
			code, err := editor.Do("GET", u, nil, &c)
			reads.add(code, time.Since(t0), fmt.Sprintf("GET claim %d", id), err)
			return c.Version, code == http.StatusOK
		}
		v, ok := version()
		if !ok {
			return
		}
		patch := func(v int) int {
			t0 := time.Now()
			code, err := editor.Do("PATCH", u, map[string]any{"version": v, "claimant": fmt.Sprintf("Pressure editor, edit %d", i)}, nil)
			d := time.Since(t0)
			if code == http.StatusConflict {
				// Someone else's edit came first: counted, and retried below.
				edits.conflict(d)
				return code
			}
			edits.add(code, d, fmt.Sprintf("PATCH claim %d", id), err)
			return code
		}
		if patch(v) == http.StatusConflict {
			if v, ok = version(); ok && patch(v) == http.StatusOK {
				edits.mu.Lock()
				edits.retried++
				edits.mu.Unlock()
			} else {
				edits.fail(fmt.Sprintf("PATCH claim %d: 409, and the retry did not succeed", id))
			}
		}
	})

	goLoop(func(i int) {
		p := deskPaths[i%len(deskPaths)]
		u := base + p
		if p == "/desk/claims/{id}" {
			u = fmt.Sprintf("%s/desk/claims/%d", base, fx.claims[(i/len(deskPaths))%len(fx.claims)])
		}
		t0 := time.Now()
		code, err := fx.editor.Do("GET", u, nil, nil)
		d := time.Since(t0)
		desk.add(code, d, "GET "+u[len(base):], err)
		deskBy[p].add(code, d, "GET "+u[len(base):], err)
	})

	wg.Wait()
	elapsed := time.Since(start)
	out := results{elapsed: elapsed}
	all := []*stats{imports, apiFind, pageFind, reads, edits, desk}
	for _, p := range deskPaths {
		all = append(all, deskBy[p])
	}
	for _, s := range all {
		out.workloads = append(out.workloads, s.summary(elapsed))
	}
	return out
}

// size is n bytes as the table says it: "1 MB", "100 KB".
func size(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
