package main

import (
	"context"
	"fmt"
	"io"
	"os"

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
	return withDB("backup", *dsn, store.Options{NoMigrate: true}, stderr, func(ctx context.Context, db *store.DB) error {
		if err := db.Backup(ctx, out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up to %s\n", out)
		return nil
	})
}

func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", "migrate [flags]", stderr)
	dsn := databaseFlag(fs)
	if code, done := parse(fs, args); done {
		return code
	}
	return withDB("migrate", *dsn, store.Options{}, stderr, func(ctx context.Context, db *store.DB) error {
		v, err := db.CurrentSchema(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "schema at version %d\n", v)
		return nil
	})
}
