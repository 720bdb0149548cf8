package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"factdesk/demo"
	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// The whole loop in a real browser: an editor imports and triages a
// document, makes a claim from selected words, researches and submits it;
// a second editor approves; a reader sees the verdict. Every desk page on
// the way passes axe-core and fits 768 px.
func TestDeskBrowserLoop(t *testing.T) {
	e := newDeskEnv(t)
	browser := servertest.Browser(t)
	ctx := context.Background()
	one := newTab(t, browser, e.URL)
	one.signIn(e.ed1.Email)
	one.check("dashboard")

	// Import a pasted document. A character outside the BMP before the
	// claims makes UTF-16 offsets and code-point offsets differ.
	body := "Note from the desk 🙂: pasted for the test.\n" + demo.Document().Body
	one.open("/desk/documents/new")
	one.check("import form")
	one.do(chromedp.SendKeys(chromedp.CSS("#f-title"), "Pakistan and Afghanistan: an op-ed"),
		chromedp.SendKeys(chromedp.CSS("#f-publisher"), "The Test Daily"),
		chromedp.SetValue(chromedp.CSS("#f-body"), body),
		chromedp.Click(chromedp.CSS(`form[action="/desk/documents"] button[type=submit]`)))
	one.waitURL("done=imported")
	docPath := strings.Split(one.location(), "?")[0]
	docID, _ := strconv.ParseInt(strings.TrimPrefix(docPath, "/desk/documents/"), 10, 64)
	one.do(chromedp.WaitVisible(chromedp.CSS("#doc-body")))
	if got := one.text("#doc-body"); got != strings.ReplaceAll(body, "\r\n", "\n") {
		t.Fatalf("the text element's content is not the body exactly (%d vs %d runes)", utf8.RuneCountInString(got), utf8.RuneCountInString(body))
	}
	one.check("triage")

	// Accept the first proposed claim and dismiss the next with a reason.
	ids := eval[[]string](one, `Array.from(document.querySelectorAll('li.candidate')).map(li => li.id.slice(5))`)
	if len(ids) < 2 {
		t.Fatalf("candidates = %v, want at least 2", ids)
	}
	accepted, _ := strconv.ParseInt(ids[0], 10, 64)
	dismissed, _ := strconv.ParseInt(ids[1], 10, 64)
	// Accept with the keyboard: j selects the first candidate, a accepts it.
	one.do(chromedp.KeyEvent("j"), chromedp.KeyEvent("a"))
	one.waitFor("!document.getElementById('cand-" + ids[0] + "') && document.readyState === 'complete'")
	one.do(chromedp.WaitVisible(chromedp.CSS("#cand-"+ids[1])),
		chromedp.SendKeys(chromedp.CSS("#reason-"+ids[1]), "Opinion, not a factual claim"),
		chromedp.Click(chromedp.CSS("#cand-"+ids[1]+" form.dismiss button")))
	one.waitFor("!document.getElementById('cand-" + ids[1] + "') && document.readyState === 'complete'")
	if c, _ := e.db.GetClaim(ctx, accepted); c.Status != models.StatusOpen {
		t.Errorf("accepted claim is %s", c.Status)
	}
	if c, _ := e.db.GetClaim(ctx, dismissed); c.Status != models.StatusDismissed || c.DismissReason != "Opinion, not a factual claim" {
		t.Errorf("dismissed claim is %s (%q)", c.Status, c.DismissReason)
	}

	// Select a phrase with a curly quote and "naïve" (and the space before
	// it, which is left out) and make a claim of it.
	phrase := "It is naïve to assume that India’s embrace of Kabul"
	start := utf8.RuneCountInString(body[:strings.Index(body, phrase)])
	end := start + utf8.RuneCountInString(phrase)
	if got := one.selectText(start-1, end); got != "\n"+phrase && got != " "+phrase {
		t.Fatalf("selected %q", got)
	}
	one.do(chromedp.WaitEnabled(chromedp.CSS("#sel-submit")))
	mustHave(t, "selection shown", one.text("#selection"), phrase)
	one.do(chromedp.Click(chromedp.CSS("#sel-submit")))
	one.waitURL("done=created")
	claimPath := strings.Split(one.location(), "?")[0]
	claimID, _ := strconv.ParseInt(strings.TrimPrefix(claimPath, "/desk/claims/"), 10, 64)
	cl, err := e.db.GetClaim(ctx, claimID)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Exact != phrase || cl.Start != start || cl.End != end || cl.DocumentID == nil || *cl.DocumentID != docID {
		t.Fatalf("stored anchor = %q [%d,%d), want %q [%d,%d)", cl.Exact, cl.Start, cl.End, phrase, start, end)
	}
	one.check("claim editor")

	// Research: a new source as evidence, start, a rating with a previewed
	// explanation, submit.
	one.do(chromedp.SetValue(chromedp.CSS("#f-url"), "https://example.org/report"),
		chromedp.SetValue(chromedp.CSS("#f-title"), "Regional security report"),
		chromedp.SetValue(chromedp.CSS("#f-publisher"), "Example Institute"),
		chromedp.SetValue(chromedp.CSS("#f-stance"), "refutes"),
		chromedp.SetValue(chromedp.CSS("#f-excerpt"), "The report finds no such alignment."),
		chromedp.Click(chromedp.CSS("#evidence-form button[type=submit]")))
	one.waitURL("done=evidence")
	mustHave(t, "evidence list", one.text("#evidence ul.evidence"), "Regional security report", "refutes")
	one.clickAction("start")
	explanation := "The report **does not support** the claim; see the sources."
	one.do(chromedp.SetValue(chromedp.CSS("#f-rating"), "mostly_false"),
		chromedp.SendKeys(chromedp.CSS("#f-explanation"), explanation),
		chromedp.Click(chromedp.CSS("[data-preview]")),
		chromedp.WaitVisible(chromedp.CSS("#preview strong")))
	mustHave(t, "preview", one.text("#preview strong"), "does not support")
	one.do(chromedp.Click(chromedp.CSS(`button[name="op"][value="submit"]`)))
	one.waitURL("done=submitted")
	if c, _ := e.db.GetClaim(ctx, claimID); c.Status != models.StatusInReview || c.Rating != models.RatingMostlyFalse || c.Explanation != explanation {
		t.Fatalf("after submit: %s %s %q", c.Status, c.Rating, c.Explanation)
	}
	if n := eval[int](one, `document.querySelectorAll('form.action input[value="approve"]').length`); n != 0 {
		t.Error("the submitter is offered Approve")
	}

	// A second editor approves.
	two := newTab(t, browser, e.URL)
	two.signIn(e.ed2.Email)
	mustHave(t, "waiting for review", two.text("#review-h + ul"), "India’s embrace")
	two.screenshot("desk-dashboard.png", 1280)
	two.open(claimPath)
	two.check("claim editor, reviewer")
	two.screenshot("desk-claim-editor.png", 1280)
	two.screenshot("desk-claim-editor-768.png", 768)
	two.clickAction("approve")
	if c, _ := e.db.GetClaim(ctx, claimID); c.Status != models.StatusPublished {
		t.Fatalf("after approve: %s", c.Status)
	}
	mustHave(t, "history", two.text("#history"), "approved", "submitted", "Mostly false")

	// A reader, with no session, sees the verdict.
	cl, _ = e.db.GetClaim(ctx, claimID)
	reader := newTab(t, browser, e.URL)
	reader.open(frontend.VerdictPath(cl))
	mustHave(t, "verdict page", reader.text("main"), "Mostly false", "does not support")
	reader.open("/desk")
	reader.waitURL("/desk/login")

	one.open(docPath)
	one.screenshot("desk-triage.png", 1280, true)

	// The other pages: queue with its keys, documents, users (admin only).
	one.open("/desk/claims?sort=-id")
	one.check("claims queue")
	one.screenshot("desk-claims.png", 1280, true)
	one.do(chromedp.KeyEvent("j"))
	if got := eval[string](one, `document.activeElement.closest('tr[data-item]').dataset.href`); got != claimPath {
		t.Errorf("j selected %q, want the newest claim %q", got, claimPath)
	}
	one.do(chromedp.KeyEvent("?"), chromedp.WaitVisible(chromedp.CSS("#help")))
	one.check("help overlay")
	one.do(chromedp.KeyEvent("\x1b"))
	one.do(chromedp.KeyEvent("o"))
	one.waitURL(claimPath)
	one.open("/desk/documents")
	one.check("documents")
	one.open("/desk/users")
	mustHave(t, "editor on /desk/users", one.text("main"), "only an admin may manage users")
	one.check("error page")
	admin := newTab(t, browser, e.URL)
	admin.signIn(e.admin.Email)
	admin.open("/desk/users")
	admin.check("users")
	admin.screenshot("desk-users-768.png", 768)
}

