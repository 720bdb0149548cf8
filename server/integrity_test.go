package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

// The two-person rule, walked: every way a field readers see can change
// (each field × the API and the desk's forms × a claim in research, in
// review and published) reaches no public surface until an editor who did
// not write it approves, and a published change appears as a dated
// correction. No command of the factdesk CLI edits a claim, so the command
// line has no row here.
func TestEveryVerdictChangeNeedsASecondEditor(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	third := storetest.User(t, e.db, "third@example.org", models.RoleEditor)
	writer, submitter := e.ed1, e.ed2 // writer makes the change under test

	// A change: how it is made and what of it readers would see.
	type change struct {
		field  string
		marker string // text on the public surfaces once the change is public
		api    func(t *testing.T, id int64, version int) *http.Response
		desk   func(t *testing.T, c *deskClient, id int64, version int) *http.Response
	}
	api := func(method, path string, body map[string]any) *http.Response {
		r := e.SignedIn(writer).Do(method, path, body)
		return &http.Response{StatusCode: r.Status}
	}
	deskForm := func(t *testing.T, c *deskClient, id int64, version int, set url.Values) *http.Response {
		cl, err := e.db.GetClaim(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f := url.Values{"csrf_token": {c.csrf()}, "version": {strconv.Itoa(version)}, "text": {cl.Text}, "claimant": {cl.Claimant},
			"kind": {string(cl.Kind)}, "rating": {string(cl.Rating)}, "explanation": {cl.Explanation}, "op": {"save"}, "note": {"Changed after review."}}
		for k, v := range set {
			f[k] = v
		}
		res, _ := c.post(fmt.Sprintf("/desk/claims/%d", id), f)
		return res
	}
	firstEvidence := func(t *testing.T, id int64) int64 {
		d, err := e.db.GetClaimDetail(ctx, id)
		if err != nil || len(d.Evidence) == 0 {
			t.Fatalf("no evidence: %v", err)
		}
		return d.Evidence[0].ID
	}
	changes := []change{
		{"claim as stated", "MARKER-TEXT 23,000 fighters", func(t *testing.T, id int64, v int) *http.Response {
			return api("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": v, "text": tag("MARKER-TEXT 23,000 fighters", id), "note": "Wording fixed."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			return deskForm(t, c, id, v, url.Values{"text": {tag("MARKER-TEXT 23,000 fighters", id)}})
		}},
		{"claimant", "Marker Claimant", func(t *testing.T, id int64, v int) *http.Response {
			return api("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": v, "claimant": tag("Marker Claimant", id), "note": "Claimant named."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			return deskForm(t, c, id, v, url.Values{"claimant": {tag("Marker Claimant", id)}})
		}},
		{"rating", "", func(t *testing.T, id int64, v int) *http.Response {
			return api("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": v, "rating": "true", "note": "Rating changed."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			return deskForm(t, c, id, v, url.Values{"rating": {"true"}})
		}},
		{"explanation", "MARKER-EXPLANATION", func(t *testing.T, id int64, v int) *http.Response {
			return api("PATCH", fmt.Sprintf("/api/v1/claims/%d", id), map[string]any{"version": v, "explanation": tag("MARKER-EXPLANATION", id), "note": "Explanation fixed."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			return deskForm(t, c, id, v, url.Values{"explanation": {tag("MARKER-EXPLANATION", id)}})
		}},
		{"correct action", "MARKER-CORRECTED", func(t *testing.T, id int64, v int) *http.Response {
			return api("POST", fmt.Sprintf("/api/v1/claims/%d/transitions", id), map[string]any{"version": v, "action": "correct", "explanation": tag("MARKER-CORRECTED", id), "note": "Corrected."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			res, _ := c.post(fmt.Sprintf("/desk/claims/%d/transition", id), url.Values{"csrf_token": {c.csrf()}, "version": {strconv.Itoa(v)},
				"action": {"correct"}, "rating": {"false"}, "explanation": {tag("MARKER-CORRECTED", id)}, "note": {"Corrected."}})
			return res
		}},
		{"evidence public note", "MARKER-EVIDENCE-NOTE", func(t *testing.T, id int64, v int) *http.Response {
			return api("PATCH", fmt.Sprintf("/api/v1/claims/%d/evidence/%d", id, firstEvidence(t, id)), map[string]any{"public_note": tag("MARKER-EVIDENCE-NOTE", id), "correction_note": "Source note fixed."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			res, _ := c.post(fmt.Sprintf("/desk/claims/%d/evidence/%d", id, firstEvidence(t, id)), url.Values{"csrf_token": {c.csrf()}, "version": {strconv.Itoa(v)},
				"stance": {"refutes"}, "public_note": {tag("MARKER-EVIDENCE-NOTE", id)}, "op": {"save"}, "correction_note": {"Source note fixed."}})
			return res
		}},
		{"evidence added", "MARKER-SOURCE", func(t *testing.T, id int64, v int) *http.Response {
			return api("POST", fmt.Sprintf("/api/v1/claims/%d/evidence", id), map[string]any{"source": map[string]any{"title": tag("MARKER-SOURCE", id), "kind": "news"}, "stance": "context", "correction_note": "Source added."})
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			res, _ := c.post(fmt.Sprintf("/desk/claims/%d/evidence", id), url.Values{"csrf_token": {c.csrf()}, "source_id": {"0"},
				"title": {tag("MARKER-SOURCE", id)}, "source_kind": {"news"}, "stance": {"context"}, "correction_note": {"Source added."}})
			return res
		}},
		{"evidence removed", "", func(t *testing.T, id int64, v int) *http.Response {
			return api("DELETE", fmt.Sprintf("/api/v1/claims/%d/evidence/%d?correction_note=Source+withdrawn.", id, firstEvidence(t, id)), nil)
		}, func(t *testing.T, c *deskClient, id int64, v int) *http.Response {
			res, _ := c.post(fmt.Sprintf("/desk/claims/%d/evidence/%d", id, firstEvidence(t, id)), url.Values{"csrf_token": {c.csrf()}, "version": {strconv.Itoa(v)}, "op": {"remove"}, "correction_note": {"Source withdrawn."}})
			return res
		}},
	}
	anon := e.anonymous(t)
	// public is everything readers can read of the claim, in one string.
	// A claim being checked shows its wording, as "being checked", with no
	// verdict: until it is published its verdict surfaces are the feeds.
	const verdictOnly, ownOnly = "verdict-only", "own-only"
	public := func(t *testing.T, id int64, only ...string) string {
		var all strings.Builder
		paths := []string{fmt.Sprintf("/api/v1/claims/%d", id), fmt.Sprintf("/claims/%d", id), "/feeds/claimreview.json", "/feeds/verdicts.atom"}
		switch {
		case slices.Contains(only, verdictOnly):
			paths = paths[2:]
		case slices.Contains(only, ownOnly): // the feeds' own dates move with any write
			paths = paths[:2]
		}
		for _, p := range paths {
			res, body := anon.get(p)
			if res.StatusCode == http.StatusMovedPermanently {
				_, body = anon.get(res.Header.Get("Location"))
			}
			all.WriteString(body)
		}
		return all.String()
	}
	// A published claim's source; removing it shows as its title gone.
	const sourceTitle = "Security report 2024"
	claimIn := func(t *testing.T, status models.Status) int64 {
		d := storeDoc(t, e)
		c := storeClaim(t, e, d)
		move := func(by *models.User, in models.TransitionInput) {
			if _, err := storetest.Transition(ctx, e.db, c.ID, in, by); err != nil {
				t.Fatalf("%s: %v", in.Action, err)
			}
		}
		move(submitter, models.TransitionInput{Action: models.ActionStart})
		if _, err := e.db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceSupports, PublicNote: "Table 3."},
			&models.Source{Title: sourceTitle + " " + strconv.FormatInt(c.ID, 10), Kind: models.SourceOfficial}, submitter); err != nil {
			t.Fatal(err)
		}
		r, why := models.RatingFalse, "Official figures put it near 6,500."
		if status == models.StatusResearching {
			if _, err := e.db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: version(t, e, c.ID), Rating: &r, Explanation: &why}, submitter); err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		move(submitter, models.TransitionInput{Action: models.ActionSubmit, Rating: &r, Explanation: &why})
		if status == models.StatusPublished {
			move(third, models.TransitionInput{Action: models.ActionApprove})
		}
		return c.ID
	}
	// visible reports whether the change under test shows on a public surface.
	visible := func(t *testing.T, ch change, id int64) bool {
		c, err := e.db.GetClaim(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var only []string
		if c.Status != models.StatusPublished && (ch.field == "claim as stated" || ch.field == "claimant") {
			only = append(only, verdictOnly)
		}
		switch ch.field {
		case "rating":
			var c struct{ Rating string }
			res, body := anon.get(fmt.Sprintf("/api/v1/claims/%d", id))
			if res.StatusCode == http.StatusOK {
				_ = json.Unmarshal([]byte(body), &c)
			}
			return c.Rating == "true"
		case "evidence removed":
			return c.Status == models.StatusPublished && !strings.Contains(public(t, id), sourceTitle+" "+strconv.FormatInt(id, 10))
		}
		return strings.Contains(public(t, id, only...), tag(ch.marker, id))
	}
	approve := func(t *testing.T, by *models.User, id int64, reason string) int {
		in := map[string]any{"action": "approve", "version": version(t, e, id)}
		if reason != "" {
			in["override_reason"] = reason
		}
		return e.SignedIn(by).Do("POST", fmt.Sprintf("/api/v1/claims/%d/transitions", id), in).Status
	}

	for _, status := range []models.Status{models.StatusResearching, models.StatusInReview, models.StatusPublished} {
		for _, ch := range changes {
			for _, path := range []string{"api", "desk"} {
				t.Run(fmt.Sprintf("%s/%s/%s", status, ch.field, path), func(t *testing.T) {
					id := claimIn(t, status)
					if ch.field == "correct action" && status != models.StatusPublished {
						t.Skip("correct is an action of published claims")
					}
					before := public(t, id, ownOnly)
					var res *http.Response
					if path == "api" {
						res = ch.api(t, id, version(t, e, id))
					} else {
						res = ch.desk(t, e.signIn(t, writer), id, version(t, e, id))
					}
					if res.StatusCode >= 400 {
						t.Fatalf("the change was refused: %d", res.StatusCode)
					}
					if visible(t, ch, id) {
						t.Fatal("the change reached readers before any approval")
					}
					if status == models.StatusResearching {
						if _, err := storetest.Transition(ctx, e.db, id, models.TransitionInput{Action: models.ActionSubmit}, submitter); err != nil {
							t.Fatal(err)
						}
					}
					// Whoever wrote any of it may not approve it.
					if got := approve(t, writer, id, ""); got != http.StatusForbidden {
						t.Fatalf("the writer's approval = %d, want 403", got)
					}
					if status != models.StatusPublished {
						if got := approve(t, submitter, id, ""); got != http.StatusForbidden {
							t.Fatalf("the submitter's approval = %d, want 403", got)
						}
					}
					if visible(t, ch, id) {
						t.Fatal("a refused approval published the change")
					}
					if public(t, id, ownOnly) != before && status == models.StatusPublished {
						t.Fatal("the published page changed before the correction was approved")
					}
					if got := approve(t, third, id, ""); got != http.StatusOK {
						t.Fatalf("a second editor's approval = %d, want 200", got)
					}
					if !visible(t, ch, id) {
						t.Fatal("the approved change is not public")
					}
					if status == models.StatusPublished {
						d, err := e.db.GetClaimDetail(ctx, id)
						if err != nil || len(d.Corrections) != 1 || d.Corrections[0].CreatedAt.IsZero() {
							t.Fatalf("corrections = %+v, %v", d.Corrections, err)
						}
						if p := public(t, id); !strings.Contains(p, d.Corrections[0].Note) {
							t.Error("the correction's note is not public")
						}
						// The feed dates the verdict's change by its correction.
						_, feed := anon.get("/feeds/claimreview.json")
						var df struct {
							DataFeedElement []struct{ URL, DateModified string }
						}
						if err := json.Unmarshal([]byte(feed), &df); err != nil {
							t.Fatal(err)
						}
						found := false
						for _, el := range df.DataFeedElement {
							if strings.Contains(el.URL, fmt.Sprintf("/claims/%d/", id)) {
								found = el.DateModified != ""
							}
						}
						if !found {
							t.Error("the ClaimReview feed gives the corrected verdict no dateModified")
						}
					}
				})
			}
		}
	}
}

// Approve binds to the version read; an admin's override needs a reason,
// is said on the public page, and strict mode refuses it.
func TestApprovalNeedsVersionAndHonestOverride(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	c := storeClaim(t, e, storeDoc(t, e))
	r, why := models.RatingFalse, "Official figures put it near 6,500."
	for _, in := range []models.TransitionInput{{Action: models.ActionStart}, {Action: models.ActionSubmit, Rating: &r, Explanation: &why}} {
		if _, err := storetest.Transition(ctx, e.db, c.ID, in, e.admin); err != nil {
			t.Fatal(err)
		}
	}
	path := fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID)
	adm := e.SignedIn(e.admin)
	v := version(t, e, c.ID)
	cases := []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"no version", map[string]any{"action": "approve", "override_reason": "alone"}, 400, "version"},
		{"stale version", map[string]any{"action": "approve", "version": v - 1, "override_reason": "alone"}, 409, ""},
		{"own work without a reason", map[string]any{"action": "approve", "version": v}, 400, "override_reason"},
	}
	for _, tc := range cases {
		res := adm.Do("POST", path, tc.body)
		if res.Status != tc.status {
			t.Fatalf("%s: %d, want %d: %s", tc.name, res.Status, tc.status, res.Body)
		}
		if tc.field != "" && res.ErrorFields()[tc.field] == "" {
			t.Errorf("%s: no fields.%s in %s", tc.name, tc.field, res.Body)
		}
	}
	res := adm.Do("POST", path, map[string]any{"action": "approve", "version": version(t, e, c.ID), "override_reason": "The desk had one editor on election night."})
	want(t, res, http.StatusOK, "override with a reason")
	anon := e.anonymous(t)
	res2, page := anon.get(fmt.Sprintf("/claims/%d", c.ID))
	if res2.StatusCode == http.StatusMovedPermanently {
		_, page = anon.get(res2.Header.Get("Location"))
	}
	if !strings.Contains(page, "The desk had one editor on election night.") {
		t.Error("the verdict page does not say why one editor published it")
	}
}

// tag makes a marker of one claim, so that feeds listing every verdict
// tell the claims apart.
func tag(marker string, id int64) string { return marker + " " + strconv.FormatInt(id, 10) }

func version(t *testing.T, e *deskEnv, id int64) int {
	t.Helper()
	c, err := e.db.GetClaim(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}
