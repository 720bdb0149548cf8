package server_test

import (
	"net/http"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
)

// TestEditorialLoop drives the whole work of a claim over HTTP: sign in,
// import, claim a span, add two sources, submit, be refused approval of
// one's own verdict, approval by a colleague, the public view, a correction,
// and the history of it all.
func TestEditorialLoop(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	ed2 := env.Login(servertest.Editor2Email)
	anon := env.Anonymous()

	r := ed.Do("POST", "/api/v1/documents", map[string]any{
		"title": "On the border", "author": "A. Writer", "publisher": "The Daily", "url": "https://example.org/oped",
		"published_on": "2025-03-14", "language": "en", "body": body,
	})
	want(t, r, http.StatusCreated, "import")
	doc := object(t, r)
	docID := id(t, doc)
	if doc["published_on"] != "2025-03-14T00:00:00Z" || doc["body"] != body {
		t.Errorf("document stored as %v", doc)
	}

	start, end := span(t, body, "23,000 terrorists were operating inside the country")
	r = ed.Do("POST", "/api/v1/claims", map[string]any{"document_id": docID, "start": start, "end": end, "claimant": "The minister", "kind": "statistic"})
	want(t, r, http.StatusCreated, "claim from span")
	claim := object(t, r)
	cid := itoa(id(t, claim))
	if claim["exact"] != "23,000 terrorists were operating inside the country" || claim["status"] != "open" {
		t.Fatalf("claim = %v", claim)
	}
	want(t, transition(t, ed, cid, map[string]any{"action": "start"}), http.StatusOK, "start")

	r = ed.Do("POST", "/api/v1/sources", map[string]any{"title": "Security report 2024", "url": "https://example.org/report", "kind": "official", "published_on": "2024-12-01"})
	want(t, r, http.StatusCreated, "source")
	srcID := id(t, object(t, r))
	want(t, ed.Do("POST", "/api/v1/claims/"+cid+"/evidence", map[string]any{"source_id": srcID, "stance": "refutes", "excerpt": "about 6,500 fighters", "research_note": "table 3"}), http.StatusCreated, "evidence 1")
	want(t, ed.Do("POST", "/api/v1/claims/"+cid+"/evidence", map[string]any{
		"source": map[string]any{"title": "UN monitoring team", "url": "https://example.org/un", "kind": "dataset"}, "stance": "context", "excerpt": "estimates vary"}), http.StatusCreated, "evidence 2")

	r = transition(t, ed, cid, map[string]any{"action": "submit", "rating": "false", "explanation": "Official figures put the number near **6,500**."})
	want(t, r, http.StatusOK, "submit")
	submitted := object(t, r)
	if submitted["status"] != "in_review" || submitted["rating"] != "false" {
		t.Fatalf("after submit: %v", submitted)
	}
	// Readers see the claim as being checked, without the draft verdict.
	r = anon.Do("GET", "/api/v1/claims/"+cid, nil)
	want(t, r, http.StatusOK, "anonymous read in review")
	if m := object(t, r); m["rating"] != nil || m["explanation"] != nil || len(m["evidence"].([]any)) != 0 {
		t.Errorf("a reader sees the draft: %v", m)
	}

	r = transition(t, ed, cid, map[string]any{"action": "approve"})
	want(t, r, http.StatusForbidden, "approval by the submitter")
	if r.ErrorCode() != models.EFORBIDDEN {
		t.Errorf("refusal code %q", r.ErrorCode())
	}
	r = transition(t, ed2, cid, map[string]any{"action": "approve", "note": "checked the report"})
	want(t, r, http.StatusOK, "approval by a second editor")
	if m := object(t, r); m["status"] != "published" || m["reviewer_id"] != float64(env.Editor2.ID) {
		t.Fatalf("after approval: %v", m)
	}

	r = anon.Do("GET", "/api/v1/claims/"+cid, nil)
	want(t, r, http.StatusOK, "anonymous read")
	pub := object(t, r)
	if pub["rating"] != "false" || pub["explanation"] == nil || pub["published_at"] == nil {
		t.Errorf("published verdict hidden: %v", pub)
	}
	if ev := pub["evidence"].([]any); len(ev) != 2 {
		t.Errorf("readers see %d sources, want 2", len(ev))
	}
	for _, k := range []string{"submitter_id", "reviewer_id", "assignee_id", "dismiss_reason", "score", "version"} {
		if _, ok := pub[k]; ok {
			t.Errorf("readers see %s", k)
		}
	}

	r = transition(t, ed, cid, map[string]any{"action": "correct", "rating": "mostly_false", "note": "A second report gives a higher figure."})
	want(t, r, http.StatusOK, "correction proposed")
	// Readers keep the published verdict until a second editor approves.
	if m := object(t, anon.Do("GET", "/api/v1/claims/"+cid, nil)); m["rating"] != "false" || len(m["corrections"].([]any)) != 0 {
		t.Errorf("a proposed correction reached readers: %v", m)
	}
	want(t, transition(t, ed, cid, map[string]any{"action": "approve"}), http.StatusForbidden, "approving one's own correction")
	want(t, transition(t, ed2, cid, map[string]any{"action": "approve"}), http.StatusOK, "approving the correction")
	r = anon.Do("GET", "/api/v1/claims/"+cid, nil)
	corrected := object(t, r)
	corr := corrected["corrections"].([]any)
	if corrected["rating"] != "mostly_false" || len(corr) != 1 || corr[0].(map[string]any)["note"] != "A second report gives a higher figure." {
		t.Errorf("after correction readers see %v", corrected)
	}

	r = ed.Do("GET", "/api/v1/claims/"+cid+"/revisions", nil)
	want(t, r, http.StatusOK, "revisions")
	var revs struct {
		Revisions []struct {
			Entity, Action, Summary string
			UserID                  *int64 `json:"user_id"`
			Changes                 []struct{ Field, Before, After string }
		}
	}
	r.Decode(t, &revs)
	var got []string
	for i := len(revs.Revisions) - 1; i >= 0; i-- {
		got = append(got, revs.Revisions[i].Entity+":"+revs.Revisions[i].Action)
	}
	wantRevs := []string{"claim:create", "claim:start", "evidence:create", "evidence:create", "claim:submit", "claim:approve", "claim:propose_correction", "claim:approve"}
	if len(got) != len(wantRevs) {
		t.Fatalf("revisions %v, want %v", got, wantRevs)
	}
	for i := range wantRevs {
		if got[i] != wantRevs[i] {
			t.Fatalf("revisions %v, want %v", got, wantRevs)
		}
	}
	// The correction was proposed by one editor and published by another.
	proposed, approved := revs.Revisions[1], revs.Revisions[0]
	if proposed.UserID == nil || *proposed.UserID != env.Editor.ID || len(proposed.Changes) == 0 {
		t.Errorf("proposed correction revision %+v", proposed)
	}
	if approved.UserID == nil || *approved.UserID != env.Editor2.ID || len(approved.Changes) == 0 {
		t.Errorf("approved correction revision %+v", approved)
	}
	if env.Validated() == 0 {
		t.Error("no response was validated against the OpenAPI document")
	}
}
