// Command factdesk is a claim and fact-check tracker: it serves the desk,
// the API and the reader pages, and manages its database.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"factdesk/store"
)

// Exit codes: 2 is bad input (flags, files, values), 1 a failure to do the work.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"serve":          {"run the web server (desk, API, reader pages)", func(a []string, _ io.Reader, o, e io.Writer) int { return runServe(a, o, e) }},
	"import":         {"import a UTF-8 text or Markdown document", func(a []string, _ io.Reader, o, e io.Writer) int { return runImport(a, o, e) }},
	"import-reviews": {"import other fact-checkers' reviews (ClaimReview JSON-LD or Fact Check Tools JSON)", func(a []string, _ io.Reader, o, e io.Writer) int { return runImportReviews(a, o, e) }},
	"user":           {"add or list users", runUser},
	"backup":         {"write a consistent copy of the database", func(a []string, _ io.Reader, o, e io.Writer) int { return runBackup(a, o, e) }},
	"migrate":        {"bring the database schema up to date and exit", func(a []string, _ io.Reader, o, e io.Writer) int { return runMigrate(a, o, e) }},
	"copy":           {"copy every row of a database into an empty one (SQLite to PostgreSQL)", func(a []string, _ io.Reader, o, e io.Writer) int { return runCopy(a, o, e) }},
	"healthcheck":    {"exit 0 when the server's /healthz answers (for containers)", func(a []string, _ io.Reader, o, e io.Writer) int { return runHealthcheck(a, o, e) }},
	"extract":        {"print the check-worthy claims of a text as JSON", runExtract},
	"eval-detect":    {"evaluate claim detection on the labelled data", func(a []string, _ io.Reader, o, e io.Writer) int { return runEvalDetect(a, o, e) }},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "factdesk: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: factdesk <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'factdesk <command> -h' for the flags of one command.")
}

// env returns the environment variable name, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: factdesk %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; done is true when the command should stop with code.
func parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK, true
		}
		return exitUsage, true
	}
	return exitOK, false
}

// dbFlags is newFlags with the --database flag of every command that opens
// the database.
func dbFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := newFlags(name, synopsis, stderr)
	return fs, fs.String("database", env("FACTDESK_DATABASE", "factdesk.db"),
		"SQLite file or postgres:// URL (env FACTDESK_DATABASE)")
}

// addrFlag is the server's address, for serve and for the healthcheck that
// asks it; usage says which.
func addrFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("addr", env("FACTDESK_ADDR", "127.0.0.1:8080"), usage+" (env FACTDESK_ADDR)")
}

// parseOne parses the args of a command that takes one argument, which what
// names, with its flags before or after it; done is true when the command
// should stop with code.
func parseOne(fs *flag.FlagSet, args []string, what string, stderr io.Writer) (arg string, code int, done bool) {
	if code, done := parse(fs, reorder(args)); done {
		return "", code, true
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "factdesk %s: give exactly one %s\n", fs.Name(), what)
		return "", exitUsage, true
	}
	return fs.Arg(0), exitOK, false
}

// openDB opens and migrates the database, printing the reason on failure.
func openDB(ctx context.Context, dsn string, opts store.Options, stderr io.Writer) (*store.DB, bool) {
	db, err := store.Open(ctx, dsn, opts)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk: %v\n", strings.TrimPrefix(err.Error(), "factdesk: "))
		return nil, false
	}
	return db, true
}

// withDB opens the database at dsn, runs do on it and closes it: the part
// every command that works on a database shares. An error of do is printed
// as "factdesk <name>: …" for a person (describe) and sets the exit code
// (exitCodeOf).
func withDB(name, dsn string, opts store.Options, stderr io.Writer, do func(context.Context, *store.DB) error) int {
	ctx := context.Background()
	db, ok := openDB(ctx, dsn, opts, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	if err := do(ctx, db); err != nil {
		fmt.Fprintf(stderr, "factdesk %s: %s\n", name, strings.TrimPrefix(describe(err), "factdesk: "))
		return exitCodeOf(err)
	}
	return exitOK
}
