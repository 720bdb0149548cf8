package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

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
				var e struct {
					Error struct{ Fields map[string]string } `json:"error"`
				}
				r.Decode(t, &e)
				if e.Error.Fields[tt.field] == "" {
					t.Errorf("fields = %v, want %s", e.Error.Fields, tt.field)
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
