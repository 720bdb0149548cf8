package intake_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// publisher serves the test pages and the bad answers an import must
// refuse, on 127.0.0.1.
func publisher(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, p := range pages {
		page, err := os.ReadFile(filepath.Join("testdata", p.file))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc("/"+p.file, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		})
	}
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4 a report"))
	})
	mux.HandleFunc("/binary.html", func(w http.ResponseWriter, r *http.Request) {
		// An image served as a page: not text in any character set.
		w.Header().Set("Content-Type", "text/html")
		w.Write(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 64)...))
	})
	mux.HandleFunc("/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Sections</title></head><body><nav><a href="/a">Politics</a> <a href="/b">Sport</a></nav>
<main><p>Welcome to the site.</p></main><footer>© Publisher</footer></body></html>`))
	})
	mux.HandleFunc("/slow.html", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/huge.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article>"))
		para := []byte("<p>" + strings.Repeat("A long paragraph of the article. ", 30) + "</p>\n")
		for range 400 {
			w.Write(para)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

func TestImport(t *testing.T) {
	ctx := context.Background()
	srv := publisher(t)
	for _, p := range pages {
		t.Run(p.file, func(t *testing.T) {
			db := storetest.Open(t)
			editor := storetest.User(t, db, "editor@example.org", models.RoleEditor)
			d, err := intake.NewImporter(db, fetch.Config{Allow: loopback}).Import(ctx, srv.URL+"/"+p.file, editor)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			got, err := db.GetDocument(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The stored document is the extracted article: the same golden
			// file as Extract's, but for the URL, which here is the test
			// server's where the page names no canonical URL of its own.
			page, _ := os.ReadFile(filepath.Join("testdata", p.file))
			want, err := intake.Extract(page, "text/html", "utf-8", srv.URL+"/"+p.file)
			if err != nil {
				t.Fatal(err)
			}
			if got.Body != want.Body || got.Title != want.Title || got.Author != want.Author || got.Publisher != want.Publisher ||
				got.URL != want.URL || got.Language != want.Language || !sameDay(got.PublishedOn, want.PublishedOn) {
				t.Errorf("stored %+v\nwant %+v", got, want)
			}
			o, kept, err := db.GetOriginal(ctx, d.ID)
			if err != nil {
				t.Fatalf("original: %v", err)
			}
			if !bytes.Equal(kept, page) || o.ContentType != "text/html" || o.Status != 200 || o.URL != srv.URL+"/"+p.file || o.Size != int64(len(page)) || len(o.SHA256) != 64 {
				t.Errorf("original %+v (%d bytes), want the page as served (%d bytes)", o, len(kept), len(page))
			}
			// Detection ran on the imported text, as for a pasted one.
			if n, err := db.CountClaims(ctx, models.ClaimFilter{DocumentID: d.ID}); err != nil || n == 0 {
				t.Errorf("%d candidates proposed, %v", n, err)
			}
		})
	}
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// TestImportRefuses: every bad page fails with its reason and stores
// nothing, neither a document nor an original.
func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	srv := publisher(t)
	tests := []struct {
		name   string
		path   string
		cfg    fetch.Config
		reason string
		says   string
	}{
		{"NotHTML", "/report.pdf", fetch.Config{Allow: loopback}, "unsupported_content_type", "application/pdf"},
		{"Unreadable", "/binary.html", fetch.Config{Allow: loopback}, "unreadable", "could not be read"},
		{"NoArticleText", "/index.html", fetch.Config{Allow: loopback}, "no_article_text", "no article text"},
		{"NotFound", "/gone.html", fetch.Config{Allow: loopback}, "http_status", "404"},
		{"Timeout", "/slow.html", fetch.Config{Allow: loopback, Timeout: 300 * time.Millisecond}, "timeout", "300ms"},
		{"Oversize", "/huge.html", fetch.Config{Allow: loopback, MaxBytes: 64 << 10}, "too_large", "larger than"},
		{"RefusedAddress", "/jsonld.html", fetch.Config{}, "refused_address", "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := storetest.Open(t)
			_, err := intake.NewImporter(db, tc.cfg).Import(ctx, srv.URL+tc.path, nil)
			if err == nil {
				t.Fatal("imported, want a refusal")
			}
			reason, msg := intake.Failure(err)
			if reason != tc.reason || !strings.Contains(msg, tc.says) {
				t.Errorf("failure %s %q, want %s mentioning %q", reason, msg, tc.reason, tc.says)
			}
			if models.ErrorCode(err) != models.EINVALID {
				t.Errorf("code %s, want invalid", models.ErrorCode(err))
			}
			if intake.Transient(err) != (tc.reason == "timeout") {
				t.Errorf("transient %v", intake.Transient(err))
			}
			if n, err := db.CountDocuments(ctx); err != nil || n != 0 {
				t.Errorf("%d documents stored after a refusal, %v", n, err)
			}
			assertNoOriginals(t, db)
		})
	}
}

func assertNoOriginals(t *testing.T, db *store.DB) {
	t.Helper()
	if o, err := db.OriginalInfo(context.Background(), 1); err != nil || o != nil {
		t.Errorf("an original is stored: %+v, %v", o, err)
	}
}

// TestRunOnce: a job run again after it stored its document (a crash
// before the queue marked it done) finds that document and stores no
// second one; another job of the same URL is another import.
func TestRunOnce(t *testing.T) {
	ctx := context.Background()
	srv := publisher(t)
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	im := intake.NewImporter(db, fetch.Config{Allow: loopback})
	job := intake.ArticleJob{URL: srv.URL + "/opengraph.html", UserID: ed.ID}
	first, err := im.Run(ctx, 41, job)
	if err != nil {
		t.Fatal(err)
	}
	again, err := im.Run(ctx, 41, job)
	if err != nil || again != first {
		t.Fatalf("the rerun made document %d (%v), want %d", again, err, first)
	}
	if n, _ := db.CountDocuments(ctx); n != 1 {
		t.Fatalf("%d documents after a rerun, want 1", n)
	}
	other, err := im.Run(ctx, 42, job)
	if err != nil || other == first {
		t.Fatalf("another job made document %d (%v)", other, err)
	}
	d, err := db.GetDocument(ctx, first)
	if err != nil || d.CreatedBy == nil || *d.CreatedBy != ed.ID {
		t.Errorf("the document's creator is %v (%v), want the editor who asked", d.CreatedBy, err)
	}
}
