package intake_test

import (
	"os"
	"path/filepath"
	"testing"

	"factdesk/intake"
)

// BenchmarkExtract is the CPU of one page's extraction (readability, the
// metadata and the body with its markers), without the fetch.
func BenchmarkExtract(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("testdata", "jsonld.html"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := intake.Extract(page, "text/html", "utf-8", "https://ledger.example/a"); err != nil {
			b.Fatal(err)
		}
	}
}
