package server_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

// Claim memory in a real browser: the claim page and the triage list show
// what was already checked (our verdict and other fact-checkers' reviews,
// with why they match), pass axe-core and fit 768 px; the "same claim"
// button links the proposal; once approved, readers see the appearance.
func TestClaimMemoryBrowser(t *testing.T) {
	if storetest.Engine() != store.SQLite {
		t.Skip("the pages are the same on both engines; the browser run is long")
	}
	f := newMemoryFixture(t)
	importFixtures(t, f.Env)
	browser := servertest.Browser(t)
	tab := newTab(t, browser, f.URL)
	tab.signIn(f.ed1.Email)

	tab.open("/desk/claims/" + strconv.FormatInt(f.repeat.ID, 10))
	tab.do(chromedp.WaitVisible(chromedp.CSS("#match-h")))
	mustHave(t, "claim page matches", tab.text(".matches"), "Moscow warned that 23,000 terrorists operate in Afghanistan", "Checked by Checkers United", "23,000", "Same claim: link as appearance")
	if n := eval[int](tab, `document.querySelectorAll('.matches .match').length`); n < 2 {
		t.Errorf("%d matches on the claim page, want ours and theirs", n)
	}
	tab.check("claim page with matches")
	tab.do(chromedp.ScrollIntoView(chromedp.CSS("#match-h")))
	tab.screenshot("desk-claim-matches.png", 1280, true)

	tab.open("/desk/documents/" + strconv.FormatInt(f.second.ID, 10))
	sel := "#cand-" + strconv.FormatInt(f.repeat.ID, 10)
	tab.do(chromedp.WaitVisible(chromedp.CSS(sel + " .matches")))
	tab.check("triage with matches")
	tab.screenshot("desk-triage-matches.png", 1280, true)
	tab.do(chromedp.Click(chromedp.CSS(sel + ` form[action="/desk/claims/` + strconv.FormatInt(f.verdict.ID, 10) + `/appearances"] button`)))
	tab.waitURL("done=link_pending")

	ctx := context.Background()
	if _, err := storetest.Transition(ctx, f.db, f.verdict.ID, models.TransitionInput{Action: models.ActionApprove}, f.ed2); err != nil {
		t.Fatal(err)
	}
	tab.open(frontend.VerdictPath(f.verdict))
	mustHave(t, "verdict page", tab.text(".appearances"), "Said 2 times since", "Wire: Russia repeats its count")
	tab.check("verdict page with appearances")
	tab.do(chromedp.ScrollIntoView(chromedp.CSS("#said-title")))
	tab.screenshot("verdict-said-again.png", 1280, true)
	tab.open(frontend.DocumentPath(f.second.ID))
	mustHave(t, "annotated document", tab.text(".mark-repeat"), f.repeatQuote, "said again")
	tab.check("document with a repeat")
	tab.screenshot("document-said-again.png", 1280, true)
}
