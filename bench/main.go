// Command bench measures Factdesk against the physical limit of this
// machine: nginx serving the same verdict page bytes, and a raw durable
// UPDATE on the same database file. It prints a table of ratios against the
// targets of issue 8 and writes it to bench/RESULTS.md.
//
//	go run ./bench                       # the whole run, about 10 minutes on 2 cores
//	go run ./bench -claims 10000 -search-claims 50000 -duration 3s -rounds 1   # a quick look
//	go run ./bench -only search -reuse /tmp/factdesk-bench   # the search phase alone, its 1M database kept for the next run
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"factdesk/bench/benchkit"
	"factdesk/store"
)

func main() {
	claims := flag.Int("claims", 100_000, "claims in the database of the page, list and edit loads")
	searchClaims := flag.Int("search-claims", 1_000_000, "claims in the database of the search load")
	duration := flag.Duration("duration", 10*time.Second, "length of each load")
	rounds := flag.Int("rounds", 3, "alternating rounds of each paired load; the median is kept")
	out := flag.String("out", filepath.Join(benchkit.RepoRoot(), "bench", "RESULTS.md"), "where to write the results table (empty: do not write; with -only, empty unless given)")
	keep := flag.Bool("keep", false, "keep the temporary directory (databases, logs, profiles)")
	profile := flag.Bool("profile", true, "profile Factdesk in process for every missed throughput or latency target")
	only := flag.String("only", "", "run only these phases, a comma list of "+strings.Join(allPhases, ",")+" (default all); the table then holds only their rows")
	reuse := flag.String("reuse", "", "work in this directory and keep it: a database built there by an earlier run with the same -claims or -search-claims is used again instead of rebuilt "+
		"(the 1M-claim one takes minutes); the edits phase changes claims.db and each run adds an API token, which no other phase reads")
	inProcess := flag.Bool("search-in-process", true, "also time store.Search in the bench process (10 callers, no HTTP): steadier figures on a shared machine")
	ranked := flag.String("ranked", "", "instead of the phases: ranked search and matching in process at these claim counts (a comma list, e.g. 100000,1000000), "+
		"printing a Markdown table; no wrk or nginx needed; databases cached under the user cache directory")
	rankedPG := flag.String("ranked-postgres", "", "with -ranked, also on PostgreSQL: a URL whose {n} is replaced by the claim count, each an existing empty database (or one filled by an earlier run)")
	rankedReviews := flag.Int("ranked-reviews", 100000, "with -ranked, other fact-checkers' reviews stored beside the claims, which matching also searches")
	flag.Parse()
	if *ranked != "" {
		if err := runRanked(*ranked, *rankedPG, *rankedReviews, *duration); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %v\n", err)
			os.Exit(1)
		}
		return
	}
	phases, err := parsePhases(*only)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(2)
	}
	outGiven := false
	flag.Visit(func(f *flag.Flag) { outGiven = outGiven || f.Name == "out" })
	if *only != "" && !outGiven {
		// A partial run must not overwrite the table of a full one.
		*out = ""
	}
	if err := run(*claims, *searchClaims, *duration, *rounds, *out, *keep, *profile, phases, *reuse, *inProcess); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

// allPhases are the bench's phases in the order they run.
var allPhases = []string{"verdict", "list", "edits", "search", "detect"}

func parsePhases(only string) (map[string]bool, error) {
	on := map[string]bool{}
	if strings.TrimSpace(only) == "" {
		for _, p := range allPhases {
			on[p] = true
		}
		return on, nil
	}
	for _, p := range strings.Split(only, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(allPhases, p) {
			return nil, fmt.Errorf("-only: unknown phase %q (phases: %s)", p, strings.Join(allPhases, ","))
		}
		on[p] = true
	}
	return on, nil
}

