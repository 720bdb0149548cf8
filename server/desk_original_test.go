package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"

	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/store/storetest"
)

// TestDeskOriginal: a document imported from a page links the page as
// fetched, which editors get byte for byte, sandboxed with no script and
// nothing loaded from elsewhere; a pasted document has none; readers are
// sent to sign in.
func TestDeskOriginal(t *testing.T) {
	e := newDeskEnv(t)
	page, err := os.ReadFile("../intake/testdata/jsonld.html")
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer site.Close()
	im := intake.NewImporter(e.db, fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	d, err := im.Import(context.Background(), site.URL+"/story", e.ed1)
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(d.ID, 10)
	c := e.signIn(t, e.ed1)

	res, doc := c.get("/desk/documents/" + id)
	if res.StatusCode != 200 || !strings.Contains(doc, `href="/desk/documents/`+id+`/original"`) {
		t.Errorf("the document page (%d) does not link its original", res.StatusCode)
	}
	res, got := c.get("/desk/documents/" + id + "/original")
	csp := res.Header.Get("Content-Security-Policy")
	if res.StatusCode != 200 || got != string(page) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("original: %d %s, %d bytes, want the page (%d bytes)", res.StatusCode, res.Header.Get("Content-Type"), len(got), len(page))
	}
	for _, want := range []string{"sandbox", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("CSP %q allows scripts, or nosniff is missing", csp)
	}

	pasted := storetest.Document(t, e.db, "A pasted text of the desk, with a line or two.", e.ed1)
	if res, _ := c.get("/desk/documents/" + strconv.FormatInt(pasted.ID, 10) + "/original"); res.StatusCode != 404 {
		t.Errorf("a pasted document's original: %d, want 404", res.StatusCode)
	}
	if res, _ := e.anonymous(t).get("/desk/documents/" + id + "/original"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want a redirect to sign in", res.StatusCode)
	}
}
