package server_test

import (
	"context"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/intake"
	"factdesk/server/servertest"
)

// demoHeadings are the subheadings of the demo op-ed, pasted text with no
// markers: they must show as headings.
var demoHeadings = []string{"A Repeating Pattern of Betrayal", "Global Forums, Zero Accountability",
	"India’s Growing Footprint, and Its Implications", "Tribal Resistance and the Fight Within",
	"The Human Cost of Insecurity", "Looking Ahead: A Shared Future or a Shattered One?"}

// TestStructureInBrowser: the demo's subheadings are headings on the
// reader's annotated document (h2) and on the desk (h3, under the page's
// "Text"), claims are still marked and selected at the body's code points,
// and an imported article's block quote and lists are elements of their
// own; axe-core finds nothing on either page.
func TestStructureInBrowser(t *testing.T) {
	f := newReaderFixture(t)
	browser := servertest.Browser(t)
	docID := strconv.FormatInt(f.doc.ID, 10)

	reader := newTab(t, browser, f.url)
	reader.open("/documents/" + docID)
	reader.do(chromedp.WaitVisible(chromedp.CSS(".doc-body")))
	if got := eval[[]string](reader, `[...document.querySelectorAll('.doc-body h2')].map(h => h.innerText)`); !reflect.DeepEqual(got, demoHeadings) {
		t.Errorf("reader headings %q\nwant %q", got, demoHeadings)
	}
	if n := eval[int](reader, `document.querySelectorAll('.doc-body p').length`); n < 20 {
		t.Errorf("%d paragraphs on the reader's page", n)
	}
	mark := eval[string](reader, `(document.querySelector('.doc-body a.mark[data-claim="`+strconv.FormatInt(f.verdict.ID, 10)+`"] .mark-text') || {}).textContent || ''`)
	if !strings.Contains(mark, "23,000 terrorists") {
		t.Errorf("the verdict's mark reads %q", mark)
	}
	reader.check("annotated document with headings")
	reader.screenshot("document-structure.png", 1280)

	desk := newTab(t, browser, f.url)
	desk.signIn(f.ed1.Email)
	desk.open("/desk/documents/" + docID)
	desk.do(chromedp.WaitVisible(chromedp.CSS("#doc-body")))
	if got := eval[[]string](desk, `[...document.querySelectorAll('#doc-body h3')].map(h => h.innerText)`); !reflect.DeepEqual(got, demoHeadings) {
		t.Errorf("desk headings %q\nwant %q", got, demoHeadings)
	}
	if got := desk.text("#doc-body"); got != f.doc.Body {
		t.Errorf("the desk's text element is not the body exactly")
	}
	// A selection after the headings still counts the body's code points.
	c := f.claims[len(f.claims)-1]
	if sel := desk.selectText(c.Start, c.End); sel != c.Exact {
		t.Errorf("selected %q, want %q", sel, c.Exact)
	}
	desk.waitFor(`document.getElementById('sel-start').value === '` + strconv.Itoa(c.Start) + `'`)
	if got := desk.value("#sel-end"); got != strconv.Itoa(c.End) {
		t.Errorf("selection ends at %s, want %d", got, c.End)
	}
	desk.check("triage with headings")

	// An article imported from a page: heading, quote and lists.
	page, err := os.ReadFile("../intake/testdata/jsonld.html")
	if err != nil {
		t.Fatal(err)
	}
	art, err := intake.Extract(page, "text/html", "utf-8", "https://ledger.example/indus")
	if err != nil {
		t.Fatal(err)
	}
	d := art.Document()
	if err := f.db.CreateDocument(context.Background(), d, nil, f.ed1); err != nil {
		t.Fatal(err)
	}
	desk.open("/desk/documents/" + strconv.FormatInt(d.ID, 10))
	desk.do(chromedp.WaitVisible(chromedp.CSS("#doc-body")))
	got := eval[[]string](desk, `[
	  [...document.querySelectorAll('#doc-body h3')].map(h => h.innerText).join('|'),
	  [...document.querySelectorAll('#doc-body h4')].map(h => h.innerText).join('|'),
	  String(document.querySelectorAll('#doc-body blockquote p').length),
	  String(document.querySelectorAll('#doc-body ul > li').length),
	  String(document.querySelectorAll('#doc-body ol > li').length),
	  getComputedStyle(document.querySelector('#doc-body .lead')).display]`)
	want := []string{"What the satellites measure", "Three districts stand out", "1", "3", "2", "none"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imported article on the desk: %q, want %q", got, want)
	}
	if got := desk.text("#doc-body"); got != d.Body {
		t.Errorf("the desk's text element is not the imported body exactly")
	}
	desk.check("triage of an imported article")
	desk.screenshot("desk-imported-article.png", 1280)
}
