package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"factdesk/demo"
	"factdesk/extract"
	"factdesk/models"
	"factdesk/store"
)

// env is what every phase shares.
type env struct {
	ctx      context.Context
	wrk      string
	dir      string
	duration time.Duration
	rounds   int
	out      *report
	misses   []miss
	// inProcess adds store.Search timed in this process to the search phase.
	inProcess bool
}

func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// pair runs the same load against Factdesk and nginx, alternating, rounds
// times, and keeps the median round of each: these machines are noisy.
func (e *env) pair(fd, ng load) (fdRes, ngRes result, err error) {
	var fds, ngs []result
	for i := 0; i < e.rounds; i++ {
		r, err := runWrk(e.ctx, e.wrk, e.dir, ng)
		if err != nil {
			return result{}, result{}, err
		}
		ngs = append(ngs, r)
		r, err = runWrk(e.ctx, e.wrk, e.dir, fd)
		if err != nil {
			return result{}, result{}, err
		}
		fds = append(fds, r)
	}
	return median(fds), median(ngs), nil
}

func median(rs []result) result {
	sort.Slice(rs, func(i, j int) bool { return rs[i].RPS < rs[j].RPS })
	return rs[len(rs)/2]
}

// verdictPhase: the verdict page from Factdesk and the same bytes from
// nginx, cold and warm, and the 304 path.
func (e *env) verdictPhase(fd *server, fx *fixture, ngBin string) error {
	c := newClient(fd.URL, "")
	path := fmt.Sprintf("/claims/%d/%s", fx.Verdict.ID, models.Slug(fx.Verdict.Text))

	// Cold: the first view of each of many verdicts right after a start,
	// one client, so each figure is a render, not a queue.
	var cold []time.Duration
	var coldErr string
	for i, id := range fx.Published {
		if i == 200 {
			break
		}
		p := fmt.Sprintf("/claims/%d/%s", id, models.Slug(fx.Texts[id]))
		t := time.Now()
		st, _, _, err := c.do("GET", p, nil, nil)
		if err != nil || st != http.StatusOK {
			coldErr = fmt.Sprintf("GET %s: %d %v", p, st, err)
			break
		}
		cold = append(cold, time.Since(t))
	}
	st, hdr, page, err := c.do("GET", path, nil, nil)
	if err != nil || st != http.StatusOK {
		e.out.add(row{Name: "verdict page", Note: fmt.Sprintf("not measured: GET %s answered %d %v (reader pages not there yet?)", path, st, err)})
		return nil
	}
	if coldErr == "" && len(cold) > 0 {
		p50, p99 := percentiles(cold)
		e.out.add(row{Name: "verdict page, cold (first view of each of " + fmt.Sprint(len(cold)) + " verdicts, 1 client)",
			Factdesk: fmt.Sprintf("p50 %s, p99 %s", ms(p50), ms(p99)), Note: "a render per view: the cache is empty after a start"})
	} else if coldErr != "" {
		e.out.add(row{Name: "verdict page, cold", Note: "not measured: " + coldErr})
	}
	etag := hdr.Get("ETag")

	// The static copy: the same bytes under the same path.
	root := filepath.Join(e.dir, "www")
	file := filepath.Join(root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(file, page, 0o644); err != nil {
		return err
	}
	ng, err := startNginx(ngBin, filepath.Join(e.dir, "nginx"), root)
	if err != nil {
		return err
	}
	defer ng.Stop()
	_, nhdr, _, err := newClient(ng.URL, "").do("GET", path, nil, nil)
	if err != nil {
		return err
	}
	nEtag := nhdr.Get("ETag")

	fdLoad := load{Name: "factdesk-page", BaseURL: fd.URL, Paths: []string{path}, Connections: 50, Duration: e.duration, PIDs: func() []int { return []int{fd.PID()} }}
	ngLoad := load{Name: "nginx-page", BaseURL: ng.URL, Paths: []string{path}, Connections: 50, Duration: e.duration, PIDs: ng.PIDs}
	e.logf("verdict page: nginx vs factdesk, 50 connections, %d rounds of %s", e.rounds, e.duration)
	f, n, err := e.pair(fdLoad, ngLoad)
	if err != nil {
		return err
	}
	pr := ratioRow("verdict page, warm, 50 connections", f, n, 0.5, fmt.Sprintf("%d bytes", len(page)))
	e.out.add(pr)
	e.missed(pr, fx.Path, fdLoad)

	if etag == "" {
		e.out.add(row{Name: "304 (If-None-Match)", Note: "not measured: the verdict page sends no ETag"})
	} else {
		fdLoad.Name, ngLoad.Name = "factdesk-304", "nginx-304"
		fdLoad.Headers = map[string]string{"If-None-Match": etag}
		ngLoad.Headers = map[string]string{"If-None-Match": nEtag}
		e.logf("304: nginx vs factdesk")
		f, n, err := e.pair(fdLoad, ngLoad)
		if err != nil {
			return err
		}
		r := ratioRow("304 (If-None-Match), 50 connections", f, n, 0.6, "")
		if !strings.Contains(f.Statuses, "304") {
			r.Note, r.Met = "factdesk answered "+f.Statuses+", not 304", "no"
		}
		e.out.add(r)
		e.missed(r, fx.Path, fdLoad)
	}
	e.out.nginxRSS = ng.PeakRSS()
	return nil
}

// listPhase: the API's claim list, 50 a page, at random places of 100k.
func (e *env) listPhase(fd *server, fx *fixture, token string) {
	r := rand.New(rand.NewPCG(1, 2))
	var paths []string
	statuses := []string{"", "published", "candidate", "open"}
	for i := 0; i < 500; i++ {
		p := "/api/v1/claims?limit=50"
		if s := statuses[r.IntN(len(statuses))]; s != "" {
			p += "&status=" + s
		}
		if i%4 != 0 {
			// The API's cursor: "p" and the last ID seen, base64url.
			p += "&cursor=" + base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "p%d", 1+r.Int64N(fx.MaxID)))
		}
		paths = append(paths, p)
	}
	st, _, body, err := newClient(fd.URL, token).do("GET", paths[0], nil, nil)
	if err != nil || st != http.StatusOK {
		e.out.add(row{Name: "API claim list", Note: fmt.Sprintf("not measured: GET %s answered %d %v %.100s", paths[0], st, err, body)})
		return
	}
	e.logf("API list on %d claims", fx.MaxID)
	l := load{Name: "api-list", BaseURL: fd.URL, Paths: paths, Connections: 10, Duration: e.duration,
		Headers: map[string]string{"Authorization": "Bearer " + token}, PIDs: func() []int { return []int{fd.PID()} }}
	res, err := runWrk(e.ctx, e.wrk, e.dir, l)
	if err != nil {
		e.out.add(row{Name: "API claim list", Note: err.Error()})
		return
	}
	x := latencyRow(fmt.Sprintf("API claim list, 50 a page, %s claims, 10 connections", thousands(fx.MaxID)), res, 20*time.Millisecond, "random cursors and status filters")
	e.out.add(x)
	e.missed(x, fx.Path, l)
}

