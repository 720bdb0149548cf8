// Command replicas measures Factdesk behind several replicas: verdict-page
// reads and claim edits at two `factdesk serve` processes on one PostgreSQL
// database, and at one on SQLite, reporting requests per second and latency
// percentiles for each. It is a benchmark, not a test: it fails only when
// the site does not work.
//
//	go run ./bench/replicas -postgres 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// Each PostgreSQL run gets a schema of its own, dropped at the end.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"factdesk/bench/benchkit"
)

const (
	adminEmail  = "bench-admin@example.org"
	editorEmail = "bench-editor@example.org"
	password    = "bench password long enough"
)

func main() {
	pg := flag.String("postgres", os.Getenv("FACTDESK_TEST_POSTGRES"), "postgres:// URL of a server to run the replicas on (env FACTDESK_TEST_POSTGRES); empty: SQLite only")
	duration := flag.Duration("duration", 10*time.Second, "how long each workload runs")
	workers := flag.Int("c", 32, "concurrent clients")
	replicas := flag.Int("replicas", 2, "replicas on PostgreSQL")
	maxOpen := flag.Int("db-max-open", 20, "database connections per replica (--db-max-open)")
	bin := flag.String("bin", "", "factdesk binary (default: build it)")
	flag.Parse()
	if err := run(*pg, *bin, *duration, *workers, *replicas, *maxOpen); err != nil {
		fmt.Fprintln(os.Stderr, "bench/replicas:", err)
		os.Exit(1)
	}
}

func run(pg, bin string, duration time.Duration, workers, replicas, maxOpen int) error {
	tmp, err := os.MkdirTemp("", "factdesk-bench-replicas")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "factdesk")
		fmt.Fprintln(os.Stderr, "building factdesk…")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	type setup struct {
		name     string
		dsn      string
		replicas int
	}
	setups := []setup{{"SQLite, 1 replica", filepath.Join(tmp, "bench.db"), 1}}
	if pg != "" {
		dsn, drop, err := freshSchema(pg)
		if err != nil {
			return err
		}
		defer drop()
		setups = append(setups, setup{fmt.Sprintf("PostgreSQL, %d replicas", replicas), dsn, replicas})
	} else {
		fmt.Fprintln(os.Stderr, "no -postgres given: SQLite only")
	}
	var rows []result
	for _, s := range setups {
		fmt.Fprintf(os.Stderr, "%s: starting\n", s.name)
		res, err := bench(bin, s.name, s.dsn, s.replicas, duration, workers, maxOpen)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		rows = append(rows, res...)
	}
	fmt.Printf("\n%d clients, %v per workload, %d CPUs, --db-max-open %d per replica\n\n", workers, duration, runtime.NumCPU(), maxOpen)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "setup\tworkload\trequests\treq/s\tp50 ms\tp99 ms\t409s\terrors\t")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%d\t%.0f\t%.1f\t%.1f\t%d\t%d\t\n", r.setup, r.workload, r.n, r.rps, ms(r.p50), ms(r.p99), r.conflicts, r.errors)
	}
	return w.Flush()
}

// bench starts the replicas on dsn, prepares published verdicts and claims
// to edit, and runs the two workloads.
func bench(bin, name, dsn string, replicas int, duration time.Duration, workers, maxOpen int) ([]result, error) {
	var bases []string
	for i := 0; i < replicas; i++ {
		base, stop, err := serve(bin, dsn, maxOpen)
		if err != nil {
			return nil, err
		}
		defer stop()
		bases = append(bases, base)
	}
	admin, err := login(bases[0], adminEmail)
	if err != nil {
		return nil, err
	}
	var editor user
	if code, _ := admin.Do("POST", bases[0]+"/api/v1/users", map[string]string{"email": editorEmail, "name": "Bench editor", "role": "editor", "password": password}, &editor); code != http.StatusCreated && code != http.StatusOK {
		return nil, fmt.Errorf("create an editor: %d", code)
	}
	ed, err := login(bases[len(bases)-1], editorEmail)
	if err != nil {
		return nil, err
	}
	pages, err := publishDemo(admin, ed, bases)
	if err != nil {
		return nil, err
	}
	owned, err := claimsToEdit(ed, bases, workers)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "%s: %d verdict pages, %d claims to edit\n", name, len(pages), len(owned))

	reads := load(workers, duration, func(w, i int, c *client) (int, error) {
		base := bases[(w+i)%len(bases)]
		return c.Do("GET", base+pages[(w*7+i)%len(pages)], nil, nil)
	}, func() *client { return newClient() })
	reads.setup, reads.workload = name, "verdict page GET"

	edits := load(workers, duration, func(w, i int, c *client) (int, error) {
		cl := &owned[w]
		base := bases[(w+i)%len(bases)]
		var after struct {
			Version int `json:"version"`
		}
		code, _ := ed.Do("PATCH", base+fmt.Sprintf("/api/v1/claims/%d", cl.ID), map[string]any{"version": cl.Version, "claimant": fmt.Sprintf("bench %d/%d", w, i)}, &after)
		switch code {
		case http.StatusOK:
			cl.Version = after.Version
		case http.StatusConflict:
			// Someone else's edit: read the version again, as an editor would.
			var cur struct {
				Version int `json:"version"`
			}
			ed.Do("GET", base+fmt.Sprintf("/api/v1/claims/%d", cl.ID), nil, &cur)
			cl.Version = cur.Version
		}
		return code, nil
	}, func() *client { return ed })
	edits.setup, edits.workload = name, "claim PATCH"
	return []result{reads, edits}, nil
}

