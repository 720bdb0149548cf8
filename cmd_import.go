package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"factdesk/intake"
	"factdesk/models"
	"factdesk/store"
)

func runImport(args []string, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("import", "import FILE|URL [flags]", stderr)
	title := fs.String("title", "", "the document's title")
	author := fs.String("author", "", "who wrote or said it")
	publisher := fs.String("publisher", "", "where it appeared")
	link := fs.String("url", "", "where it can be read (http or https)")
	published := fs.String("published", "", "when it appeared (YYYY-MM-DD)")
	language := fs.String("language", "en", "its language (BCP 47)")
	maxCandidates := maxCandidatesFlag(fs)
	fetchFl := addFetchFlags(fs)
	from, code, done := parseOne(fs, args, "FILE or URL", stderr)
	if done {
		return code
	}
	if *maxCandidates < 1 {
		fmt.Fprintln(stderr, "factdesk import: --max-candidates must be at least 1")
		return exitUsage
	}
	opts := store.Options{MaxCandidates: *maxCandidates}
	if isURL(from) {
		given := false
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "title", "author", "publisher", "url", "published", "language":
				given = true
			}
		})
		if given {
			fmt.Fprintln(stderr, "factdesk import: a URL's metadata comes from its page; edit the document after the import to change it")
			return exitUsage
		}
		return importURL(from, *dsn, opts, fetchFl, stdout, stderr)
	}
	doc, err := readDocument(from)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", err)
		return exitUsage
	}
	doc.Title, doc.Author, doc.Publisher, doc.URL, doc.Language = *title, *author, *publisher, *link, *language
	if *published != "" {
		t, err := time.Parse(time.DateOnly, *published)
		if err != nil {
			fmt.Fprintf(stderr, "factdesk import: --published must be a date such as 2025-10-31\n")
			return exitUsage
		}
		doc.PublishedOn = &t
	}
	doc.Normalize()
	if err := doc.Validate(); err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", describe(err))
		return exitUsage
	}
	ctx := context.Background()
	db, ok := openDB(ctx, *dsn, opts, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	// Detection stores its proposals in short transactions, so that a
	// server on the same database keeps writing meanwhile.
	if _, err := db.ImportDocument(ctx, doc, nil, nil, store.Import{DetectLater: true}); err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", describe(err))
		return exitCodeOf(err)
	}
	if _, err := db.DetectInBatches(ctx, doc.ID, nil); err != nil {
		fmt.Fprintf(stderr, "factdesk import: document %d is stored, but detection failed (run it again from the desk): %v\n", doc.ID, err)
		return exitFail
	}
	return reportImport(ctx, db, stdout, stderr, doc, fmt.Sprintf("imported document %d (%d characters)", doc.ID, len([]rune(doc.Body))))
}

// reportImport prints what an import stored: the line given, then how many
// candidates detection proposed and how many more the cap left out.
func reportImport(ctx context.Context, db *store.DB, stdout, stderr io.Writer, d *models.Document, line string) int {
	n, err := db.CountClaims(ctx, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusCandidate}})
	if err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", err)
		return exitFail
	}
	if d, err = db.GetDocument(ctx, d.ID); err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s, %d candidate claims proposed\n", line, n)
	if d.MoreCandidates > 0 {
		fmt.Fprintf(stdout, "%d more sentences scored above the threshold: triage these, then run detection again from the desk\n", d.MoreCandidates)
	}
	return exitOK
}

// maxCandidatesFlag is the cap on a document's untriaged proposals, for
// the commands that import.
func maxCandidatesFlag(fs *flag.FlagSet) *int {
	return fs.Int("max-candidates", envInt("FACTDESK_MAX_CANDIDATES", store.DefaultMaxCandidates),
		"most untriaged proposals of claim detection per document, the best scored (env FACTDESK_MAX_CANDIDATES)")
}

// isURL reports whether the argument of import names a page rather than a
// file.
func isURL(arg string) bool {
	return strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
}

// importURL fetches a page through the safe fetcher, extracts its article
// and stores it with the page as its archived original. It runs here and
// now, not as a job of a server: the command is its own process. A page
// that gives no document is bad input (exit 2) with the reason.
func importURL(rawURL, dsn string, opts store.Options, fetchFl *fetchFlags, stdout, stderr io.Writer) int {
	cfg, err := fetchFl.config("")
	if err != nil {
		fmt.Fprintf(stderr, "factdesk import: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	db, ok := openDB(ctx, dsn, opts, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	d, err := intake.NewImporter(db, cfg).Import(ctx, rawURL, nil)
	if err != nil {
		reason, msg := intake.Failure(err)
		fmt.Fprintf(stderr, "factdesk import: %s: %s (%s)\n", rawURL, msg, reason)
		return exitCodeOf(err)
	}
	return reportImport(ctx, db, stdout, stderr, d, fmt.Sprintf("imported document %d from %s: %q (%d characters, %d blocks)",
		d.ID, rawURL, d.DisplayTitle(), len([]rune(d.Body)), len(models.Blocks(d.Body))))
}

// readDocument reads a text file, refusing what is not a document before
// anything touches the database.
func readDocument(path string) (*models.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, models.MaxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > models.MaxDocumentBytes {
		return nil, fmt.Errorf("%s is larger than 2 MB", path)
	}
	return &models.Document{Body: string(body)}, nil
}

// reorder puts flags before positional arguments, so "import FILE --title T"
// works as well as "import --title T FILE".
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !containsRune(a, '=') && i+1 < len(args) && !isBoolFlag(a) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

func isBoolFlag(a string) bool {
	switch a {
	case "-h", "--h", "-help", "--help", "-all", "--all", "-password-stdin", "--password-stdin", "-no-demo", "--no-demo", "-fetch-robots", "--fetch-robots":
		return true
	}
	return false
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// describe writes an error for a person at a terminal.
func describe(err error) string {
	msg := models.ErrorMessage(err)
	for field, m := range models.ErrorFields(err) {
		msg += fmt.Sprintf("\n  %s: %s", field, m)
	}
	if models.ErrorCode(err) == models.EINTERNAL {
		return err.Error()
	}
	return msg
}

// exitCodeOf is 2 for errors in what the user gave, 1 otherwise.
func exitCodeOf(err error) int {
	switch models.ErrorCode(err) {
	case models.EINVALID, models.ECONFLICT, models.ENOTFOUND:
		return exitUsage
	}
	return exitFail
}
