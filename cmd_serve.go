package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"factdesk/archive"
	"factdesk/demo"
	"factdesk/fetch"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/notify"
	"factdesk/server"
	"factdesk/store"
	"factdesk/web"
)

func runServe(args []string, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("serve", "serve [flags]", stderr)
	addr := addrFlag(fs, "address to listen on")
	baseURL := fs.String("base-url", env("FACTDESK_BASE_URL", ""), "public URL of the site, for canonical links and feeds (env FACTDESK_BASE_URL; default http://ADDR)")
	org := fs.String("org-name", env("FACTDESK_ORG_NAME", "Factdesk"), "the fact-checking organisation named as author of verdicts (env FACTDESK_ORG_NAME)")
	maxOpen := fs.Int("db-max-open", envInt("FACTDESK_DB_MAX_OPEN", 0), "most open database connections, 0 for the default (env FACTDESK_DB_MAX_OPEN)")
	maxIdle := fs.Int("db-max-idle", envInt("FACTDESK_DB_MAX_IDLE", 0), "most idle database connections, 0 for the default (env FACTDESK_DB_MAX_IDLE)")
	proxies := fs.String("trusted-proxies", env("FACTDESK_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (env FACTDESK_TRUSTED_PROXIES)")
	bylines := fs.Bool("bylines", env("FACTDESK_BYLINES", "true") != "false",
		"name the checker and the reviewer on verdict pages and list the team at /team; --bylines=false for anonymous verdicts (env FACTDESK_BYLINES=false)")
	noDemo := fs.Bool("no-demo", env("FACTDESK_NO_DEMO", "") != "", "do not import the demo document on the first start (env FACTDESK_NO_DEMO)")
	twoPerson := fs.String("two-person", env("FACTDESK_TWO_PERSON", string(models.TwoPersonOverride)),
		"override: an admin may approve their own work with a reason, printed on the verdict page; strict: never (env FACTDESK_TWO_PERSON)")
	metricsAddr := fs.String("metrics-addr", env("FACTDESK_METRICS_ADDR", "127.0.0.1:9464"),
		`address of the operator's listener for /metrics, loopback by default; "off" for none (env FACTDESK_METRICS_ADDR)`)
	metricsToken := fs.String("metrics-token", env("FACTDESK_METRICS_TOKEN", ""),
		"a secret that also lets a bearer of it read /metrics on the public address (env FACTDESK_METRICS_TOKEN; default: not there at all)")
	requestTimeout := fs.Duration("request-timeout", envDuration("FACTDESK_REQUEST_TIMEOUT", 55*time.Second),
		"budget of every request: its database work stops there and it is answered 503 (env FACTDESK_REQUEST_TIMEOUT)")
	searchPerMinute := fs.Int("search-per-minute", envInt("FACTDESK_SEARCH_PER_MINUTE", 30),
		"anonymous searches per minute and address that the cache cannot answer; -1 for no limit (env FACTDESK_SEARCH_PER_MINUTE)")
	loginFree := fs.Int("login-free-tries", envInt("FACTDESK_LOGIN_FREE_TRIES", models.DefaultSignInFreeTries),
		"failed sign-ins of one account from one address before each further try waits 1s, 2s, 4s, … (env FACTDESK_LOGIN_FREE_TRIES)")
	loginDelay := fs.Duration("login-max-delay", envDuration("FACTDESK_LOGIN_MAX_DELAY", models.DefaultSignInMaxDelay),
		"the longest wait between tries of one account from one address (env FACTDESK_LOGIN_MAX_DELAY)")
	loginAddr := fs.Int("login-address-limit", envInt("FACTDESK_LOGIN_ADDRESS_LIMIT", models.DefaultSignInAddressFailures),
		"failed sign-ins of one address, against any accounts, within 15 minutes before it waits (env FACTDESK_LOGIN_ADDRESS_LIMIT)")
	maxCandidates := maxCandidatesFlag(fs)
	fetchFl := addFetchFlags(fs)
	jf := addJobFlags(fs)
	archiveFl := addArchiveFlags(fs)
	nf := addNotifyFlags(fs)
	pollFl := addPollFlags(fs)
	if code, done := parse(fs, args); done {
		return code
	}
	polls, err := pollFl.schedule()
	if err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitUsage
	}
	smtpCfg, err := nf.smtp()
	if err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitUsage
	}
	if *nf.reportsPerHour == 0 {
		fmt.Fprintln(stderr, "factdesk serve: --reports-per-hour must be positive, or -1 for no limit")
		return exitUsage
	}
	if !jf.valid() {
		fmt.Fprintln(stderr, "factdesk serve: --job-workers and --job-attempts must be at least 1, --job-timeout at least 1s")
		return exitUsage
	}
	if *maxCandidates < 1 {
		fmt.Fprintln(stderr, "factdesk serve: --max-candidates must be at least 1")
		return exitUsage
	}
	if *requestTimeout <= 0 {
		fmt.Fprintf(stderr, "factdesk serve: --request-timeout must be positive, not %s\n", *requestTimeout)
		return exitUsage
	}
	if *searchPerMinute == 0 {
		fmt.Fprintln(stderr, "factdesk serve: --search-per-minute must be positive, or -1 for no limit")
		return exitUsage
	}
	if *loginFree < 1 || *loginAddr < 1 || *loginDelay < time.Second {
		fmt.Fprintln(stderr, "factdesk serve: --login-free-tries and --login-address-limit must be at least 1, --login-max-delay at least 1s")
		return exitUsage
	}
	if cfg, err := fetchFl.config(""); err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitUsage
	} else if _, err := archiveFl.config(cfg); err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitUsage
	}
	if rule := models.TwoPersonRule(*twoPerson); !rule.Valid() {
		fmt.Fprintf(stderr, "factdesk serve: --two-person is override or strict, not %q\n", *twoPerson)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "factdesk serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	// Buffered: written in batches, at once for warnings and errors, and
	// whatever is left when this function returns, after the last request.
	logger, closeLog := web.NewServerLogger(stderr)
	defer closeLog()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	db, ok := openDB(ctx, *dsn, store.Options{MaxOpenConns: *maxOpen, MaxIdleConns: *maxIdle, TwoPerson: models.TwoPersonRule(*twoPerson),
		MaxCandidates: *maxCandidates}, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	if err := firstStart(ctx, db, !*noDemo, stdout); err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitFail
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitUsage
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	fetchCfg, _ := fetchFl.config(*baseURL) // checked above

	archiveCfg, _ := archiveFl.config(fetchCfg) // checked with the other flags above
	polls.logger = logger
	queue, err := jobs.Open(db, jobKinds(db, fetchCfg, archiveCfg, polls), jobs.Config{Workers: *jf.workers, MaxAttempts: *jf.attempts, Timeout: *jf.timeout, Logger: logger})
	if err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitFail
	}
	if err := queue.Start(context.Background()); err != nil { // not ctx: a signal stops it gently, below
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitFail
	}
	// Stopped after the last request: jobs still running finish within the
	// shutdown's budget, or run again on the next start.
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		queue.Stop(stopCtx)
	}()

	// Emails and webhooks of notifications, and replies to readers, leave
	// from the outbox in the database.
	stopNotify := startNotify(db, notify.Config{SMTP: smtpCfg, BaseURL: *baseURL, OrgName: *org, Fetch: fetch.New(fetchCfg)}, logger)
	defer stopNotify()

	// A write that leaves a source waiting for its copy asks for a sweep at
	// once; the periodic one catches anything a failed enqueue missed.
	archiveWake := func() {
		if _, err := queue.Enqueue(context.Background(), archive.SweepJob{}, nil); err != nil {
			logger.Warn("archive: enqueue a sweep", "error", err.Error())
		}
	}
	// The write timeout comes after the request's budget, so a request
	// stopped by its budget is still answered.
	writeTimeout := *requestTimeout + 5*time.Second
	handler, metrics, err := server.NewWithMetrics(server.Config{DB: db, Logger: logger, BaseURL: *baseURL, OrgName: *org, HideBylines: !*bylines,
		TrustedProxies: splitList(*proxies), RequestTimeout: *requestTimeout, WriteTimeout: writeTimeout,
		SearchPerMinute: *searchPerMinute, ReportsPerHour: *nf.reportsPerHour, MetricsToken: *metricsToken, Fetch: fetchCfg, Jobs: queue, ArchiveWake: archiveWake,
		LoginLimits: models.SignInLimits{FreeTries: *loginFree, MaxDelay: *loginDelay, AddressFailures: *loginAddr}})
	if err != nil {
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitFail
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 2)
	if *metricsAddr != "off" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			fmt.Fprintf(stderr, "factdesk serve: --metrics-addr: %v (\"off\" for no metrics listener)\n", err)
			return exitUsage
		}
		msrv := &http.Server{Handler: metrics, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
		defer msrv.Close()
		go func() { errc <- msrv.Serve(mln) }()
		fmt.Fprintf(stdout, "factdesk: metrics on http://%s/metrics\n", mln.Addr())
	}
	fmt.Fprintf(stdout, "factdesk: serving on http://%s (database %s)\n", ln.Addr(), redactDSN(*dsn))
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "factdesk serve: %v\n", err)
		return exitFail
	case <-ctx.Done():
	}
	// Requests in flight finish; new connections are refused.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "factdesk serve: shutdown: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(stdout, "factdesk: stopped")
	return exitOK
}