type result struct {
	setup, workload      string
	n, conflicts, errors int64
	rps                  float64
	p50, p99             time.Duration
}

// load runs workers clients doing op for duration and measures each call.
func load(workers int, duration time.Duration, op func(w, i int, c *client) (int, error), mk func() *client) result {
	var (
		mu        sync.Mutex
		lat       []time.Duration
		conflicts atomic.Int64
		errs      atomic.Int64
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(duration)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := mk()
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				code, err := op(w, i, c)
				mine = append(mine, time.Since(t0))
				switch {
				case err != nil || code >= 500 || code == 0:
					errs.Add(1)
				case code == http.StatusConflict:
					conflicts.Add(1)
				case code >= 400:
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	return result{n: int64(len(lat)), conflicts: conflicts.Load(), errors: errs.Load(),
		rps: float64(len(lat)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99)}
}

// publishDemo takes the demo's open claims through review to published,
// half through each replica, and returns their verdict-page paths.
func publishDemo(admin, ed *client, bases []string) ([]string, error) {
	var list struct {
		Claims []struct {
			ID int64 `json:"id"`
		} `json:"claims"`
	}
	if code, _ := ed.Do("GET", bases[0]+"/api/v1/claims?status=open&limit=100", nil, &list); code != http.StatusOK || len(list.Claims) == 0 {
		return nil, fmt.Errorf("list the demo's open claims: %d (%d claims)", code, len(list.Claims))
	}
	var pages []string
	for i, c := range list.Claims {
		base := bases[i%len(bases)]
		path := fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID)
		steps := []struct {
			who  *client
			body map[string]any
		}{
			{ed, map[string]any{"action": "start"}},
			{ed, map[string]any{"action": "submit", "rating": "mixed", "explanation": "Benchmark verdict: the figure has one source."}},
			{admin, map[string]any{"action": "approve"}},
		}
		for _, s := range steps {
			if code, _ := s.who.Do("POST", base+path, s.body, nil); code != http.StatusOK {
				return nil, fmt.Errorf("%s claim %d: %d", s.body["action"], c.ID, code)
			}
		}
		// The canonical address, with its slug, as readers follow it.
		resp, err := http.Get(fmt.Sprintf("%s/claims/%d", base, c.ID))
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("verdict page of claim %d: %s", c.ID, resp.Status)
		}
		pages = append(pages, resp.Request.URL.Path)
	}
	return pages, nil
}

type ownedClaim struct {
	ID      int64
	Version int
}

// claimsToEdit makes one claim per worker, so edits measure writing, not
// waiting for each other.
func claimsToEdit(ed *client, bases []string, n int) ([]ownedClaim, error) {
	out := make([]ownedClaim, n)
	for i := range out {
		var c struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		if code, _ := ed.Do("POST", bases[i%len(bases)]+"/api/v1/claims", map[string]any{"text": fmt.Sprintf("Benchmark claim %d: exports fell by %d percent.", i, i+1), "kind": "statistic"}, &c); code != http.StatusCreated {
			return nil, fmt.Errorf("create a claim: %d", code)
		}
		out[i] = ownedClaim{c.ID, c.Version}
	}
	return out, nil
}

type user struct {
	ID int64 `json:"id"`
}

// client is one editor's session (or an anonymous reader), shared by every
// replica as a browser would be behind one address.
type client = benchkit.Client

func newClient() *client {
	return (&client{HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}).WithJar()
}

func login(base, email string) (*client, error) {
	c := newClient()
	return c, c.Login(base, email, password)
}

// serve starts one replica and waits for /healthz.
func serve(bin, dsn string, maxOpen int) (base string, stop func(), err error) {
	var logs bytes.Buffer
	base, stop, err = benchkit.Serve(bin, &logs, []string{"FACTDESK_ADMIN_EMAIL=" + adminEmail, "FACTDESK_ADMIN_PASSWORD=" + password},
		"--database", dsn, "--db-max-open", fmt.Sprint(maxOpen), "--db-max-idle", fmt.Sprint(maxOpen))
	if err != nil {
		return "", nil, fmt.Errorf("%w: %s", err, logs.String())
	}
	return base, stop, nil
}

// freshSchema makes a schema of its own on the server and returns a DSN
// that uses it, and a function that drops it.
func freshSchema(base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "factdesk_bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
