package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/store/storetest"
)

// import-reviews: every fixture imports, a reimport adds nothing, bad input
// exits 2 with nothing written.
func TestImportReviewsCommand(t *testing.T) {
	dsn := storetest.DSN(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"@type":"ClaimReview","url":"https://p.example/1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"Array", []string{"reviews/testdata/claimreview-array.json"}, 0, "50 new, 0 updated"},
		{"ArrayAgain", []string{"reviews/testdata/claimreview-array.json"}, 0, "0 new, 0 updated, 50 unchanged"},
		{"Graph", []string{"reviews/testdata/claimreview-graph.json"}, 0, "50 new"},
		{"DataFeed", []string{"reviews/testdata/claimreview-datafeed.json"}, 0, "50 new"},
		{"FactCheckTools", []string{"reviews/testdata/factchecktools.json"}, 0, "50 new"},
		{"ErrBadReview", []string{bad}, 2, ""},
		{"ErrNoFile", []string{"no/such/file.json"}, 2, ""},
		{"ErrNoArgument", nil, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runImportReviews(append(tt.args, "--database", dsn), &out, &errb)
			if code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d, out %q, err %q; want %d and %q", code, out.String(), errb.String(), tt.code, tt.out)
			}
		})
	}
	db := storetest.OpenDSN(t, dsn)
	if n, err := db.CountReviews(t.Context()); err != nil || n != 200 {
		t.Fatalf("%d reviews stored (%v), want 200", n, err)
	}
}