// firstStart imports the demo document once and, on a database without
// users, creates the first admin and prints its password once.
func firstStart(ctx context.Context, db *store.DB, withDemo bool, stdout io.Writer) error {
	if withDemo {
		claims, err := demo.Claims()
		if err != nil {
			return err
		}
		doc := demo.Document()
		imported, err := db.ImportOnce(ctx, demo.ImportKey, &doc, claims, demo.Summary)
		if err != nil {
			return fmt.Errorf("import the demo document: %w", err)
		}
		if imported {
			fmt.Fprintf(stdout, "factdesk: imported the demo document (%d claims listed by an editor, plus detected candidates)\n", len(claims))
		}
	}
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	email := env("FACTDESK_ADMIN_EMAIL", "admin@factdesk.local")
	password, generated := env("FACTDESK_ADMIN_PASSWORD", ""), false
	if password == "" {
		password, generated = randomPassword(), true
	}
	u := models.User{Email: email, Name: "Administrator", Role: models.RoleAdmin}
	if err := db.CreateUser(ctx, &u, password); err != nil {
		if models.ErrorCode(err) == models.ECONFLICT {
			return nil // another replica starting at the same moment made it
		}
		return fmt.Errorf("create the first admin: %w", err)
	}
	if generated {
		fmt.Fprintf(stdout, "factdesk: created the first admin\n  email:    %s\n  password: %s\n  (shown once: write it down, or change it with 'factdesk user')\n", u.Email, password)
	} else {
		fmt.Fprintf(stdout, "factdesk: created the first admin %s with the password from FACTDESK_ADMIN_PASSWORD\n", u.Email)
	}
	return nil
}

func randomPassword() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on a working system
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil {
		return n
	}
	return def
}

// envDuration is the duration in the environment variable name (such as
// "15m"), def when it is unset or not a duration.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil {
		return d
	}
	return def
}

// redactDSN hides a password in a postgres:// URL before it is printed.
func redactDSN(dsn string) string {
	if store.Dialect(dsn) != store.Postgres {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}
