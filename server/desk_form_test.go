package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store"
)

// malformedNumbers are what a tampered or broken form may post for a number.
var malformedNumbers = []string{"", "abc", "1e3", "-1", "99999999999999999999"}

// TestDeskFormsRefuseMalformedNumbers posts each malformed number to each
// number of each desk form, the other fields valid: every one is refused
// with 400 and the form, never read as 0, and nothing is stored.
func TestDeskFormsRefuseMalformedNumbers(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d := storeDoc(t, e)
	cl := storeClaim(t, e, d)
	ev, err := e.db.AddEvidence(ctx, &models.Evidence{ClaimID: cl.ID, Stance: models.StanceSupports},
		&models.Source{URL: "https://example.org/figures", Title: "Figures", Kind: models.SourceOther}, e.ed1)
	if err != nil {
		t.Fatal(err)
	}
	cl, err = e.db.GetClaim(ctx, cl.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := e.signIn(t, e.ed1)
	token := c.csrf()
	claim := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	doc := "/desk/documents/" + strconv.FormatInt(d.ID, 10)
	v := strconv.Itoa(cl.Version)

	forms := []struct {
		name, path string
		form       url.Values
		numbers    []string
		optional   []string // where "" means none and is accepted
	}{
		{"claim save", claim, url.Values{"version": {v}, "text": {"23,000 fighters crossed"}, "claimant": {"Officials"},
			"kind": {"statistic"}, "assignee_id": {strconv.FormatInt(e.ed1.ID, 10)}, "rating": {""}, "explanation": {"Notes."}, "op": {"save"}},
			[]string{"version"}, []string{"assignee_id"}},
		{"claimant", claim + "/claimant", url.Values{"version": {v}, "claimant": {"Officials"}}, []string{"version"}, nil},
		{"transition", claim + "/transition", url.Values{"version": {v}, "action": {"start"}}, []string{"version"}, nil},
		{"evidence add", claim + "/evidence", url.Values{"source_id": {strconv.FormatInt(ev.SourceID, 10)}, "stance": {"refutes"},
			"url": {"https://example.org/other"}, "title": {"Other"}, "source_kind": {"other"}}, nil, []string{"source_id"}},
		{"evidence change", claim + "/evidence/" + strconv.FormatInt(ev.ID, 10), url.Values{"version": {v}, "stance": {"refutes"}, "op": {"save"}},
			[]string{"version"}, nil},
		{"document edit", doc + "/edit", url.Values{"version": {strconv.Itoa(d.Version)}, "title": {"Retitled"}, "body": {d.Body}},
			[]string{"version"}, nil},
		{"place claim", doc + "/place", url.Values{"claim_id": {strconv.FormatInt(cl.ID, 10)}, "start": {"0"}, "end": {"9"},
			"version": {v}, "document_version": {strconv.Itoa(d.Version)}},
			[]string{"claim_id", "start", "end", "version", "document_version"}, nil},
		{"claim from selection", doc + "/claims", url.Values{"start": {"0"}, "end": {"9"}}, []string{"start", "end"}, nil},
	}
	before := stored(t, e.db)
	for _, f := range forms {
		cases := map[string][]string{}
		for _, n := range f.numbers {
			cases[n] = malformedNumbers
		}
		for _, n := range f.optional {
			cases[n] = malformedNumbers[1:]
		}
		for field, values := range cases {
			for _, bad := range values {
				t.Run(f.name+"/"+field+"="+bad, func(t *testing.T) {
					form := url.Values{"csrf_token": {token}}
					for k, vs := range f.form {
						form[k] = vs
					}
					form.Set(field, bad)
					res, page := c.post(f.path, form)
					if res.StatusCode != http.StatusBadRequest {
						t.Fatalf("status = %d, want 400", res.StatusCode)
					}
					if !strings.Contains(page, `-error">`) { // a field's message, or the placement's alert

						t.Errorf("the form is not shown again with the field's error")
					}
					if got := stored(t, e.db); got != before {
						t.Errorf("stored %+v, want %+v: the malformed number was read as a number", got, before)
					}
				})
			}
		}
	}
	for _, q := range []string{"assignee", "document", "after"} {
		for _, bad := range malformedNumbers[1:] {
			t.Run("claims queue/"+q+"="+bad, func(t *testing.T) {
				res, _ := c.get("/desk/claims?" + url.Values{q: {bad}}.Encode())
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("status = %d, want 400", res.StatusCode)
				}
			})
		}
	}
	for _, q := range []string{"status=nope", "rating=maybe"} {
		if res, _ := c.get("/desk/claims?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("claims queue ?%s = %d, want 400", q, res.StatusCode)
		}
	}
	if res, _ := c.get("/desk/claims?assignee=&document=&after=&status=&rating="); res.StatusCode != http.StatusOK {
		t.Errorf("empty filters = %d, want 200: they mean no filter", res.StatusCode)
	}
}

// storedCounts is what a refused form must leave as it was.
type storedCounts struct{ revisions, claims, documents int64 }

func stored(t *testing.T, db *store.DB) storedCounts {
	t.Helper()
	ctx := context.Background()
	revs, err := db.ListRevisions(ctx, store.RevisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := db.CountClaims(ctx, models.ClaimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return storedCounts{revisions: int64(len(revs)), claims: claims, documents: countDocuments(t, db)}
}

// The newsroom's own forms follow the same rule: a malformed version of the
// scale or of a comment, or a malformed page cursor, is refused and changes
// nothing.
func TestDeskTeamFormsRefuseMalformedNumbers(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	cl := storeClaim(t, e, storeDoc(t, e))
	com := &models.Comment{ClaimID: cl.ID, Body: "Check the UN figure first."}
	if err := e.db.CreateComment(ctx, com, e.ed1); err != nil {
		t.Fatal(err)
	}
	scale, err := e.db.Scale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admin, editor := e.signIn(t, e.admin), e.signIn(t, e.ed1)
	claim := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	for _, bad := range malformedNumbers {
		t.Run("scale preset/version="+bad, func(t *testing.T) {
			res, page := admin.post("/desk/scale/preset", url.Values{"csrf_token": {admin.csrf()}, "preset": {"six-step"}, "mode": {"all"}, "note": {"New scale."}, "version": {bad}})
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `-error"`) {
				t.Errorf("status = %d, want 400 with the form's error", res.StatusCode)
			}
			if now, err := e.db.Scale(ctx); err != nil || now.Version != scale.Version {
				t.Errorf("the scale moved to version %d (%v)", now.Version, err)
			}
		})
		t.Run("comment edit/version="+bad, func(t *testing.T) {
			res, page := editor.post(claim+"/comments/"+strconv.FormatInt(com.ID, 10), url.Values{"csrf_token": {editor.csrf()}, "body": {"Changed."}, "version": {bad}})
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `-error"`) {
				t.Errorf("status = %d, want 400 with the form's error", res.StatusCode)
			}
			list, err := e.db.ListComments(ctx, cl.ID)
			if err != nil || len(list) != 1 || list[0].Body != com.Body {
				t.Errorf("the comment changed: %+v (%v)", list, err)
			}
		})
	}
	for _, bad := range malformedNumbers[1:] {
		if res, _ := editor.get("/desk/notifications?" + url.Values{"before": {bad}}.Encode()); res.StatusCode != http.StatusBadRequest {
			t.Errorf("notifications ?before=%s = %d, want 400", bad, res.StatusCode)
		}
	}
}
