package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

// memoryFixture is the case on a real server: a published verdict
// on "Moscow warned that 23,000 terrorists operate in Afghanistan" (from a
// dated article with a URL) and a new document that says it again beside a
// claim with another figure.
type memoryFixture struct {
	*deskEnv
	verdict         *models.Claim
	first, second   *models.Document
	repeat, other   *models.Claim // the new document's proposals
	repeatQuote     string
	otherQuote      string
	secondPublished time.Time
}

func newMemoryFixture(t *testing.T) *memoryFixture {
	t.Helper()
	e := newDeskEnv(t)
	ctx := context.Background()
	f := &memoryFixture{deskEnv: e}
	const said = "Moscow warned that 23,000 terrorists operate in Afghanistan"
	firstOn := time.Date(2025, 10, 14, 0, 0, 0, 0, time.UTC)
	f.first = &models.Document{Title: "Moscow’s warning", Publisher: "The Daily", URL: "https://news.example.org/moscow-warning", PublishedOn: &firstOn,
		Body: "At the meeting in Kabul, " + said + ". The figure was not sourced."}
	start := len([]rune("At the meeting in Kabul, "))
	claims := []models.Claim{{Anchor: models.Anchor{Start: start, End: start + len([]rune(said))}, Claimant: "Moscow", Kind: models.KindStatistic}}
	if err := e.db.CreateDocument(ctx, f.first, claims, e.ed1); err != nil {
		t.Fatal(err)
	}
	for _, c := range storetest.AllClaims(t, e.db, models.ClaimFilter{DocumentID: f.first.ID}) {
		if c.Exact == said {
			f.verdict = &c
		}
	}
	if f.verdict == nil {
		t.Fatal("the claim of the first document is missing")
	}
	f.verdict = storetest.Publish(t, e.db, f.verdict.ID, models.RatingFalse, "No count supports the figure.", e.ed1, e.ed2)
	f.repeatQuote = "Russia says 23,000 terrorists are operating inside Afghanistan"
	f.otherQuote = "Russia says 2,300 refugees returned"
	f.secondPublished = time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	f.second = &models.Document{Title: "Wire: Russia repeats its count", Publisher: "Wire", URL: "https://wire.example.com/russia-repeats", PublishedOn: &f.secondPublished,
		Body: f.repeatQuote + ", its envoy told reporters on Tuesday. " + f.otherQuote + " to their villages this year."}
	if err := e.db.CreateDocument(ctx, f.second, nil, e.ed1); err != nil {
		t.Fatal(err)
	}
	// The new document's proposals, as triage lists them: detection's,
	// or the editor's own where detection missed the words.
	for _, q := range []string{f.repeatQuote, f.otherQuote} {
		var got *models.Claim
		for _, c := range storetest.AllClaims(t, e.db, models.ClaimFilter{DocumentID: f.second.ID, Statuses: []models.Status{models.StatusCandidate}}) {
			if strings.Contains(c.Exact, q) || strings.Contains(q, c.Exact) && strings.Contains(c.Exact, strings.Fields(q)[2]) {
				got = &c
				break
			}
		}
		if got == nil {
			i := len([]rune(f.second.Body[:strings.Index(f.second.Body, q)]))
			c := &models.Claim{DocumentID: &f.second.ID, Anchor: models.Anchor{Start: i, End: i + len([]rune(q))}, Status: models.StatusCandidate, Origin: models.OriginDetected, Kind: models.KindStatistic}
			if err := e.db.CreateClaim(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
			got = c
		}
		if q == f.repeatQuote {
			f.repeat = got
		} else {
			f.other = got
		}
	}
	return f
}

// candidateHTML is the triage list's item of proposal id.
func candidateHTML(t *testing.T, page string, id int64) string {
	t.Helper()
	start := strings.Index(page, fmt.Sprintf(`<li class="candidate" id="cand-%d"`, id))
	if start < 0 {
		t.Fatalf("proposal %d is not on the triage list", id)
	}
	rest := page[start+1:]
	end := strings.Index(rest, `<li class="candidate" id="cand-`)
	if end < 0 {
		end = strings.Index(rest, `id="marked-h"`)
	}
	return page[start : start+1+end]
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// linkFormOf reads the "same claim" form that links to claim to from a
// piece of page: its action and fields.
func linkFormOf(t *testing.T, block string, to int64) (string, url.Values) {
	t.Helper()
	action := fmt.Sprintf(`action="/desk/claims/%d/appearances"`, to)
	i := strings.Index(block, action)
	if i < 0 {
		t.Fatalf("no link to claim %d as an appearance in %s", to, block)
	}
	form := block[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if m := regexp.MustCompile(`name="note" value="([^"]*)"`).FindStringSubmatch(form); m != nil {
		v.Set("note", html.UnescapeString(m[1]))
	}
	return fmt.Sprintf("/desk/claims/%d/appearances", to), v
}

// TestClaimMemoryDoneWhen is the test, on both engines: the
// published "23,000 terrorists" verdict is offered at triage for the new
// document's "23,000 terrorists" and not for its "2,300 refugees"; one
// click links it, a second editor approves the link (the claim is
// published), and the appearance shows on the verdict page, in the
// annotated new document (public through it alone) and in the ClaimReview.
func TestClaimMemoryDoneWhen(t *testing.T) {
	f := newMemoryFixture(t)
	anon := f.Anonymous()
	verdictPath := frontend.VerdictPath(f.verdict)
	secondPath := frontend.DocumentPath(f.second.ID)
	if r := anon.Do("GET", secondPath, nil); r.Status != http.StatusNotFound {
		t.Fatalf("the new document, with proposals only, is public: %d", r.Status)
	}
	before := anon.Do("GET", verdictPath, nil)
	if before.Status != http.StatusOK || strings.Contains(string(before.Body), "Said 2 times") {
		t.Fatalf("verdict page before the link: %d", before.Status)
	}

	ed := f.signIn(t, f.ed1)
	_, triage := ed.get("/desk/documents/" + strconv.FormatInt(f.second.ID, 10))
	repeat := candidateHTML(t, triage, f.repeat.ID)
	mustContain(t, repeat, "Already checked", `href="/desk/claims/`+strconv.FormatInt(f.verdict.ID, 10)+`"`, "False",
		`title="shared figure">23,000</span>`, `title="shared word">terrorists</span>`, "Same claim: link as appearance")
	if other := candidateHTML(t, triage, f.other.ID); strings.Contains(other, fmt.Sprintf("/desk/claims/%d", f.verdict.ID)) {
		t.Errorf("the 2,300 refugees proposal is offered the 23,000 terrorists verdict: %s", other)
	}
	_, claimPage := ed.get("/desk/claims/" + strconv.FormatInt(f.repeat.ID, 10))
	mustContain(t, claimPage, "Already checked", "Same claim: link as appearance", `title="shared figure">23,000</span>`)

	t.Run("ErrStaleVersion", func(t *testing.T) {
		action, form := linkFormOf(t, repeat, f.verdict.ID)
		form.Set("version", strconv.Itoa(f.verdict.Version-1))
		res, page := ed.post(action, form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, "changed by someone else") {
			t.Fatalf("stale link: %d", res.StatusCode)
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		action, form := linkFormOf(t, repeat, f.verdict.ID)
		form.Del("csrf_token")
		if res, _ := ed.post(action, form); res.StatusCode != http.StatusForbidden {
			t.Fatalf("link without the CSRF token: %d", res.StatusCode)
		}
	})

	action, form := linkFormOf(t, repeat, f.verdict.ID)
	res, _ := ed.post(action, form)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=link_pending") {
		t.Fatalf("link: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, after := ed.get(res.Header.Get("Location"))
	mustContain(t, after, "a second editor approves the appearance")
	if strings.Contains(after, fmt.Sprintf(`id="cand-%d"`, f.repeat.ID)) {
		t.Error("the linked proposal is still on the triage list")
	}
	if r := anon.Do("GET", secondPath, nil); r.Status != http.StatusNotFound {
		t.Fatalf("the link shows to readers before its approval: %d", r.Status)
	}
	cur, err := f.db.GetClaim(context.Background(), f.verdict.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Transition(context.Background(), f.db, cur.ID, models.TransitionInput{Action: models.ActionApprove}, f.ed2); err != nil {
		t.Fatal(err)
	}

	t.Run("VerdictPage", func(t *testing.T) {
		r := anon.Do("GET", verdictPath, nil)
		page := string(r.Body)
		if r.Status != http.StatusOK {
			t.Fatalf("verdict page: %d", r.Status)
		}
		if r.Header.Get("ETag") == before.Header.Get("ETag") {
			t.Error("the verdict page kept its ETag after the link")
		}
		mustContain(t, page, "Said 2 times since", "14 October 2025", `href="`+secondPath+`#said-again-`+strconv.FormatInt(f.verdict.ID, 10)+`"`,
			"Wire: Russia repeats its count", "20 November 2025", "<q>"+f.repeatQuote+"</q>")
	})
	t.Run("AnnotatedDocument", func(t *testing.T) {
		r := anon.Do("GET", secondPath, nil)
		page := string(r.Body)
		if r.Status != http.StatusOK {
			t.Fatalf("the new document, public through the appearance alone: %d", r.Status)
		}
		mark := regexp.MustCompile(`<a class="mark [^"]* mark-repeat" href="` + regexp.QuoteMeta(verdictPath) + `" data-claim="` + strconv.FormatInt(f.verdict.ID, 10) + `" data-repeat><span class="mark-text">([^<]*)</span><span class="mark-tag"> \[False · said again\]</span>`).FindStringSubmatch(page)
		if mark == nil || html.UnescapeString(mark[1]) != f.repeatQuote {
			t.Fatalf("the linked quote is not marked with the verdict: %v\n%s", mark, page)
		}
		mustContain(t, page, "Said again here", `id="said-again-`+strconv.FormatInt(f.verdict.ID, 10)+`"`)
		if strings.Contains(page, "2,300 refugees returned</span>") {
			t.Error("the proposal with the other figure is marked")
		}
	})
	t.Run("ClaimReview", func(t *testing.T) {
		lds := readerJSONLD(t, string(anon.Do("GET", verdictPath, nil).Body))
		if len(lds) != 1 {
			t.Fatalf("%d JSON-LD blocks", len(lds))
		}
		item, _ := lds[0]["itemReviewed"].(map[string]any)
		apps, _ := item["appearance"].([]any)
		var urls, dates []string
		for _, a := range apps {
			m, _ := a.(map[string]any)
			if m["@type"] != "CreativeWork" {
				t.Errorf("appearance %v is not a CreativeWork", m)
			}
			urls = append(urls, fmt.Sprint(m["url"]))
			dates = append(dates, fmt.Sprint(m["datePublished"]))
		}
		if got, want := strings.Join(urls, " "), f.first.URL+" "+f.second.URL; got != want {
			t.Errorf("appearance URLs %q, want %q", got, want)
		}
		if got := strings.Join(dates, " "); got != "2025-10-14 2025-11-20" {
			t.Errorf("appearance dates %q", got)
		}
		first, _ := item["firstAppearance"].(map[string]any)
		if first["url"] != f.first.URL || first["datePublished"] != "2025-10-14" {
			t.Errorf("firstAppearance = %v, want the first article", first)
		}
	})
	t.Run("ClaimReviewFeed", func(t *testing.T) {
		var feed struct {
			Elements []map[string]any `json:"dataFeedElement"`
		}
		if err := json.Unmarshal(anon.Do("GET", "/feeds/claimreview.json", nil).Body, &feed); err != nil {
			t.Fatal(err)
		}
		for _, e := range feed.Elements {
			if e["claimReviewed"] != f.verdict.Text {
				continue
			}
			item, _ := e["itemReviewed"].(map[string]any)
			apps, _ := item["appearance"].([]any)
			first, _ := item["firstAppearance"].(map[string]any)
			if len(apps) != 2 || first["url"] != f.first.URL {
				t.Errorf("the feed's review carries appearance %v, firstAppearance %v", apps, first)
			}
			return
		}
		t.Error("the verdict is not in the feed")
	})
	t.Run("Sitemap", func(t *testing.T) {
		if page := string(anon.Do("GET", "/sitemap.xml", nil).Body); !strings.Contains(page, secondPath+"</loc>") {
			t.Errorf("the sitemap lacks the document public through the appearance: %s", page)
		}
	})
	t.Run("DeskClaimPageListsTheAppearance", func(t *testing.T) {
		_, page := ed.get("/desk/claims/" + strconv.FormatInt(f.verdict.ID, 10))
		mustContain(t, page, "Said again", "Wire: Russia repeats its count", "Not the same claim: unlink")
	})
	t.Run("UnlinkWaitsForApproval", func(t *testing.T) {
		_, page := ed.get("/desk/claims/" + strconv.FormatInt(f.verdict.ID, 10))
		m := regexp.MustCompile(`action="(/desk/claims/\d+/appearances/\d+/unlink)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no unlink form")
		}
		form := url.Values{"csrf_token": {inputValue(page, "csrf_token")}, "version": {strconv.Itoa(f.verdict.Version - 1)}, "note": {"Not the same claim."}}
		if res, _ := ed.post(m[1], form); res.StatusCode != http.StatusConflict {
			t.Fatalf("stale unlink: %d", res.StatusCode)
		}
		cur, _ := f.db.GetClaim(context.Background(), f.verdict.ID)
		form.Set("version", strconv.Itoa(cur.Version))
		res, _ := ed.post(m[1], form)
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=unlink_pending") {
			t.Fatalf("unlink: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if page := string(anon.Do("GET", verdictPath, nil).Body); !strings.Contains(page, "Said 2 times") {
			t.Error("the unlink shows to readers before its approval")
		}
		if _, err := storetest.Transition(context.Background(), f.db, f.verdict.ID, models.TransitionInput{Action: models.ActionApprove}, f.ed2); err != nil {
			t.Fatal(err)
		}
		if page := string(anon.Do("GET", verdictPath, nil).Body); strings.Contains(page, "Said 2 times") {
			t.Error("the approved unlink still shows the appearance")
		}
		if r := anon.Do("GET", secondPath, nil); r.Status != http.StatusNotFound {
			t.Errorf("the document, public only through the appearance, is still public: %d", r.Status)
		}
	})
}

// TestDeskDashboardRepeats: the dashboard counts the appearances said in
// the chosen period, most first, and apart those said after the verdict
// was published.
func TestDeskDashboardRepeats(t *testing.T) {
	f := newMemoryFixture(t)
	ctx := context.Background()
	tenDaysAgo := time.Now().UTC().AddDate(0, 0, -10).Truncate(24 * time.Hour)
	docs := []*models.Document{
		{Title: "Speech of last week", PublishedOn: &tenDaysAgo, Body: "The envoy: Russia says 23,000 terrorists are operating inside Afghanistan."},
		{Title: "Undated press release", Body: "Once more, Russia says 23,000 terrorists are operating inside Afghanistan."},
	}
	cur := f.verdict
	for _, d := range docs {
		if err := f.db.CreateDocument(ctx, d, nil, f.ed1); err != nil {
			t.Fatal(err)
		}
		res, err := f.db.LinkAppearance(ctx, cur.ID, store.AppearanceLink{Version: cur.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: f.repeatQuote}, Note: "Said again."}, f.ed1)
		if err != nil {
			t.Fatal(err)
		}
		cur = res.Claim
	}
	if _, err := storetest.Transition(ctx, f.db, cur.ID, models.TransitionInput{Action: models.ActionApprove}, f.ed2); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query       string
		most, after string
	}{
		{"", "said again 2 times", "said again 1 time since it was published"},
		{"?repeats=7", "said again 1 time", "said again 1 time since it was published"},
		{"?repeats=365", "said again 2 times", "said again 1 time since it was published"},
		{"?repeats=3", "said again 2 times", "said again 1 time since it was published"}, // not a period on offer: the default
	}
	c := f.signIn(t, f.ed1)
	for _, tt := range tests {
		t.Run("repeats"+tt.query, func(t *testing.T) {
			res, page := c.get("/desk" + tt.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("dashboard: %d", res.StatusCode)
			}
			most := page[strings.Index(page, `id="repeats-most-h"`):strings.Index(page, `id="repeats-after-h"`)]
			after := page[strings.Index(page, `id="repeats-after-h"`):]
			after = after[:strings.Index(after, "</section>")]
			link := fmt.Sprintf(`href="/desk/claims/%d#appearances"`, f.verdict.ID)
			mustContain(t, most, link, tt.most)
			mustContain(t, after, link, tt.after)
			if tt.most == "said again 1 time" && strings.Contains(most, "said again 2 times") {
				t.Error("the week counts the speech of ten days ago")
			}
		})
	}
}

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
