package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"factdesk/store"
)

func runBackup(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("backup", "backup [flags] OUT.db", stderr)
	dsn := databaseFlag(fs)
	if code, done := parse(fs, reorder(args)); done {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "factdesk backup: give exactly one output file")
		return exitUsage
	}
	out := fs.Arg(0)
	if _, err := os.Stat(out); err == nil {
		fmt.Fprintf(stderr, "factdesk backup: %s already exists; choose a new file\n", out)
		return exitUsage
	}
	ctx := context.Background()
	db, ok := openDB(ctx, *dsn, store.Options{NoMigrate: true}, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		fmt.Fprintf(stderr, "factdesk backup: %s\n", strings.TrimPrefix(describe(err), "factdesk: "))
		return exitCodeOf(err)
	}
	fmt.Fprintf(stdout, "backed up to %s\n", out)
	return exitOK
}

func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", "migrate [flags]", stderr)
	dsn := databaseFlag(fs)
	if code, done := parse(fs, args); done {
		return code
	}
	ctx := context.Background()
	db, ok := openDB(ctx, *dsn, store.Options{}, stderr)
	if !ok {
		return exitFail
	}
	defer db.Close()
	v, err := db.CurrentSchema(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk migrate: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "schema at version %d\n", v)
	return exitOK
}
