package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
)

// claimReviewOf is the ClaimReview JSON-LD of the verdict page at path.
func claimReviewOf(t *testing.T, base, path string) map[string]any {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindSubmatch(b)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("GET %s: %d, JSON-LD found: %v", path, res.StatusCode, m != nil)
	}
	var out map[string]any
	if err := json.Unmarshal(m[1], &out); err != nil {
		t.Fatalf("JSON-LD of %s: %v\n%s", path, err, m[1])
	}
	return out
}

// An admin changes the scale through the API; published verdicts follow it
// as the mode says, and the reader page's ClaimReview carries the new scale.
func TestScaleAPI(t *testing.T) {
	tests := []struct {
		name                string
		body                map[string]any
		status              int
		field               string // the field at fault for a 400
		proposed, published int
		rating              models.Rating // the verdict's rating after the change
		ratingValue         float64       // the ClaimReview ratingValue after, 0 for none
		best                float64
		label               string // the ClaimReview alternateName after
	}{
		{name: "six-step, applied to all", body: map[string]any{"preset": "six-step", "mode": "apply_all", "note": "We moved to a six-step scale."},
			status: 200, published: 1, rating: models.RatingFalse, ratingValue: 2, best: 6},
		{name: "six-step, reviewed one by one", body: map[string]any{"preset": "six-step", "mode": "review", "note": "We moved to a six-step scale."},
			status: 200, proposed: 1, rating: "false_v1", best: 5, label: "False (earlier scale)"},
		{name: "six-step without a mode", body: map[string]any{"preset": "six-step", "note": "New scale."}, status: 400, field: "mode", rating: models.RatingFalse, ratingValue: 1, best: 5},
		{name: "six-step without a note", body: map[string]any{"preset": "six-step", "mode": "apply_all"}, status: 400, field: "note", rating: models.RatingFalse, ratingValue: 1, best: 5},
		{name: "no such preset", body: map[string]any{"preset": "pinocchios"}, status: 400, field: "preset", rating: models.RatingFalse, ratingValue: 1, best: 5},
		{name: "preset and ratings", body: map[string]any{"preset": "six-step", "ratings": []any{}}, status: 400, field: "preset", rating: models.RatingFalse, ratingValue: 1, best: 5},
		{name: "ratings without bounds", body: map[string]any{"ratings": []any{}}, status: 400, field: "best_rating", rating: models.RatingFalse, ratingValue: 1, best: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := servertest.New(t)
			f := &fixture{t: t, env: env, as: env.Editor}
			c := f.claim(models.StatusPublished)
			admin := env.SignedIn(env.Admin)
			got := admin.Do("GET", "/api/v1/scale", nil)
			want(t, got, 200, "GET scale")
			etag := got.Header.Get("ETag")
			var before struct {
				Scale models.Scale                  `json:"scale"`
				Use   map[string]map[string]float64 `json:"use"`
			}
			got.Decode(t, &before)
			if before.Use["false"]["published"] != 1 {
				t.Errorf("use = %v, want one published false", before.Use)
			}
			r := admin.Do("PUT", "/api/v1/scale", tt.body, "If-Match", etag)
			if r.Status != tt.status {
				t.Fatalf("PUT: %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.status == 400 {
				if r.ErrorFields()[tt.field] == "" {
					t.Errorf("fields = %v, want %s", r.ErrorFields(), tt.field)
				}
			} else {
				var res struct {
					Scale     models.Scale `json:"scale"`
					Proposed  int          `json:"corrections_proposed"`
					Published int          `json:"corrections_published"`
				}
				r.Decode(t, &res)
				if res.Proposed != tt.proposed || res.Published != tt.published || res.Scale.Version != before.Scale.Version+1 {
					t.Errorf("proposed %d published %d version %d, want %d %d %d", res.Proposed, res.Published, res.Scale.Version, tt.proposed, tt.published, before.Scale.Version+1)
				}
				// The ETag read before the change is stale now.
				if again := admin.Do("PUT", "/api/v1/scale", tt.body, "If-Match", etag); again.Status != 409 {
					t.Errorf("PUT with the old ETag: %d, want 409", again.Status)
				}
			}
			cl, err := env.DB.GetClaim(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cl.Rating != tt.rating {
				t.Errorf("verdict rating = %s, want %s", cl.Rating, tt.rating)
			}
			cr := claimReviewOf(t, env.URL, frontend.VerdictPath(cl))
			rr, _ := cr["reviewRating"].(map[string]any)
			v, _ := rr["ratingValue"].(float64)
			label := tt.label
			if label == "" {
				label = "False"
			}
			if v != tt.ratingValue || rr["alternateName"] != label {
				t.Errorf("reviewRating = %v, want ratingValue %v and %s", rr, tt.ratingValue, label)
			}
			if b, _ := rr["bestRating"].(float64); tt.ratingValue != 0 && b != tt.best {
				t.Errorf("bestRating = %v, want %v", rr["bestRating"], tt.best)
			}
			if tt.proposed > 0 {
				rv, err := env.DB.ReviewOf(context.Background(), cl)
				if err != nil || rv.Pending == nil || rv.Pending.Rating == nil || *rv.Pending.Rating != models.RatingFalse {
					t.Errorf("pending correction = %+v, %v; want one to the new false", rv.Pending, err)
				}
			}
		})
	}
}

// A rating in use stays: it may be retired, and then it is not offered to
// new verdicts, but the verdicts that hold it keep it.
func TestScaleRetire(t *testing.T) {
	env := servertest.New(t)
	f := &fixture{t: t, env: env, as: env.Editor}
	c := f.claim(models.StatusPublished)
	sc := f.scale()
	for i := range sc.Ratings {
		if sc.Ratings[i].Key == models.RatingFalse {
			sc.Ratings[i].Retired = true
		}
	}
	admin := env.SignedIn(env.Admin)
	r := admin.Do("PUT", "/api/v1/scale", map[string]any{"version": sc.Version, "ratings": sc.Ratings, "best_rating": sc.BestRating, "worst_rating": sc.WorstRating})
	want(t, r, 200, "retire false")
	open := f.claim(models.StatusResearching)
	ed := env.SignedIn(env.Editor)
	res := transition(t, ed, fmt.Sprint(open.ID), map[string]any{"action": "submit", "rating": "false", "explanation": "No.", "version": open.Version})
	if res.Status != 400 || !strings.Contains(string(res.Body), "retired") {
		t.Errorf("submit with a retired rating: %d %s", res.Status, res.Body)
	}
	cr := claimReviewOf(t, env.URL, frontend.VerdictPath(c))
	if rr := cr["reviewRating"].(map[string]any); rr["alternateName"] != "False" {
		t.Errorf("the published verdict lost its rating: %v", rr)
	}
}

// scaleForm is the scale editor's form for scale s as the page gives it,
// with a blank row after the ratings; edit changes it before it is sent.
func scaleForm(csrf string, s models.Scale, edit func(url.Values)) url.Values {
	f := url.Values{"csrf_token": {csrf}, "version": {strconv.FormatInt(s.Version, 10)}, "rows": {strconv.Itoa(len(s.Ratings) + 1)},
		"best_rating": {strconv.Itoa(s.BestRating)}, "worst_rating": {strconv.Itoa(s.WorstRating)}}
	for i, r := range s.Ratings {
		n := strconv.Itoa(i)
		f.Set("key_"+n, string(r.Key))
		f.Set("label_"+n, r.Label)
		f.Set("description_"+n, r.Description)
		f.Set("colour_"+n, string(r.Colour))
		f.Set("order_"+n, strconv.Itoa(i+1))
		if r.Value != nil {
			f.Set("value_"+n, strconv.Itoa(*r.Value))
		}
		if r.Retired {
			f.Set("retired_"+n, "1")
		}
	}
	n := strconv.Itoa(len(s.Ratings))
	f.Set("new_"+n, "1")
	f.Set("colour_"+n, "slate")
	f.Set("order_"+n, strconv.Itoa(len(s.Ratings)+1))
	if edit != nil {
		edit(f)
	}
	return f
}

func scale0(t *testing.T, e *deskEnv) models.Scale {
	t.Helper()
	s, err := e.db.Scale(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The scale editor is a plain form: each change is one POST, and a fault
// comes back on the form with what was typed.
func TestDeskScale(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	f := &fixture{t: t, env: e.Env, as: e.ed1}
	published := f.claim(models.StatusPublished) // rated false
	ed := e.signIn(t, e.ed1)
	if res, page := ed.get("/desk/scale"); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "only an admin may change the rating scale") {
		t.Errorf("editor on /desk/scale: %d", res.StatusCode)
	}
	edForm := scaleForm(ed.csrf(), scale0(t, e), func(f url.Values) { f.Set("label_0", "Editors' truth") })
	for _, path := range []string{"/desk/scale", "/desk/scale/preset"} {
		if res, _ := ed.post(path, edForm); res.StatusCode != http.StatusForbidden {
			t.Errorf("editor POST %s: %d, want 403", path, res.StatusCode)
		}
	}
	if s := scale0(t, e); s.Version != 1 {
		t.Errorf("an editor's POST changed the scale to version %d", s.Version)
	}
	admin := e.signIn(t, e.admin)
	res, page := admin.get("/desk/scale")
	if res.StatusCode != 200 {
		t.Fatalf("GET /desk/scale: %d", res.StatusCode)
	}
	mustContain(t, page, "Rating scale", `name="label_0" value="True"`, "used by 1 claim, 1 published", "In use: it cannot be removed", "Six steps, Pants on Fire to True")
	csrf := inputValue(page, "csrf_token")
	scale := func() models.Scale {
		s, err := e.db.Scale(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	find := func(s models.Scale, k models.Rating) int {
		for i, r := range s.Ratings {
			if r.Key == k {
				return i
			}
		}
		t.Fatalf("%s not on the scale", k)
		return -1
	}

	tests := []struct {
		name   string
		path   string
		form   func(s models.Scale) url.Values
		status int
		done   string   // the redirect's done= after a save
		page   []string // what the page shows after a refusal
		check  func(t *testing.T, s models.Scale)
	}{
		{"add a rating in the blank row", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) {
				n := strconv.Itoa(len(s.Ratings))
				f.Set("key_"+n, "missing_context")
				f.Set("label_"+n, "Missing context")
				f.Set("description_"+n, "True, but leaves out what changes its meaning.")
				f.Set("colour_"+n, "amber")
				f.Set("order_"+n, "0")
			})
		}, 303, "scale_saved", nil, func(t *testing.T, s models.Scale) {
			if r := s.Ratings[0]; r.Key != "missing_context" || r.Label != "Missing context" || r.Value != nil || r.Colour != "amber" {
				t.Errorf("first rating = %+v, want the new one, first by its order", r)
			}
		}},
		{"a label twice", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("label_2", "True") })
		}, 400, "", []string{`is on the scale twice`, `id="f-row-2-label" name="label_2" value="True"`}, nil},
		{"a value beyond best", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("value_1", "9") })
		}, 400, "", []string{"must be between worst_rating 1 and best_rating 5", `aria-describedby="f-row-1-rating_value-error"`}, nil},
		{"remove a rating in use", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("remove_"+strconv.Itoa(find(s, models.RatingFalse)), "1") })
		}, 400, "", []string{"retire it instead of removing it"}, nil},
		{"relabel a published verdict without a note", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("label_"+strconv.Itoa(find(s, models.RatingFalse)), "Wrong") })
		}, 400, "", []string{"choose review", "it needs a public note", `value="Wrong"`}, nil},
		{"relabel, applied to all", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) {
				f.Set("label_"+strconv.Itoa(find(s, models.RatingFalse)), "Wrong")
				f.Set("mode", "apply_all")
				f.Set("note", "We call false claims wrong now.")
			})
		}, 303, "scale_applied", nil, func(t *testing.T, s models.Scale) {
			if r := s.Ratings[find(s, models.RatingFalse)]; r.Label != "Wrong" {
				t.Errorf("false is labelled %q", r.Label)
			}
		}},
		{"rename the key of a rating nobody uses", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("key_"+strconv.Itoa(find(s, models.RatingMixed)), "half_true") })
		}, 303, "scale_saved", nil, func(t *testing.T, s models.Scale) {
			if _, ok := s.Find(models.RatingMixed); ok {
				t.Error("mixed is still on the scale")
			}
			if r, ok := s.Find("half_true"); !ok || r.Label != "Half true" {
				t.Errorf("half_true = %+v, %v", r, ok)
			}
		}},
		{"rename the key of a rating in use", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("key_"+strconv.Itoa(find(s, models.RatingFalse)), "wrong") })
		}, 400, "", []string{"retire it instead of removing it"}, nil},
		{"remove a rating nobody uses", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("remove_"+strconv.Itoa(find(s, models.RatingUnproven)), "1") })
		}, 303, "scale_saved", nil, func(t *testing.T, s models.Scale) {
			if _, ok := s.Find(models.RatingUnproven); ok {
				t.Error("unproven is still on the scale")
			}
		}},
		{"stale version", "/desk/scale", func(s models.Scale) url.Values {
			return scaleForm(csrf, s, func(f url.Values) { f.Set("version", "1"); f.Set("label_0", "Typed meanwhile") })
		}, 409, "", []string{`id="conflict"`, `value="Typed meanwhile"`}, nil},
		{"preset relabelling without a note", "/desk/scale/preset", func(s models.Scale) url.Values {
			return url.Values{"csrf_token": {csrf}, "version": {strconv.FormatInt(s.Version, 10)}, "preset": {"six-step"}, "mode": {"apply_all"}}
		}, 400, "", []string{"The preset was not applied", "public note"}, nil},
		{"six-step preset", "/desk/scale/preset", func(s models.Scale) url.Values {
			return url.Values{"csrf_token": {csrf}, "version": {strconv.FormatInt(s.Version, 10)}, "preset": {"six-step"}, "mode": {"review"}, "note": {"We moved to six steps."}}
		}, 303, "scale_review", nil, func(t *testing.T, s models.Scale) {
			if s.BestRating != 6 {
				t.Errorf("best = %d", s.BestRating)
			}
			if r, ok := s.Find("pants_on_fire"); !ok || r.Retired {
				t.Errorf("pants_on_fire = %+v, %v", r, ok)
			}
			if r, ok := s.Find("missing_context"); ok {
				t.Errorf("the unused missing_context stayed: %+v", r)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := scale()
			res, page := admin.post(tt.path, tt.form(before))
			if res.StatusCode != tt.status {
				t.Fatalf("POST %s: %d, want %d\n%s", tt.path, res.StatusCode, tt.status, page)
			}
			if tt.done != "" {
				if loc := res.Header.Get("Location"); loc != "/desk/scale?done="+tt.done {
					t.Errorf("redirect to %q, want done=%s", loc, tt.done)
				}
			} else if after := scale(); after.Version != before.Version {
				t.Errorf("a refused form changed the scale to version %d", after.Version)
			}
			mustContain(t, page, tt.page...)
			if tt.check != nil {
				tt.check(t, scale())
			}
		})
	}
	cl, _ := e.db.GetClaim(ctx, published.ID)
	if cl.Rating == models.RatingFalse {
		t.Errorf("after the reviewed preset, the verdict kept key %s; want the retired copy of its wording", cl.Rating)
	}
}

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
