package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"factdesk/store"
)

// runCopy moves a whole database to another, keeping every ID: the way
// from a SQLite file to PostgreSQL, and the restore of a backup file.
func runCopy(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("copy", "copy --from FACTDESK.db --to postgres://…", stderr)
	from := fs.String("from", "", "the database to copy: a SQLite file or postgres:// URL; left unchanged")
	to := fs.String("to", "", "the empty database to fill: a postgres:// URL or a new SQLite file; migrated first")
	if code, done := parse(fs, args); done {
		return code
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "factdesk copy: give --from and --to, and nothing else")
		return exitUsage
	}
	if *from == *to {
		fmt.Fprintln(stderr, "factdesk copy: --from and --to name the same database")
		return exitUsage
	}
	ctx := context.Background()
	// The source is read as it is: an older schema is reported, not upgraded
	// behind the user's back.
	src, ok := openDB(ctx, *from, store.Options{NoMigrate: true}, stderr)
	if !ok {
		return exitFail
	}
	defer src.Close()
	dst, ok := openDB(ctx, *to, store.Options{}, stderr)
	if !ok {
		return exitFail
	}
	defer dst.Close()
	counts, err := src.CopyTo(ctx, dst)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk copy: %s\n", strings.TrimPrefix(describe(err), "factdesk: "))
		return exitCodeOf(err)
	}
	fmt.Fprintf(stdout, "copied %s to %s; rows per table, checked against the source:\n", redactDSN(*from), redactDSN(*to))
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	var total int64
	for _, c := range counts {
		fmt.Fprintf(w, "  %s\t%d\t\n", c.Table, c.Rows)
		total += c.Rows
	}
	fmt.Fprintf(w, "  total\t%d\t\n", total)
	w.Flush()
	return exitOK
}
