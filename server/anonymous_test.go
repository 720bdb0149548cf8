package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// checkAnonymous looks through every response an anonymous client of env
// received: no email address, no candidate or dismissed claim, no verdict
// of an unpublished claim, none of the fields only editors see.
func checkAnonymous(t *testing.T, env *servertest.Env) {
	t.Helper()
	bodies := env.AnonymousBodies()
	if len(bodies) == 0 {
		t.Fatal("no anonymous response to check")
	}
	for _, b := range bodies {
		if strings.Contains(b, "@") {
			t.Errorf("an anonymous response holds an email address: %.300s", b)
		}
		var v any
		if json.Unmarshal([]byte(b), &v) != nil {
			continue
		}
		if msg := leak(v); msg != "" {
			t.Errorf("an anonymous response %s: %.300s", msg, b)
		}
	}
}

var editorOnlyFields = []string{"assignee_id", "submitter_id", "reviewer_id", "dismiss_reason", "score", "notes", "allowed_actions", "added_by"}

func leak(v any) string {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if msg := leak(e); msg != "" {
				return msg
			}
		}
	case map[string]any:
		if st, ok := v["status"].(string); ok {
			if st == string(models.StatusCandidate) || st == string(models.StatusDismissed) {
				return "shows a " + st + " claim"
			}
			if st != string(models.StatusPublished) && st != "" {
				if _, ok := v["rating"]; ok {
					return "shows the rating of a " + st + " claim"
				}
				if _, ok := v["explanation"]; ok {
					return "shows the draft explanation of a " + st + " claim"
				}
			}
		}
		if _, isDoc := v["openapi"]; isDoc {
			return "" // the OpenAPI document names the fields; it holds no data
		}
		for _, k := range editorOnlyFields {
			if _, ok := v[k]; ok {
				return "shows " + k
			}
		}
		for _, e := range v {
			if msg := leak(e); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// TestAnonymousSeesNothingPrivate fills a database with claims in every
// status, with marked texts, and reads every public route as a reader.
func TestAnonymousSeesNothingPrivate(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	ed2 := env.Login(servertest.Editor2Email)
	const text = "Zanzibar exported 9,999 tonnes of cloves. Zanzibar imported 7,777 tonnes of rice. " +
		"Zanzibar built 5,555 schools. Zanzibar hired 3,333 teachers. Zanzibar planted 1,111 trees."
	r := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Zanzibar figures", "body": text})
	want(t, r, 201, "import")
	docID := id(t, object(t, r))
	mk := func(part string) string {
		s, e := span(t, text, part)
		r := ed.Do("POST", "/api/v1/claims", map[string]any{"document_id": docID, "start": s, "end": e, "kind": "statistic"})
		want(t, r, 201, "claim "+part)
		return itoa(id(t, object(t, r)))
	}
	move := func(c *servertest.Client, cid string, body map[string]any) {
		t.Helper()
		want(t, transition(t, c, cid, body), 200, fmt.Sprint(body["action"]))
	}
	// A candidate, as detection makes them.
	s, e := span(t, text, "Zanzibar exported 9,999 tonnes of cloves")
	cand := &models.Claim{DocumentID: &docID, Anchor: models.Anchor{Start: s, End: e}, Text: "CANDIDATE-MARKER cloves", Status: models.StatusCandidate, Origin: models.OriginDetected}
	if err := env.DB.CreateClaim(t.Context(), cand, nil); err != nil {
		t.Fatal(err)
	}
	dismissed := mk("Zanzibar imported 7,777 tonnes of rice")
	want(t, ed.Do("PATCH", "/api/v1/claims/"+dismissed, map[string]any{"version": 1, "text": "DISMISSED-MARKER rice"}), 200, "rename")
	move(ed, dismissed, map[string]any{"action": "dismiss", "note": "DISMISS-REASON-MARKER"})
	review := mk("Zanzibar built 5,555 schools")
	want(t, ed.Do("PATCH", "/api/v1/claims/"+review, map[string]any{"version": 1, "assignee_id": env.Editor.ID}), 200, "assign")
	move(ed, review, map[string]any{"action": "start"})
	want(t, ed.Do("POST", "/api/v1/claims/"+review+"/evidence", map[string]any{
		"source": map[string]any{"title": "SOURCE-OF-DRAFT-MARKER", "notes": "SOURCE-NOTES-MARKER"}, "stance": "supports", "research_note": "EVIDENCE-NOTE-MARKER"}), 201, "evidence")
	move(ed, review, map[string]any{"action": "submit", "rating": "mostly_true", "explanation": "DRAFT-EXPLANATION-MARKER"})
	published := mk("Zanzibar hired 3,333 teachers")
	move(ed, published, map[string]any{"action": "start"})
	want(t, ed.Do("POST", "/api/v1/claims/"+published+"/evidence", map[string]any{
		"source": map[string]any{"title": "Teachers census", "notes": "PUBLISHED-SOURCE-NOTES-MARKER"}, "stance": "supports", "research_note": "PUBLISHED-EVIDENCE-NOTE-MARKER", "public_note": "Counted in 2024."}), 201, "evidence")
	move(ed, published, map[string]any{"action": "submit", "rating": "true", "explanation": "The census agrees."})
	move(ed2, published, map[string]any{"action": "approve"})

	anon := env.Anonymous()
	paths := []string{
		"/api/v1/documents", "/api/v1/documents/" + itoa(docID),
		"/api/v1/claims", "/api/v1/claims?limit=1", "/api/v1/claims?document_id=" + itoa(docID),
		"/api/v1/claims?status=candidate", "/api/v1/claims?status=dismissed", "/api/v1/claims?rating=mostly_true",
		"/api/v1/claims?q=Zanzibar", "/api/v1/claims?q=MARKER", "/api/v1/claims?kind=statistic",
		"/api/v1/claims/" + review, "/api/v1/claims/" + published, "/api/v1/claims/" + dismissed, fmt.Sprintf("/api/v1/claims/%d", cand.ID),
		"/api/v1/claims/" + review + "/matches", "/api/v1/claims/" + published + "/matches",
		"/api/v1/claims/" + review + "/revisions",
		"/api/v1/search?q=Zanzibar", "/api/v1/search?q=MARKER", "/api/v1/search?q=cloves", "/api/v1/search?q=rice",
		"/api/v1/sources", "/api/v1/users", "/api/v1/me", "/api/v1/tokens",
	}
	seen := 0
	for _, p := range paths {
		for next := p; next != ""; {
			r := anon.Do("GET", next, nil)
			if r.Status >= 500 {
				t.Fatalf("GET %s: %d", next, r.Status)
			}
			seen++
			for _, marker := range []string{"CANDIDATE-MARKER", "DISMISSED-MARKER", "DISMISS-REASON-MARKER", "DRAFT-EXPLANATION-MARKER",
				"SOURCE-OF-DRAFT-MARKER", "SOURCE-NOTES-MARKER", "EVIDENCE-NOTE-MARKER", "PUBLISHED-SOURCE-NOTES-MARKER", "PUBLISHED-EVIDENCE-NOTE-MARKER", "mostly_true"} {
				if strings.Contains(string(r.Body), marker) {
					t.Errorf("GET %s shows %s to a reader: %.300s", next, marker, r.Body)
				}
			}
			next = ""
			var page struct {
				Next *string `json:"next_cursor"`
			}
			if r.Status == http.StatusOK && json.Unmarshal(r.Body, &page) == nil && page.Next != nil {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				next = p + sep + "cursor=" + *page.Next
			}
		}
	}
	// The published verdict itself is public.
	r = anon.Do("GET", "/api/v1/claims/"+published, nil)
	if !strings.Contains(string(r.Body), "The census agrees.") || !strings.Contains(string(r.Body), "Teachers census") {
		t.Errorf("the published verdict is not shown: %s", r.Body)
	}
	if seen < len(paths) {
		t.Errorf("read %d pages", seen)
	}
	checkAnonymous(t, env)

}

// TestHiddenDocuments: review finding 1. A document with no claim readers
// may see is hidden from readers everywhere: the API's list and record,
// the API's search and the reader's search page; editors still see it.
func TestHiddenDocuments(t *testing.T) {
	env := servertest.New(t)
	db, ed := env.DB, env.Editor
	hidden := storetest.Document(t, db, "The zebrafinch memo says 4,000 officials left in 2023.", ed)
	dismissed := storetest.Claim(t, db, hidden, 0, 26, ed)
	if _, err := storetest.Transition(t.Context(), db, dismissed.ID, models.TransitionInput{Action: models.ActionDismiss, Note: "opinion"}, ed); err != nil {
		t.Fatal(err)
	}
	public := storetest.Document(t, db, "The zebrafinch census counted 9,000 birds in 2024.", ed)
	storetest.Claim(t, db, public, 0, 30, ed)

	anon, editor := env.Anonymous(), env.SignedIn(ed)
	tests := []struct {
		name                string
		path                string
		anonStatus          int
		hiddenMark, pubMark string // what shows the hidden and the public document
	}{
		{"list", "/api/v1/documents", 200, fmt.Sprintf(`"id":%d,`, hidden.ID), fmt.Sprintf(`"id":%d,`, public.ID)},
		{"record", fmt.Sprintf("/api/v1/documents/%d", hidden.ID), 404, "memo", ""},
		{"API search", "/api/v1/search?q=zebrafinch", 200, "memo", "census"},
		{"reader search", "/search?q=zebrafinch", 200, "memo", "census"},
		{"reader page", fmt.Sprintf("/documents/%d", hidden.ID), 404, "memo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := anon.Do("GET", tt.path, nil)
			if r.Status != tt.anonStatus {
				t.Fatalf("anonymous: %d, want %d: %.300s", r.Status, tt.anonStatus, r.Body)
			}
			if strings.Contains(string(r.Body), tt.hiddenMark) {
				t.Errorf("anonymous: the hidden document shows: %.400s", r.Body)
			}
			if tt.pubMark != "" && !strings.Contains(string(r.Body), tt.pubMark) {
				t.Errorf("anonymous: the public document is missing: %.400s", r.Body)
			}
			if strings.HasPrefix(tt.path, "/api/") {
				if r := editor.Do("GET", tt.path, nil); r.Status != 200 || !strings.Contains(string(r.Body), tt.hiddenMark) {
					t.Errorf("editor: %d, want the hidden document: %.300s", r.Status, r.Body)
				}
			}
		})
	}
}