// searchPhase: ranked search on the big database, selective and broad.
// A word of middling rank is selective (hundreds of claims in a million);
// a word of the demo's commonest is broad (a large share of all claims).
func (e *env) searchPhase(fd *server, fx *fixture, token string) {
	selective := fx.Vocab[min(2000, len(fx.Vocab)-1)]
	broad := fx.Vocab[1]
	for _, q := range []struct{ name, q string }{{"selective", selective}, {"broad", broad}} {
		n, _ := matches(e.ctx, fx.Path, q.q)
		path := "/api/v1/search?q=" + strings.ReplaceAll(q.q, " ", "+")
		name := fmt.Sprintf("ranked search, %s (%q: %s matching claims of %s)", q.name, q.q, thousands(n), thousands(fx.MaxID))
		c := newClient(fd.URL, token)
		t0 := time.Now()
		st, _, body, err := c.do("GET", path, nil, nil)
		first := time.Since(t0)
		if err != nil && first >= 29*time.Second {
			l := load{Name: "search-" + q.name, BaseURL: fd.URL, Paths: []string{path}, Headers: map[string]string{"Authorization": "Bearer " + token}, slow: true}
			x := row{Name: name + ", 1 client", Factdesk: "no answer within 30 s", Target: "p99 < 20.00 ms", Met: "no"}
			e.out.add(x)
			e.missed(x, fx.Path, l)
			continue
		}
		if err != nil || st != http.StatusOK {
			e.out.add(row{Name: name, Note: fmt.Sprintf("not measured over HTTP: GET %s answered %d %v %.100s", path, st, err, body)})
			e.searchInProcess(fx, q.name, q.q, n)
			continue
		}
		l := load{Name: "search-" + q.name, BaseURL: fd.URL, Paths: []string{path}, Connections: 10, Duration: e.duration,
			Headers: map[string]string{"Authorization": "Bearer " + token}, PIDs: func() []int { return []int{fd.PID()} }}
		if first > 2*time.Second {
			// Each query takes seconds: a load of ten connections would
			// time out. Three queries one after another say enough.
			e.logf("search %s: %s for one query; timing 3 in a row", q.name, first.Round(time.Millisecond))
			var lat []time.Duration
			for range 3 {
				t0 := time.Now()
				if st, _, _, err := c.do("GET", path, nil, nil); err != nil || st != 200 {
					break
				}
				lat = append(lat, time.Since(t0))
			}
			x := row{Name: name + ", 1 client", Target: "p99 < 20.00 ms", Met: "no"}
			if len(lat) > 0 {
				p50, p99 := percentiles(lat)
				x.Factdesk = fmt.Sprintf("p50 %s, max %s (%d queries in a row)", ms(p50), ms(p99), len(lat))
			} else {
				x.Factdesk = "timed out"
			}
			e.out.add(x)
			l.slow = true
			e.missed(x, fx.Path, l)
			continue
		}
		e.logf("search %s", q.name)
		res, err := runWrk(e.ctx, e.wrk, e.dir, l)
		if err != nil {
			e.out.add(row{Name: name, Note: err.Error()})
			continue
		}
		x := latencyRow(name+", 10 connections", res, 20*time.Millisecond, "")
		e.out.add(x)
		e.missed(x, fx.Path, l)
	}
	if e.inProcess {
		for _, q := range []struct{ name, q string }{{"selective", selective}, {"broad", broad}} {
			n, _ := matches(e.ctx, fx.Path, q.q)
			e.searchInProcess(fx, q.name, q.q, n)
		}
	}
}