func run(claims, searchClaims int, duration time.Duration, rounds int, out string, keep, profile bool, phases map[string]bool, reuse string, inProcess bool) error {
	wrkBin, ngBin, err := checkTools()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var dir string
	if reuse != "" {
		if err := os.MkdirAll(reuse, 0o755); err != nil {
			return err
		}
		dir = reuse
	} else if dir, err = os.MkdirTemp("", "factdesk-bench-"); err != nil {
		return err
	}
	if keep || reuse != "" {
		fmt.Fprintf(os.Stderr, "bench: working in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	e := &env{ctx: ctx, wrk: wrkBin, dir: dir, duration: duration, rounds: max(1, rounds), out: &report{started: time.Now()}, inProcess: inProcess}
	e.out.machine = benchkit.Machine()
	e.out.settings = fmt.Sprintf("-claims %d -search-claims %d -duration %s -rounds %d", claims, searchClaims, duration, e.rounds)
	if len(phases) < len(allPhases) {
		var on []string
		for _, p := range allPhases {
			if phases[p] {
				on = append(on, p)
			}
		}
		e.out.settings += " -only " + strings.Join(on, ",")
	}
	pages := phases["verdict"] || phases["list"] || phases["edits"]
	needServer := pages || phases["search"]

	// Build the binary while the databases fill: two cores, two jobs.
	type built struct {
		bin string
		err error
	}
	bc := make(chan built, 1)
	if needServer {
		go func() {
			bin, err := buildFactdesk(ctx, dir)
			bc <- built{bin, err}
		}()
	}
	var fx, sfx *fixture
	if pages {
		t0 := time.Now()
		if fx, err = prepared(ctx, filepath.Join(dir, "claims.db"), claims, 1, reuse != ""); err != nil {
			return err
		}
		e.logf("%d claims ready in %s", claims, time.Since(t0).Round(time.Millisecond))
	}
	if phases["search"] {
		t0 := time.Now()
		if sfx, err = prepared(ctx, filepath.Join(dir, "search.db"), searchClaims, 2, reuse != ""); err != nil {
			return err
		}
		e.logf("%d claims loaded and indexed in %s", searchClaims, time.Since(t0).Round(time.Millisecond))
	}
	var bin string
	if needServer {
		b := <-bc
		if b.err != nil {
			return b.err
		}
		bin = b.bin
	}

	var rss1, rss2 int64
	var parts []string
	if pages {
		fd, token, err := serveFixture(ctx, bin, fx, filepath.Join(dir, "serve.log"))
		if err != nil {
			return err
		}
		if phases["verdict"] {
			if err := e.verdictPhase(fd, fx, ngBin); err != nil {
				fd.Stop()
				return err
			}
		}
		if phases["list"] {
			e.listPhase(fd, fx, token)
		}
		if phases["edits"] {
			if err := e.editsPhase(fx, fd.URL, token); err != nil {
				fd.Stop()
				return err
			}
		}
		rss1, _ = peakRSS(fd.PID())
		fd.Stop()
		parts = append(parts, fmt.Sprintf("pages/list/edits %.0f MB", mb(rss1)))
	}
	if phases["search"] {
		sfd, stoken, err := serveFixture(ctx, bin, sfx, filepath.Join(dir, "serve-search.log"))
		if err != nil {
			return err
		}
		e.searchPhase(sfd, sfx, stoken)
		rss2, _ = peakRSS(sfd.PID())
		sfd.Stop()
		parts = append(parts, fmt.Sprintf("search %.0f MB", mb(rss2)))
	}
	if phases["detect"] {
		e.detectPhase()
	}

	if needServer {
		peak := max(rss1, rss2)
		met := "yes"
		if peak >= 150<<20 {
			met = "no"
		}
		ref := ""
		if e.out.nginxRSS > 0 {
			ref = fmt.Sprintf("nginx %.0f MB, all processes", mb(e.out.nginxRSS))
		}
		e.out.add(row{Name: "peak memory of factdesk serve under load (VmHWM)", Factdesk: fmt.Sprintf("%.0f MB (%s)", mb(peak), strings.Join(parts, ", ")),
			Reference: ref, Target: "< 150 MB", Met: met})
	}

	if profile {
		e.profileMisses(fx, sfx)
	}
	if out != "" {
		// A reading of the figures written by hand below the marker stays.
		var kept []byte
		if old, err := os.ReadFile(out); err == nil {
			if i := strings.Index(string(old), analysisMarker); i >= 0 {
				kept = old[i:]
			}
		}
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		e.out.markdown(f)
		if len(kept) > 0 {
			fmt.Fprintf(f, "\n%s", kept)
		}
		if err := f.Close(); err != nil {
			return err
		}
		e.logf("wrote %s", out)
	}
	return nil
}

// analysisMarker starts the part of RESULTS.md written by people; a new run
// keeps it (and its figures may then be older than the table's).
const analysisMarker = "<!-- analysis: written by hand, kept by bench runs -->"

// serveFixture gives the bench's editor an API token for the API loads and
// starts the server over fx with its log in logPath.
func serveFixture(ctx context.Context, bin string, fx *fixture, logPath string) (*server, string, error) {
	db, err := store.Open(ctx, fx.Path, store.Options{NoMigrate: true})
	if err != nil {
		return nil, "", err
	}
	tok, _, err := db.CreateAPIToken(ctx, fx.Editor.ID, "bench")
	db.Close()
	if err != nil {
		return nil, "", err
	}
	fd, err := startFactdesk(bin, fx.Path, logPath)
	return fd, tok, err
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }
