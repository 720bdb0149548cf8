package intake_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/intake"
	"factdesk/models"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// boilerplate are words the test pages put only in their navigation,
// footers, comments, share widgets, related links, ads and scripts.
var boilerplate = []string{"NAVLINK", "BREADCRUMB", "SHARE", "EMAIL THIS", "ADVERTISEMENT", "RELATED",
	"COMMENT", "NEWSLETTER", "FOOTER", "TRACKER", "MENULINK", "SIDEBAR", "TAG ", "NAVCELL", "TWEET", "Write a comment"}

// pages are three publishers' shapes: schema.org JSON-LD in an @graph,
// OpenGraph only, and a plain page with neither.
var pages = []struct {
	file, url string
}{
	{"jsonld.html", "https://ledger.example/2025/10/31/indus-water-tables?ref=home"},
	{"opengraph.html", "https://frontier.example/news/kabul-power-cuts"},
	{"plain.html", "http://border-notes.example/2025/torkham.html"},
}

func TestExtract(t *testing.T) {
	for _, p := range pages {
		t.Run(p.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", p.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := intake.Extract(page, "text/html", "", p.url)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			for _, w := range boilerplate {
				if strings.Contains(a.Body, w) {
					t.Errorf("the body holds %q, which is no part of the article:\n%s", w, a.Body)
				}
			}
			golden(t, strings.TrimSuffix(p.file, ".html")+".golden", describe(a))
		})
	}
}

// describe writes an article for a golden file: its metadata, then its
// blocks as models.Blocks reads them.
func describe(a *intake.Article) string {
	var b strings.Builder
	date := ""
	if a.PublishedOn != nil {
		date = a.PublishedOn.Format("2006-01-02")
	}
	fmt.Fprintf(&b, "title: %s\nauthor: %s\npublisher: %s\nurl: %s\npublished: %s\nlanguage: %s\n\n",
		a.Title, a.Author, a.Publisher, a.URL, date, a.Language)
	runes := []rune(a.Body)
	for _, bl := range models.Blocks(a.Body) {
		kind := string(bl.Kind)
		switch bl.Kind {
		case models.BlockHeading:
			kind = fmt.Sprintf("h%d", bl.Level)
		case models.BlockNumbered:
			kind = fmt.Sprintf("numbered %d", bl.Number)
		}
		fmt.Fprintf(&b, "[%s] %s\n", kind, string(runes[bl.TextStart:bl.End]))
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./intake -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs; got:\n%s", name, got)
	}
}
