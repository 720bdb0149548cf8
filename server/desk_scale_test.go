package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
)

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
