package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"factdesk/extract"
	"factdesk/models"
	"factdesk/store"
)

// rankedFixtureVersion names the cached databases of the ranked phase:
// change it when the generator or the schema changes.
const rankedFixtureVersion = "ranked-v2"

func runRanked(list, pg string, reviews int, d time.Duration) error {
	var sizes []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("-ranked: %q is not a claim count", s)
		}
		sizes = append(sizes, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return rankedPhase(ctx, sizes, pg, reviews, d)
}

// rankedPhase times store.Search with global ranking at each size on
// SQLite (and PostgreSQL when pg is set), a selective and a broad query,
// and matching a 1,000-word document's proposals against the claims and
// reviews other fact-checkers published (reviews of them), in this process
// with Go-driven callers (no wrk). Databases are cached under the user cache
// directory, keyed by fixture version and size, so a second run reuses them.
func rankedPhase(ctx context.Context, sizes []int, pg string, reviews int, d time.Duration) error {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "factdesk-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Printf("| engine | claims | query | matches | p50 | p99 | CPU/query | target |\n|---|---|---|---|---|---|---|---|\n")
	for _, n := range sizes {
		t0 := time.Now()
		fx, err := prepared(ctx, filepath.Join(dir, fmt.Sprintf("%s-%d.db", rankedFixtureVersion, n)), n, 2, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: %d claims ready in %s\n", n, time.Since(t0).Round(time.Millisecond))
		engines := []struct{ name, dsn string }{{"SQLite", fx.Path}}
		if pg != "" {
			engines = append(engines, struct{ name, dsn string }{"PostgreSQL", strings.ReplaceAll(pg, "{n}", strconv.Itoa(n))})
		}
		for _, e := range engines {
			db, err := store.Open(ctx, e.dsn, store.Options{})
			if err != nil {
				return err
			}
			if e.name == "PostgreSQL" {
				if err := fillPostgres(ctx, fx, db, n); err != nil {
					db.Close()
					return err
				}
			}
			if err := addReviews(ctx, db, fx, reviews); err != nil {
				db.Close()
				return err
			}
			for _, q := range []struct{ name, q string }{{"selective", fx.Vocab[min(2000, len(fx.Vocab)-1)]}, {"broad", fx.Vocab[1]}} {
				// One caller: a query's own latency. Four, on this
				// machine's two cores: the same with queueing for a core.
				for _, callers := range []int{1, 4} {
					lat, cpu, m, err := timeSearch(ctx, db, q.q, callers, d)
					if err != nil {
						db.Close()
						return err
					}
					p50, p99 := percentiles(lat)
					fmt.Printf("| %s | %s | %s %q, %d caller%s | %s | %s | %s | %s | p99 < 20 ms |\n", e.name, thousands(int64(n)), q.name, q.q, callers, plural(callers), m, ms(p50), ms(p99), us(cpu))
				}
			}
			if p50, p99, cpu, props, err := timeMatching(ctx, db, fx, 20); err == nil {
				fmt.Printf("| %s | %s | matching a 1,000-word document (%d proposals) | %s claims and reviews | %s | %s | %s per document | p99 < 50 ms per document |\n",
					e.name, thousands(int64(n)), props, thousands(int64(n+reviews)), ms(p50), ms(p99), us(cpu))
			} else {
				fmt.Fprintf(os.Stderr, "bench: matching: %v\n", err)
			}
			db.Close()
		}
	}
	return nil
}

// timeSearch runs a query from callers goroutines for about d (at least 5
// each), first page of 20, ranked over every match; CPU is this process's.
func timeSearch(ctx context.Context, db *store.DB, q string, callers int, d time.Duration) ([]time.Duration, time.Duration, string, error) {
	if _, err := db.Search(ctx, q, store.SearchOptions{PublicOnly: true, Limit: 20}); err != nil {
		return nil, 0, "", err
	}
	lats := make([][]time.Duration, callers)
	errs := make([]error, callers)
	deadline := time.Now().Add(d)
	cpu0 := processCPU()
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			for time.Now().Before(deadline) || len(lats[i]) < 5 {
				t := time.Now()
				if _, err := db.Search(ctx, q, store.SearchOptions{PublicOnly: true, Limit: 20}); err != nil {
					errs[i] = err
					return
				}
				lats[i] = append(lats[i], time.Since(t))
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	for i := range callers {
		if errs[i] != nil {
			return nil, 0, "", errs[i]
		}
		all = append(all, lats[i]...)
	}
	return all, (processCPU() - cpu0) / time.Duration(len(all)), fmt.Sprintf("%d queries", len(all)), nil
}

// timeMatching matches the proposals of generated 1,000-word documents
// as the desk does at import (store.MatchProposals: for each, a few at a
// time, the engine's retrieval of checked claims and imported reviews
// sharing its rare words, then extract.Match on them): the cost per
// document.
func timeMatching(ctx context.Context, db *store.DB, fx *fixture, docs int) (p50, p99, cpu time.Duration, props int, err error) {
	var lat []time.Duration
	cpu0 := processCPU()
	for k := range docs {
		body := generatedDocument(fx.Vocab, uint64(k))
		var claims []models.Claim
		for _, p := range extract.Proposals(body) {
			claims = append(claims, models.Claim{Text: p.Text})
		}
		props = len(claims)
		t := time.Now()
		if _, err := db.MatchProposals(ctx, claims, 10); err != nil {
			return 0, 0, 0, 0, err
		}
		lat = append(lat, time.Since(t))
	}
	p50, p99 = percentiles(lat)
	return p50, p99, (processCPU() - cpu0) / time.Duration(docs), props, nil
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// fillPostgres copies the SQLite fixture into db (an empty PostgreSQL
// database, or one a previous run filled with the same claims).
func fillPostgres(ctx context.Context, fx *fixture, db *store.DB, n int) error {
	if c, err := db.CountClaims(ctx, models.ClaimFilter{}); err == nil && c >= int64(n) {
		return nil
	}
	src, err := store.Open(ctx, fx.Path, store.Options{NoMigrate: true})
	if err != nil {
		return err
	}
	defer src.Close()
	t0 := time.Now()
	if _, err := src.CopyTo(ctx, db); err != nil {
		return fmt.Errorf("copy to PostgreSQL: %w", err)
	}
	fmt.Fprintf(os.Stderr, "bench: %d claims copied to PostgreSQL in %s\n", n, time.Since(t0).Round(time.Millisecond))
	return nil
}

// generatedDocument is about 1,000 words of the fixture's vocabulary in
// sentences with figures and attributions, as claims are written.
func generatedDocument(vocab []string, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed^0x9e37))
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	var b strings.Builder
	for words := 0; words < 1000; {
		k := 10 + r.IntN(14)
		b.WriteString("Officials said ")
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		fmt.Fprintf(&b, " rose to %d,%03d in %d. ", 1+r.IntN(99), r.IntN(1000), 2000+r.IntN(26))
		words += k + 5
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