// searchInProcess times store.Search itself, with as many callers as the
// HTTP load has connections: no HTTP, no load generator sharing the cores,
// so before/after comparisons on a noisy machine say more. CPU per query is
// this process's user+system time over the queries.
func (e *env) searchInProcess(fx *fixture, kind, q string, n int64) {
	const callers = 10
	db, err := store.Open(e.ctx, fx.Path, store.Options{NoMigrate: true})
	if err != nil {
		e.out.add(row{Name: "store.Search", Note: err.Error()})
		return
	}
	defer db.Close()
	// One query first: the first use of a term may fill caches.
	if _, err := db.Search(e.ctx, q, store.SearchOptions{PublicOnly: true, Limit: 20}); err != nil {
		e.out.add(row{Name: "store.Search", Note: err.Error()})
		return
	}
	lats := make([][]time.Duration, callers)
	errs := make([]error, callers)
	deadline := time.Now().Add(e.duration)
	cpu0 := selfCPU()
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			for time.Now().Before(deadline) || len(lats[i]) < 5 {
				t := time.Now()
				if _, err := db.Search(e.ctx, q, store.SearchOptions{PublicOnly: true, Limit: 20}); err != nil {
					errs[i] = err
					return
				}
				lats[i] = append(lats[i], time.Since(t))
			}
		})
	}
	wg.Wait()
	wall, cpu := time.Since(t0), selfCPU()-cpu0
	var lat []time.Duration
	for i := range callers {
		if errs[i] != nil {
			e.out.add(row{Name: "store.Search", Note: errs[i].Error()})
			return
		}
		lat = append(lat, lats[i]...)
	}
	p50, p99 := percentiles(lat)
	met := "yes"
	if p99 >= 20*time.Millisecond {
		met = "no"
	}
	e.out.add(row{Name: fmt.Sprintf("store.Search in process, %s (%q: %s matches of %s), %d callers", kind, q, thousands(n), thousands(fx.MaxID), callers),
		Factdesk: fmt.Sprintf("p50 %s, p99 %s, %.0f queries/s, %s CPU/query", ms(p50), ms(p99), float64(len(lat))/wall.Seconds(), us(cpu/time.Duration(len(lat)))),
		Target:   "p99 < 20 ms", Met: met, Note: "for comparing runs on a shared machine: no HTTP, no load generator"})
}

