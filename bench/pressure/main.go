// Command pressure is the load test of issue 12: while one-megabyte
// documents are imported back to back and ten anonymous clients search
// broad terms, do an editor's claim edits and desk pages still succeed,
// each within a second? It starts `factdesk serve` on a fresh SQLite file,
// loads large public documents, runs every workload at once for -duration,
// prints a table and a verdict, and writes them to bench/RESULTS.md as the
// section "Under pressure (issue 12)".
//
//	go run ./bench/pressure
//
// It is a benchmark, not a test: it fails only when the setup does; a
// missed target is printed, and the exit code stays 0.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"factdesk/bench/benchkit"
)

const (
	adminEmail  = "pressure-admin@example.org"
	editorEmail = "pressure-editor@example.org"
	password    = "pressure bench passphrase 7"
	// target is the bound on each editor request.
	target = time.Second
)

// Broad words and two-word queries: each matches most of every document.
var queries = []string{"rate", "government", "minister", "the", "rose", "percent", "rate rose",
	"government minister", "the rate", "minister said", "prices rose", "public spending", "interest rate", "the government"}

type config struct {
	bin, out       string
	duration       time.Duration
	docs, docSize  int
	claims, anon   int
	keep           bool
	commandLine    string
	startedAt      time.Time
	loadAvgAtStart string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "", "factdesk binary (default: build it)")
	flag.StringVar(&cfg.out, "out", filepath.Join(benchkit.RepoRoot(), "bench", "RESULTS.md"), "file whose section \"Under pressure (issue 12)\" gets the figures (empty: do not write)")
	flag.DurationVar(&cfg.duration, "duration", 30*time.Second, "how long the workloads run together")
	flag.IntVar(&cfg.docs, "docs", 10, "large public documents imported before the timed run")
	flag.IntVar(&cfg.docSize, "doc-size", 1<<20, "bytes of each imported document")
	flag.IntVar(&cfg.claims, "claims", 50, "claims the editor edits in turn")
	flag.IntVar(&cfg.anon, "anon", 10, "anonymous search clients")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (database and serve.log)")
	flag.Parse()
	cfg.commandLine = "go run ./bench/pressure"
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " '\"=") && !strings.HasPrefix(a, "-") {
			a = fmt.Sprintf("%q", a)
		}
		cfg.commandLine += " " + a
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench/pressure:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	tmp, err := os.MkdirTemp("", "factdesk-pressure")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if cfg.bin == "" {
		cfg.bin = filepath.Join(tmp, "factdesk")
		logf("building factdesk…")
		build := exec.Command("go", "build", "-o", cfg.bin, ".")
		build.Dir = benchkit.RepoRoot()
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	logPath := filepath.Join(tmp, "serve.log")
	base, stop, err := serve(cfg.bin, filepath.Join(tmp, "pressure.db"), logPath)
	if err != nil {
		return err
	}
	defer stop()

	fx, err := setup(base, cfg)
	if err != nil {
		return err
	}
	cfg.startedAt = time.Now().UTC()
	cfg.loadAvgAtStart = loadAvg()
	logf("timed run: %v, %d anonymous clients, importer, editor PATCHes, desk pages (load average %s)", cfg.duration, cfg.anon, cfg.loadAvgAtStart)
	res := pressure(base, fx, cfg)
	loadAfter := loadAvg()
	stop() // flushes the access log
	slow := readServeLog(logPath)

	rep := report{cfg: cfg, fx: fx, res: res, slow: slow, loadAfter: loadAfter}
	md := rep.markdown()
	fmt.Println()
	fmt.Print(md)
	if cfg.out != "" {
		if err := writeSection(cfg.out, md); err != nil {
			return err
		}
		logf("wrote the section %q of %s", sectionTitle, cfg.out)
	}
	return nil
}

// fixture is what the setup made: the editor's session and token, and the
// claims to edit and to open on the desk.
type fixture struct {
	editor *client // the session cookie, for desk pages
	token  string  // the editor's API token, for imports and edits
	claims []int64
	// setupImports are the durations of the imports before the timed run,
	// each alone on the server.
	setupImports []time.Duration
	perImport    int64 // claims stored with each document
}

