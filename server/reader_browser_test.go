package server_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"factdesk/frontend"
	"factdesk/server/servertest"
)

// readerBrowse runs the actions with a time limit, failing the test on error.
func readerBrowse(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func readerEval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// A reader's path through the site in a real Chromium: home, search for
// "23,000", the verdict with its badge and JSON-LD, the document with the
// claim marked at its words, and a mark reached with the keyboard.
func TestReaderInBrowser(t *testing.T) {
	f := newReaderFixture(t)
	ctx := servertest.Browser(t)
	id := strconv.FormatInt(f.verdict.ID, 10)

	readerBrowse(t, ctx, "open the home page", chromedp.Navigate(f.url+"/"), chromedp.WaitVisible(chromedp.CSS(".verdict-card")))
	if h1 := readerEval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Latest verdicts" {
		t.Errorf("home h1 = %q", h1)
	}

	readerBrowse(t, ctx, "search for 23,000",
		chromedp.SendKeys(chromedp.CSS("#site-q"), "23,000"),
		chromedp.Submit(chromedp.CSS("#site-q")),
		chromedp.WaitVisible(chromedp.CSS(".results")),
	)
	if marks := readerEval[string](t, ctx, `[...document.querySelectorAll(".snippet mark")].map(m => m.textContent).join("|")`); !strings.Contains(marks, "23") {
		t.Errorf("the search results highlight %q, want 23,000", marks)
	}

	readerBrowse(t, ctx, "open the verdict",
		chromedp.Click(chromedp.CSS(`.results a[href^="/claims/`+id+`/"]`)),
		chromedp.WaitVisible(chromedp.CSS(".rating-box .badge")),
	)
	if loc := readerEval[string](t, ctx, `location.pathname`); loc != frontend.VerdictPath(f.verdict) {
		t.Errorf("the result leads to %s", loc)
	}
	badge := readerEval[string](t, ctx, `document.querySelector(".rating-box .badge").textContent`)
	if !strings.Contains(badge, "Mostly false") {
		t.Errorf("badge %q, want the text Mostly false", badge)
	}
	if bg := readerEval[string](t, ctx, `getComputedStyle(document.querySelector(".rating-box .badge")).backgroundColor`); bg == "" || bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("the badge has no colour: %q", bg)
	}
	ld := readerEval[map[string]any](t, ctx, `JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)`)
	rr, _ := ld["reviewRating"].(map[string]any)
	if ld["@type"] != "ClaimReview" || ld["claimReviewed"] != f.verdict.Text || rr["alternateName"] != "Mostly false" || rr["ratingValue"] != 2.0 {
		t.Errorf("JSON-LD in the DOM: %v", ld)
	}
	readerShoot(t, ctx, "verdict-desktop.png")
	readerBrowse(t, ctx, "narrow the window to 360 px", chromedp.EmulateViewport(360, 780))
	if w := readerEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("at 360 px the verdict page is %v px wide: it scrolls sideways", w)
	}
	readerShoot(t, ctx, "verdict-360.png")
	readerBrowse(t, ctx, "widen the window again", chromedp.EmulateViewport(1280, 900))
	if n := readerPrintedPages(t, ctx); n != 1 {
		t.Errorf("the verdict page prints on %d pages, want 1", n)
	}

	readerBrowse(t, ctx, "follow the link to the document",
		chromedp.Click(chromedp.CSS(`.attribution a[href^="/documents/"]`)),
		chromedp.WaitVisible(chromedp.CSS(".doc-body")),
	)
	if hash := readerEval[string](t, ctx, `location.hash`); hash != "#claim-"+id {
		t.Errorf("the link leads to %q, want #claim-%s", hash, id)
	}
	words := readerEval[string](t, ctx, `[...document.querySelectorAll('a.mark[data-claim="`+id+`"] .mark-text')].map(m => m.textContent).join("")`)
	if words != f.verdict.Exact {
		t.Errorf("the mark covers %q, want %q", words, f.verdict.Exact)
	}
	if tag := readerEval[string](t, ctx, `document.querySelector('a.mark[data-claim="`+id+`"] .mark-tag').textContent`); !strings.Contains(tag, "Mostly false") {
		t.Errorf("the mark's label is %q", tag)
	}
	readerShoot(t, ctx, "document.png")

	// From the top of the page, Tab reaches the marks: they are links.
	readerBrowse(t, ctx, "go to the top", chromedp.Navigate(f.url+frontend.DocumentPath(f.doc.ID)), chromedp.WaitVisible(chromedp.CSS(".doc-body")))
	reached := ""
	for i := 0; i < 40 && reached == ""; i++ {
		readerBrowse(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		reached = readerEval[string](t, ctx, `document.activeElement.classList.contains("mark") ? document.activeElement.getAttribute("href") : ""`)
	}
	if reached == "" {
		t.Fatal("40 presses of Tab never reached a mark")
	}
	readerBrowse(t, ctx, "press Enter on the mark", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".rating-box")))
	if loc := readerEval[string](t, ctx, `location.pathname`); loc != reached {
		t.Errorf("Enter on the mark opened %s, want %s", loc, reached)
	}
}

// readerShoot writes a full-page screenshot to the screenshot folder.
func readerShoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	servertest.SaveScreenshot(t, name, png)
}

// No WCAG 2 A or AA violation on the home, verdict, document and search pages.
func TestReaderAccessibility(t *testing.T) {
	f := newReaderFixture(t)
	ctx := servertest.Browser(t)
	for _, p := range []string{"/", frontend.VerdictPath(f.verdict), frontend.DocumentPath(f.doc.ID), "/search?q=23%2C000", "/search?q=zzzxqy", frontend.VerdictPath(&f.claims[0]), "/no/such/page"} {
		t.Run(p, func(t *testing.T) {
			readerBrowse(t, ctx, "open "+p, chromedp.Navigate(f.url+p), chromedp.WaitReady(chromedp.CSS("main")))
			servertest.Axe(t, ctx)
		})
	}
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// readerPrintedPages prints the open page to PDF (A4) and counts its pages.
func readerPrintedPages(t *testing.T, ctx context.Context) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	return len(pdfPage.FindAll(pdf, -1))
}
