package desk

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"factdesk/models"
)

// TestDocumentStructure: the triage view shows the body's blocks as their
// elements, and its text content (hidden leads included) is the body
// exactly, so selections still count the body's code points; a claim
// across two blocks is marked in both and numbered once.
func TestDocumentStructure(t *testing.T) {
	body := "Intro “naïve” line.\n## A Heading\nFirst para ends here.\nSecond para.\n> Quoted words.\n> More quoted.\n- one\n- two\n3. three\n4. four\n"
	quote := "ends here.\nSecond"
	a, _ := models.QuoteAnchor(body, quote)
	claim := models.Claim{ID: 4, Anchor: models.Anchor{Start: a.Start, End: a.End}, Status: models.StatusOpen}
	p := &DocumentPage{Document: models.Document{ID: 1, Body: body}}
	// A claim that ends on a line break, in the hidden lead of the next
	// block, is still numbered on its words.
	intro := models.Claim{ID: 5, Anchor: models.Anchor{Start: 0, End: utf8.RuneCountInString("Intro “naïve” line.\n")}, Status: models.StatusCandidate}
	p.Text, p.Marked = MarkText(body, []models.Claim{claim, intro})
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := r.Document(&b, p); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	from := strings.Index(page, `<div id="doc-body"`)
	to := strings.Index(page[from:], "</section>")
	div := page[from : from+to]
	for _, want := range []string{`<h3 class="doc-h"><span class="lead" hidden>`, `<blockquote class="doc-quote"><p>`, `<ul><li>`, `<ol start="3"><li>`} {
		if !strings.Contains(div, want) {
			t.Errorf("no %s in\n%s", want, div)
		}
	}
	if n := strings.Count(div, `data-claim="4"`); n != 2 {
		t.Errorf("claim marked in %d pieces, want 2 (one per paragraph)", n)
	}
	for _, n := range []string{`data-n="1"`, `data-n="2"`} {
		if c := strings.Count(div, n); c != 1 {
			t.Errorf("%s appears %d times, want once", n, c)
		}
	}
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(div, ""))
	text = strings.TrimSuffix(text, "\n")
	if text != body {
		t.Errorf("text content %q\nwant the body %q", text, body)
	}
}
