package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"factdesk/store"
)

func runBackup(args []string, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("backup", "backup [flags] OUT.db", stderr)
	out, code, done := parseOne(fs, args, "output file", stderr)
	if done {
		return code
	}
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
	fs, dsn := dbFlags("migrate", "migrate [flags]", stderr)
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