// setup signs in, makes an editor with a session and a token, imports the
// large public documents and picks the claims to edit.
func setup(base string, cfg config) (*fixture, error) {
	admin, err := login(base, adminEmail)
	if err != nil {
		return nil, err
	}
	if code, _ := admin.Do("POST", base+"/api/v1/users", map[string]string{"email": editorEmail, "name": "Pressure editor", "role": "editor", "password": password}, nil); code != http.StatusCreated {
		return nil, fmt.Errorf("create the editor: %d", code)
	}
	ed, err := login(base, editorEmail)
	if err != nil {
		return nil, err
	}
	var tok struct {
		Token string `json:"token"`
	}
	if code, _ := ed.Do("POST", base+"/api/v1/tokens", map[string]string{"name": "pressure"}, &tok); code != http.StatusCreated || tok.Token == "" {
		return nil, fmt.Errorf("make an API token: %d", code)
	}
	fx := &fixture{editor: ed, token: tok.Token}
	api := tokenClient(tok.Token)
	t0 := time.Now()
	for i := 0; i < cfg.docs; i++ {
		code, d, err := importDocument(api, base, uint64(1000+i), cfg.docSize)
		if err != nil || code != http.StatusCreated {
			return nil, fmt.Errorf("import document %d: %d %v", i, code, err)
		}
		logf("setup: imported document %d of %d (%d KB, %d claims) in %v", i+1, cfg.docs, cfg.docSize>>10, lastClaims.Load(), d.Round(time.Millisecond))
		fx.setupImports = append(fx.setupImports, d)
	}
	logf("setup: %d documents in %v", cfg.docs, time.Since(t0).Round(time.Millisecond))

	fx.perImport = lastClaims.Load()

	// The claims to edit: the open ones, the demo's first.
	var list struct {
		Claims []struct {
			ID int64 `json:"id"`
		} `json:"claims"`
	}
	if code, _ := api.Do("GET", base+"/api/v1/claims?status=open&order=id&limit=100", nil, &list); code != http.StatusOK {
		return nil, fmt.Errorf("list open claims: %d", code)
	}
	for _, c := range list.Claims {
		if len(fx.claims) < cfg.claims {
			fx.claims = append(fx.claims, c.ID)
		}
	}
	for len(fx.claims) < cfg.claims {
		var c struct {
			ID int64 `json:"id"`
		}
		n := len(fx.claims)
		if code, _ := api.Do("POST", base+"/api/v1/claims", map[string]any{"text": fmt.Sprintf("Pressure claim %d: the rate rose by %d percent.", n, n+1), "kind": "statistic"}, &c); code != http.StatusCreated {
			return nil, fmt.Errorf("create a claim: %d", code)
		}
		fx.claims = append(fx.claims, c.ID)
	}
	// The documents are public to readers: a broad search reaches them.
	anon := newClient(false)
	var hits struct {
		Results []json.RawMessage `json:"results"`
	}
	if code, _ := anon.Do("GET", base+"/api/v1/search?q=minister", nil, &hits); code != http.StatusOK || len(hits.Results) == 0 {
		return nil, fmt.Errorf("anonymous search for \"minister\": %d, %d results: the documents are not public", code, len(hits.Results))
	}
	logf("setup: %d claims to edit; an anonymous search finds the documents", len(fx.claims))
	return fx, nil
}

// importDocument posts a generated document with a few claims listed, so
// it is public; seed makes its body, and so its content hash, its own. The
// claims stored with it (listed and detected) are added to lastClaims.
func importDocument(c *client, base string, seed uint64, size int) (int, time.Duration, error) {
	body, spans := prose(seed, size, 3)
	claims := make([]map[string]int, len(spans))
	for i, s := range spans {
		claims[i] = map[string]int{"start": s[0], "end": s[1]}
	}
	doc := map[string]any{"title": fmt.Sprintf("Pressure dispatch %d", seed), "author": "Bench Reporter",
		"publisher": "The Pressure Gazette", "language": "en", "body": body, "claims": claims}
	var out struct {
		Claims []struct{} `json:"claims"`
	}
	t0 := time.Now()
	code, err := c.Do("POST", base+"/api/v1/documents", doc, &out)
	d := time.Since(t0)
	if code == http.StatusCreated {
		lastClaims.Store(int64(len(out.Claims)))
	}
	return code, d, err
}

// lastClaims is how many claims the last import stored.
var lastClaims atomic.Int64

// client is one user agent: a session, an API token, or nobody.
type client = benchkit.Client

// newClient is a client with connections of its own; redirects are not
// followed, so a desk page that sends to the sign-in form is counted as such.
// An anonymous one sends If-None-Match when it has an ETag.
func newClient(jar bool) *client {
	c := &client{HTTP: &http.Client{
		Timeout:       60 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 8},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	if jar {
		return c.WithJar()
	}
	c.ETags = map[string]string{}
	return c
}

func tokenClient(token string) *client {
	c := newClient(false)
	c.Token, c.ETags = token, nil
	return c
}

func login(base, email string) (*client, error) {
	c := newClient(true)
	return c, c.Login(base, email, password)
}

// serve starts `factdesk serve` with its log in logPath and waits for
// /healthz. stop may be called more than once.
func serve(bin, dbPath, logPath string) (base string, stop func(), err error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return "", nil, err
	}
	base, stopServer, err := benchkit.Serve(bin, logFile, []string{"FACTDESK_ADMIN_EMAIL=" + adminEmail, "FACTDESK_ADMIN_PASSWORD=" + password}, "--database", dbPath)
	if err != nil {
		logFile.Close()
		b, _ := os.ReadFile(logPath)
		return "", nil, fmt.Errorf("%w:\n%s", err, b)
	}
	return base, func() { stopServer(); logFile.Close() }, nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

func escape(q string) string { return url.QueryEscape(q) }
