package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// An editor edits a document so that a claim's quote disappears, finds the
// claim flagged on the document page, selects the words it now stands on
// and places it there. A character outside the BMP before the claim makes
// the browser's UTF-16 offsets and the stored code points differ.
func TestDeskBrowserEditAndPlace(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	body := "From the desk 🙂: a test.\nMoscow’s warning about “23,000 terrorists” operating inside Afghanistan went unheeded."
	d := storetest.Document(t, e.db, body, e.ed1)
	start, end := span(t, body, "23,000 terrorists")
	cl := storetest.Claim(t, e.db, d, start, end, e.ed1)
	claimID := strconv.FormatInt(cl.ID, 10)
	docPath := "/desk/documents/" + strconv.FormatInt(d.ID, 10)

	browser := servertest.Browser(t)
	one := newTab(t, browser, e.URL)
	one.signIn(e.ed1.Email)
	one.open(docPath)
	one.do(chromedp.Click(chromedp.CSS(`a[href="` + docPath + `/edit"]`)))
	one.waitURL(docPath + "/edit")
	if got := one.value("#f-body"); got != body {
		t.Fatalf("the editor's text area holds %q, want the body exactly", got)
	}
	one.check("document editor")
	one.screenshot("desk-document-edit.png", 1280, true)

	edited := strings.Replace(body, "“23,000 terrorists” operating", "tens of thousands of militants operating", 1)
	one.do(chromedp.SetValue(chromedp.CSS("#f-body"), edited),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "figure restated"),
		chromedp.Click(chromedp.CSS(`#document-form button[type=submit]`)))
	one.waitURL("edited=1")
	if got, _ := e.db.GetDocument(ctx, d.ID); got.Body != edited || got.Version != 2 {
		t.Fatalf("stored body after the save: v%d %q", got.Version, got.Body)
	}
	if c, _ := e.db.GetClaim(ctx, cl.ID); !c.Orphaned {
		t.Fatal("the claim whose quote was edited away is not orphaned")
	}
	mustHave(t, "orphan alert", one.text("#orphan-alert"), "This edit left", "without a place")
	mustHave(t, "orphan", one.text("#orphan-"+claimID), "lost its place after an edit", "23,000 terrorists")
	if eval[bool](one, `document.querySelector('#orphan-`+claimID+` [data-place-button]').disabled`) != true {
		t.Error("the place button is enabled before any words are selected")
	}
	one.check("document with a lost claim")

	// Select the words the claim now stands on and place it.
	phrase := "tens of thousands of militants"
	s, en := span(t, edited, phrase)
	if got := one.selectText(s, en); got != phrase {
		t.Fatalf("selected %q", got)
	}
	button := `#orphan-` + claimID + ` [data-place-button]`
	one.do(chromedp.WaitEnabled(chromedp.CSS(button)))
	if got := one.text(button); got != "Place claim "+claimID+" here" {
		t.Errorf("button reads %q", got)
	}
	eval[bool](one, "(window.scrollTo(0, 0), true)")
	one.screenshot("desk-document-orphans.png", 1280, true)
	one.do(chromedp.Focus(chromedp.CSS(button)), chromedp.KeyEvent("\r"))
	one.waitURL("placed=" + claimID)

	c, err := e.db.GetClaim(ctx, cl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Exact != phrase || c.Start != s || c.End != en || c.Orphaned || !strings.HasSuffix(c.Prefix, "Moscow’s warning about ") {
		t.Fatalf("placed claim = %+v orphaned %v, want %q at [%d,%d)", c.Anchor, c.Orphaned, phrase, s, en)
	}
	// The proposal detection made of the same sentence may still be lost:
	// its figure is gone too. Only the placed claim must leave the list.
	if n := eval[int](one, `document.querySelectorAll('#orphan-`+claimID+`').length`); n != 0 {
		t.Error("the page still lists the placed claim as lost")
	}
	if got := eval[string](one, `Array.from(document.querySelectorAll('mark[data-claim="`+claimID+`"]')).map(m => m.textContent).join('')`); got != phrase {
		t.Errorf("the claim is marked on %q, want %q", got, phrase)
	}
	mustHave(t, "notice", one.text("p.flash"), "placed at the selected words")
	one.check("document after placing")
}
