package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"factdesk/reviews"
	"factdesk/store"
)

// maxReviewFile bounds a review file: a DataFeed of many thousand reviews.
const maxReviewFile = 64 << 20

func runImportReviews(args []string, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("import-reviews", "import-reviews FILE [flags]", stderr)
	name, code, done := parseOne(fs, args, "FILE", stderr)
	if done {
		return code
	}
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk import-reviews: %v\n", err)
		return exitUsage
	}
	data, err := io.ReadAll(io.LimitReader(f, maxReviewFile+1))
	f.Close()
	if err != nil || len(data) > maxReviewFile {
		fmt.Fprintf(stderr, "factdesk import-reviews: %s cannot be read or is larger than 64 MB\n", name)
		return exitUsage
	}
	rs, err := reviews.Parse(data)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk import-reviews: %v\n", describe(err))
		return exitUsage
	}
	return withDB("import-reviews", *dsn, storeOptions(), stderr, func(ctx context.Context, db *store.DB) error {
		got, err := db.ImportReviews(ctx, rs, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d reviews: %d new, %d updated, %d unchanged\n", len(rs), got.Added, got.Updated, got.Unchanged)
		return nil
	})
}