// Two editors save the same claim: the second sees both versions and keeps
// what they typed, and a second save goes through. The explanation draft
// survives a reload and is dropped once saved.
func TestDeskBrowserConflict(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d := storeDoc(t, e)
	cl := storeClaim(t, e, d)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	browser := servertest.Browser(t)
	one, two := newTab(t, browser, e.URL), newTab(t, browser, e.URL)
	one.signIn(e.ed1.Email)
	two.signIn(e.ed2.Email)
	one.open(path)
	two.open(path)

	one.do(chromedp.SendKeys(chromedp.CSS("#f-explanation"), "Notes from the first editor."),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="save"]`)))
	one.waitURL("done=saved")

	two.do(chromedp.SetValue(chromedp.CSS("#f-text"), "23,000 fighters crossed the “naïve” border, officials said"),
		chromedp.SendKeys(chromedp.CSS("#f-explanation"), "Notes from the second editor."),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS("#conflict")))
	compare := two.text("#conflict table")
	mustHave(t, "conflict table", compare, "Notes from the first editor.", "Notes from the second editor.")
	if got := two.value("#f-explanation"); got != "Notes from the second editor." {
		t.Errorf("explanation in the form = %q, want what was typed", got)
	}
	if got := two.value("#f-text"); got != "23,000 fighters crossed the “naïve” border, officials said" {
		t.Errorf("claim text in the form = %q, want what was typed", got)
	}
	if got := two.value(`#claim-form input[name="version"]`); got != "2" {
		t.Errorf("form version = %q, want 2", got)
	}
	two.check("conflict")
	two.do(chromedp.Click(chromedp.CSS(`button[name="op"][value="save"]`)))
	two.waitURL("done=saved")
	c, _ := e.db.GetClaim(ctx, cl.ID)
	if c.Explanation != "Notes from the second editor." || c.Text != "23,000 fighters crossed the “naïve” border, officials said" {
		t.Errorf("stored after the second save: %q / %q", c.Text, c.Explanation)
	}
	revs, _ := e.db.ListRevisions(ctx, storeRevisionsOf(cl.ID))
	found := false
	for _, r := range revs {
		for _, ch := range r.Changes() {
			if ch.Field == "explanation" && ch.After == "Notes from the first editor." {
				found = true
			}
		}
	}
	if !found {
		t.Error("the first editor's save is not in the history")
	}

	// The draft: typed, reloaded, restored; saved, dropped.
	one.open(path)
	one.do(chromedp.SendKeys(chromedp.CSS("#f-explanation"), " Draft kept."), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#draft-note")))
	if got := one.value("#f-explanation"); !strings.Contains(got, " Draft kept.") {
		t.Errorf("explanation after reload = %q, want the draft", got)
	}
	one.do(chromedp.Click(chromedp.CSS(`button[name="op"][value="save"]`)))
	one.waitURL("done=saved")
	left := eval[int](one, `Object.keys(localStorage).filter(k => k.startsWith('factdesk:draft:claim:`+strconv.FormatInt(cl.ID, 10)+`:')).length`)
	if left != 0 {
		t.Errorf("drafts left after the save: %d", left)
	}
	if c, _ := e.db.GetClaim(ctx, cl.ID); !strings.Contains(c.Explanation, " Draft kept.") {
		t.Errorf("stored explanation = %q", c.Explanation)
	}
}

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
