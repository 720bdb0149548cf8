package main

import (
	"context"
	"factdesk/store/storetest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportURL: factdesk import URL imports the article of a page through
// the safe fetcher, with its metadata and the page as its original; a page
// that gives no document, or an address it may not reach, exits 2 with the
// reason and stores nothing.
func TestImportURL(t *testing.T) {
	page, err := os.ReadFile("intake/testdata/opengraph.html")
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/story":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		case "/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	dbPath := filepath.Join(t.TempDir(), "f.db")
	allow := "--fetch-allow=127.0.0.1/32"
	tests := []cliCase{
		{"ErrRefusedAddress", []string{"import", "--database", dbPath, site.URL + "/story"}, exitUsage, "refused_address", ""},
		{"ErrNotFound", []string{"import", "--database", dbPath, allow, site.URL + "/gone"}, exitUsage, "404", ""},
		{"ErrNotHTML", []string{"import", "--database", dbPath, allow, site.URL + "/report.pdf"}, exitUsage, "application/pdf", ""},
		{"ErrMetadataFlags", []string{"import", "--database", dbPath, allow, "--title", "Mine", site.URL + "/story"}, exitUsage, "comes from its page", ""},
		{"OK", []string{"import", "--database", dbPath, allow, site.URL + "/story"}, exitOK, "imported document 1 from " + site.URL + "/story: \"Kabul’s power cuts deepen as imports stall\"", ""},
	}
	runCases(t, tests)
	ctx := context.Background()
	db := storetest.OpenPath(t, dbPath)
	if n, _ := db.CountDocuments(ctx); n != 1 {
		t.Fatalf("%d documents stored, want the one import that worked", n)
	}
	d, err := db.GetDocument(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Author != "Karim Zai" || d.Publisher != "Frontier Post Daily" || !strings.Contains(d.Body, "\n## Generators fill the gap\n") {
		t.Errorf("imported %+v", d)
	}
	if _, kept, err := db.GetOriginal(ctx, 1); err != nil || string(kept) != string(page) {
		t.Errorf("original: %d bytes, %v", len(kept), err)
	}
}