// selfCPU is the user+system time of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// editsPhase: durable claim edits, each a transaction with its revision
// (store.UpdateClaim), against a raw single-row UPDATE of the same column on
// the same file with the same durability (WAL, synchronous=FULL), one writer
// each, alternating.
func (e *env) editsPhase(fx *fixture, apiBase, token string) error {
	db, err := store.Open(e.ctx, fx.Path, store.Options{NoMigrate: true})
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := openRaw(fx.Path, "&_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		return err
	}
	defer raw.Close()
	var sync int
	if err := raw.QueryRowContext(e.ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		return fmt.Errorf("raw connection is not synchronous=FULL (%d, %v)", sync, err)
	}
	// Claims in research, not published ones: an edit of a published
	// claim is a correction waiting for review, another path.
	ids, versions, err := editableClaims(e.ctx, raw, 100)
	if err != nil {
		return err
	}
	var storeRates, rawRates []float64
	slice := max(e.duration/2, time.Second)
	e.logf("durable edits: store vs raw UPDATE, %d rounds of %s", e.rounds, slice)
	for round := 0; round < e.rounds; round++ {
		n, t0 := 0, time.Now()
		for time.Since(t0) < slice {
			id := ids[n%len(ids)]
			v := versions[id]
			if v == 0 {
				v = 1
			}
			claimant := fmt.Sprintf("Speaker %d", n)
			c, err := db.UpdateClaim(e.ctx, id, models.ClaimUpdate{Version: v, Claimant: &claimant, Summary: "bench edit"}, &fx.Editor)
			if err != nil {
				return fmt.Errorf("store edit: %w", err)
			}
			versions[id] = c.Version
			n++
		}
		storeRates = append(storeRates, float64(n)/time.Since(t0).Seconds())
		n, t0 = 0, time.Now()
		for time.Since(t0) < slice {
			// The same change as the store's edit, a new claimant each time:
			// SQLite writes nothing (and syncs nothing) for an UPDATE that
			// leaves a row's bytes as they were, which an earlier version
			// of this loop did and so measured no durable write at all.
			if _, err := raw.ExecContext(e.ctx, `UPDATE claims SET claimant = ? WHERE id = ?`, fmt.Sprintf("Raw speaker %d", n), ids[n%len(ids)]); err != nil {
				return fmt.Errorf("raw update: %w", err)
			}
			n++
		}
		rawRates = append(rawRates, float64(n)/time.Since(t0).Seconds())
	}
	s, r := medianF(storeRates), medianF(rawRates)
	met := "no"
	if s >= 0.7*r {
		met = "yes"
	}
	e.out.add(row{Name: "durable claim edits/s (store.UpdateClaim with its revision, 1 writer)", Factdesk: fmt.Sprintf("%.0f/s", s),
		Reference: fmt.Sprintf("%.0f/s raw UPDATE", r), Ratio: fmt.Sprintf("%.2f×", s/r), Target: "≥ 0.7×", Met: met,
		Note: "both set a new claimant on one of 100 claims; same file, WAL + synchronous=FULL: every commit is fsynced"})

	// The same through the API: HTTP, authentication, JSON, one client.
	c := newClient(apiBase, token)
	id := ids[0]
	var cur struct {
		Version int `json:"version"`
	}
	if st, _, body, err := c.do("GET", fmt.Sprintf("/api/v1/claims/%d", id), nil, &cur); err != nil || st != 200 {
		e.out.add(row{Name: "durable claim edits/s through the API", Note: fmt.Sprintf("not measured: GET claim answered %d %v %.100s", st, err, body)})
		return nil
	}
	n, t0 := 0, time.Now()
	for time.Since(t0) < slice {
		var out struct {
			Version int `json:"version"`
		}
		st, _, body, err := c.do("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": cur.Version, "claimant": fmt.Sprintf("API speaker %d", n)}, &out)
		if err != nil || st != 200 {
			e.out.add(row{Name: "durable claim edits/s through the API", Note: fmt.Sprintf("not measured: PATCH answered %d %v %.100s", st, err, body)})
			return nil
		}
		cur.Version = out.Version
		n++
	}
	a := float64(n) / time.Since(t0).Seconds()
	e.out.add(row{Name: "durable claim edits/s through the API (PATCH, 1 client)", Factdesk: fmt.Sprintf("%.0f/s", a),
		Reference: fmt.Sprintf("%.0f/s raw UPDATE", r), Ratio: fmt.Sprintf("%.2f×", a/r), Note: "for information: adds HTTP, auth and JSON to the store's figure"})
	return nil
}

// editableClaims are the IDs of up to n claims that are not published,
// with their versions (a database kept by -reuse has been edited before).
func editableClaims(ctx context.Context, raw *sql.DB, n int) ([]int64, map[int64]int, error) {
	rows, err := raw.QueryContext(ctx, `SELECT id, version FROM claims WHERE status <> 'published' ORDER BY id LIMIT ?`, n)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ids []int64
	versions := map[int64]int{}
	for rows.Next() {
		var id int64
		var v int
		if err := rows.Scan(&id, &v); err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		versions[id] = v
	}
	if len(ids) == 0 {
		return nil, nil, fmt.Errorf("no claim to edit that is not published")
	}
	return ids, versions, rows.Err()
}

// detectPhase: claim detection over the demo op-ed, repeated.
func (e *env) detectPhase() {
	body := demo.Document().Body
	n, sentences, t0 := 0, 0, time.Now()
	for time.Since(t0) < e.duration/2 || n < 3 {
		sentences += len(extract.Sentences(body))
		extract.Detect(body, extract.DefaultThreshold)
		n++
	}
	el := time.Since(t0).Seconds()
	e.out.add(row{Name: "claim detection (extract.Sentences + Detect on the demo op-ed, 1 core)",
		Factdesk: fmt.Sprintf("%.2f MB/s, %.0f sentences/s", float64(n*len(body)*2)/el/1e6, float64(sentences*2)/el),
		Note:     fmt.Sprintf("%d-byte document, %.1f ms per pass", len(body), el*1000/float64(2*n))})
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func medianF(f []float64) float64 {
	s := append([]float64(nil), f...)
	sort.Float64s(s)
	return s[len(s)/2]
}
