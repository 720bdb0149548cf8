package server_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
)

// An admin builds a new scale in the desk (the six-step preset, then a
// rating of the newsroom's own added by hand), an editor proposes a verdict
// on it and a second editor approves it; the verdict page's ClaimReview
// carries the new scale's ratingValue, alternateName and bounds.
func TestScaleBrowser(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	rename(t, e.db, e.ed1, "Amina Rahman")
	rename(t, e.db, e.ed2, "Jonas Berg")
	rename(t, e.db, e.admin, "Sara Okafor")
	d := storeDoc(t, e)
	cl := storeClaim(t, e, d)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	browser := servertest.Browser(t)

	admin := newTab(t, browser, e.URL)
	admin.signIn(e.admin.Email)
	admin.open("/desk/scale")
	admin.check("scale editor")
	admin.do(chromedp.Click(chromedp.CSS(`#preset-form input[name="preset"][value="six-step"]`)),
		chromedp.Click(chromedp.CSS(`#preset-form button[type=submit]`)))
	admin.waitURL("done=scale_saved")
	sc, err := e.db.Scale(ctx)
	if err != nil || sc.BestRating != 6 || len(sc.Ratings) != 6 {
		t.Fatalf("after the preset: %+v, %v", sc, err)
	}
	// A rating of its own, in the first blank row, placed second.
	n := strconv.Itoa(len(sc.Ratings))
	admin.do(chromedp.SendKeys(chromedp.CSS("#f-row-"+n+"-key"), "flip_flop"),
		chromedp.SendKeys(chromedp.CSS("#f-row-"+n+"-label"), "Full Flop"),
		chromedp.SetValue(chromedp.CSS("#f-row-"+n+"-colour"), "purple"),
		chromedp.SetValue(chromedp.CSS("#f-row-"+n+"-order"), "1.5"),
		chromedp.Click(chromedp.CSS(`#scale-form button[type=submit]`)))
	// A fault comes back on the form, with what was typed.
	admin.do(chromedp.WaitVisible(chromedp.CSS("#f-row-" + n + "-order-error")))
	if got := admin.value("#f-row-" + n + "-label"); got != "Full Flop" {
		t.Errorf("label after the refusal = %q", got)
	}
	admin.do(chromedp.SetValue(chromedp.CSS("#f-row-"+n+"-order"), "2"),
		chromedp.SetValue(chromedp.CSS("#f-row-"+n+"-value"), "3"),
		chromedp.SetValue(chromedp.CSS("#f-row-"+n+"-description"), "The speaker now says the opposite of what they said before."),
		chromedp.Click(chromedp.CSS(`#scale-form button[type=submit]`)))
	admin.waitURL("done=scale_saved")
	admin.check("scale editor, saved")
	admin.screenshot("desk-scale.png", 1280)
	if sc, _ = e.db.Scale(ctx); len(sc.Ratings) != 7 || sc.Ratings[2].Key != "flip_flop" {
		t.Fatalf("after adding a rating: %+v", sc.Ratings)
	}

	// An editor proposes a verdict on the new scale: the form offers it.
	one := newTab(t, browser, e.URL)
	one.signIn(e.ed1.Email)
	one.open(path)
	offered := eval[[]string](one, `Array.from(document.querySelectorAll('#f-rating option')).map(o => o.textContent)`)
	mustHave(t, "rating choices", stringsJoin(offered), "Pants on Fire", "Full Flop", "Half True")
	one.clickAction("start")
	one.do(chromedp.SetValue(chromedp.CSS("#f-rating"), "pants_on_fire"),
		chromedp.SendKeys(chromedp.CSS("#f-explanation"), "Nothing in the record supports the figure."),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="submit"]`)))
	one.waitURL("done=submitted")

	two := newTab(t, browser, e.URL)
	two.signIn(e.ed2.Email)
	two.open(path)
	two.clickAction("approve")
	got, _ := e.db.GetClaim(ctx, cl.ID)
	if got.Status != models.StatusPublished || got.Rating != "pants_on_fire" {
		t.Fatalf("after approve: %s %s", got.Status, got.Rating)
	}

	reader := newTab(t, browser, e.URL)
	reader.open(frontend.VerdictPath(got))
	mustHave(t, "verdict page", reader.text("main"), "Pants on Fire")
	raw := eval[string](reader, `document.querySelector('script[type="application/ld+json"]').textContent`)
	var cr struct {
		ReviewRating struct {
			RatingValue   int    `json:"ratingValue"`
			BestRating    int    `json:"bestRating"`
			WorstRating   int    `json:"worstRating"`
			AlternateName string `json:"alternateName"`
		} `json:"reviewRating"`
	}
	if err := json.Unmarshal([]byte(raw), &cr); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, raw)
	}
	if r := cr.ReviewRating; r.RatingValue != 1 || r.BestRating != 6 || r.WorstRating != 1 || r.AlternateName != "Pants on Fire" {
		t.Errorf("reviewRating = %+v, want 1 of 1..6, Pants on Fire", r)
	}
	// The bylines name both editors; the team page lists them.
	mustHave(t, "bylines", reader.text(".byline"), "Checked by Amina Rahman", "Reviewed by Jonas Berg")
	reader.check("verdict page with bylines")
	reader.screenshot("verdict-bylines.png", 1280, true)
	reader.open("/team")
	reader.check("team page")
	mustHave(t, "team page", reader.text("main"), "Amina Rahman", "Jonas Berg", "Sara Okafor", "Editor and desk admin")
	if strings.Contains(reader.text("body"), "@example.org") {
		t.Error("the team page shows an email address")
	}

	// The statistics count the verdict.
	admin.open("/desk/stats")
	admin.check("statistics")
	mustHave(t, "statistics", admin.text("#by-status"), "Published")
	admin.screenshot("desk-stats.png", 1280)
}

func stringsJoin(s []string) string {
	out := ""
	for _, x := range s {
		out += x + "\n"
	}
	return out
}
