package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
)

// snapshot is everything a bad request could have changed.
func snapshot(t *testing.T, env *servertest.Env) string {
	t.Helper()
	ctx := t.Context()
	var parts []any
	add := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, v)
	}
	add(env.DB.ListRevisions(ctx, store.RevisionFilter{}))
	add(env.DB.CountDocuments(ctx))
	add(env.DB.CountClaimsByStatus(ctx))
	page, err := env.DB.ListClaims(ctx, models.ClaimFilter{Limit: 200})
	add(page.Claims, err)
	add(env.DB.ListDocuments(ctx, store.DocumentFilter{Limit: 200}))
	add(env.DB.ListSources(ctx, store.SourceFilter{Limit: 200}))
	add(env.DB.ListUsers(ctx))
	add(env.DB.ListAPITokens(ctx, env.Editor.ID))
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBadInputChangesNothing sends each kind of bad request and checks the
// 4xx, the error shape, and that the database is as it was.
func TestBadInputChangesNothing(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	adm := env.Login(servertest.AdminEmail)
	noCSRF := *ed
	noCSRF.CSRF = ""
	wrongCSRF := *ed
	wrongCSRF.CSRF = "not-the-token"

	r := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Bad input", "body": body})
	want(t, r, 201, "document")
	doc := itoa(id(t, object(t, r)))
	s, e := span(t, body, "23,000 terrorists")
	r = ed.Do("POST", "/api/v1/claims", fmt.Sprintf(`{"document_id": %s, "start": %d, "end": %d}`, doc, s, e))
	want(t, r, 201, "claim")
	claim := itoa(id(t, object(t, r)))
	want(t, ed.Do("PATCH", "/api/v1/claims/"+claim, map[string]any{"version": 1, "claimant": "The minister"}), 200, "edit to version 2")
	r = ed.Do("POST", "/api/v1/sources", map[string]any{"title": "A report", "kind": "official"})
	want(t, r, 201, "source")
	source := itoa(id(t, object(t, r)))
	want(t, ed.Do("PATCH", "/api/v1/sources/"+source, map[string]any{"version": 1, "notes": "v2"}), 200, "source v2")
	runes := len([]rune(body))

	big := func(n int) string { return `{"text": "` + strings.Repeat("a", n) + `"}` }
	bigDoc := func(n int) string { return `{"title": "Big", "body": "` + strings.Repeat("word ", n/5) + `"}` }
	cases := []struct {
		name    string
		c       *servertest.Client
		method  string
		path    string
		body    any
		headers []string
		status  int
		field   string // a field the error must name, "" for none
	}{
		{"malformed JSON", ed, "POST", "/api/v1/claims", `{"document_id": 1,`, nil, 400, "body"},
		{"not JSON at all", ed, "POST", "/api/v1/claims", `document_id=1`, nil, 400, "body"},
		{"trailing data", ed, "POST", "/api/v1/claims", `{"text": "a"} {"text": "b"}`, nil, 400, "body"},
		{"trailing garbage", ed, "POST", "/api/v1/claims", `{"text": "a"}xyz`, nil, 400, "body"},
		{"empty body", ed, "POST", "/api/v1/claims", ``, nil, 400, "body"},
		{"array, not object", ed, "POST", "/api/v1/claims", `[{"text": "a"}]`, nil, 400, "body"},
		{"unknown field", ed, "POST", "/api/v1/claims", `{"text": "a", "colour": "red"}`, nil, 400, "colour"},
		{"unknown field in nested source", ed, "POST", "/api/v1/claims/" + claim + "/evidence", `{"stance": "supports", "source": {"title": "x", "rank": 1}}`, nil, 400, "rank"},
		{"wrong type: text a number", ed, "POST", "/api/v1/claims", `{"text": 5}`, nil, 400, "text"},
		{"wrong type: start a string", ed, "POST", "/api/v1/claims", `{"document_id": ` + doc + `, "start": "3", "end": 9}`, nil, 400, "start"},
		{"wrong type: version a string", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": "2", "text": "x"}`, nil, 400, "version"},
		{"wrong type: assignee an object", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "assignee_id": {"id": 1}}`, nil, 400, "assignee_id"},
		{"wrong type: disabled a string", adm, "PATCH", fmt.Sprintf("/api/v1/users/%d", env.Editor2.ID), `{"disabled": "yes"}`, nil, 400, "disabled"},
		{"bad date", ed, "POST", "/api/v1/documents", `{"body": "text", "published_on": "last week"}`, nil, 400, "published_on"},
		{"invalid UTF-8", ed, "POST", "/api/v1/claims", []byte("{\"text\": \"caf\xc3\x28\"}"), nil, 400, "body"},
		{"wrong content type", ed, "POST", "/api/v1/claims", `{"text": "a"}`, []string{"Content-Type", "text/plain"}, 400, "body"},
		{"oversize JSON", ed, "POST", "/api/v1/claims", big(1 << 20), nil, 413, "body"},
		{"oversize document", ed, "POST", "/api/v1/documents", bigDoc(3<<20 + 10), nil, 413, "body"},
		{"document over 2 MB of text", ed, "POST", "/api/v1/documents", bigDoc(2<<20 + 10), nil, 400, "body"},
		{"document with NUL", ed, "POST", "/api/v1/documents", `{"body": "a\u0000b"}`, nil, 400, "body"},
		{"span past the end", ed, "POST", "/api/v1/claims", fmt.Sprintf(`{"document_id": %s, "start": 10, "end": %d}`, doc, runes+1), nil, 400, "end"},
		{"span before the start", ed, "POST", "/api/v1/claims", fmt.Sprintf(`{"document_id": %s, "start": -1, "end": 5}`, doc), nil, 400, "start"},
		{"empty span", ed, "POST", "/api/v1/claims", fmt.Sprintf(`{"document_id": %s, "start": 7, "end": 7}`, doc), nil, 400, "end"},
		{"span of no document", ed, "POST", "/api/v1/claims", `{"document_id": 999999, "start": 0, "end": 5}`, nil, 400, "document_id"},
		{"listed claim outside its document", ed, "POST", "/api/v1/documents", fmt.Sprintf(`{"body": "short text", "claims": [{"start": 0, "end": %d}]}`, 50), nil, 400, "end"},
		{"unknown kind", ed, "POST", "/api/v1/claims", `{"text": "a", "kind": "rumour"}`, nil, 400, "kind"},
		{"unknown rating", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "rating": "very_false"}`, nil, 400, "rating"},
		{"priority out of range", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "priority": 9}`, nil, 400, "priority"},
		{"due date not a date", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "due_on": "next week"}`, nil, 400, "due_on"},
		{"unknown action", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "publish", "version": 2}`, nil, 400, "action"},
		{"transition without a version", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "start"}`, nil, 400, "version"},
		{"transition with a version of another type", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "start", "version": "2"}`, nil, 400, "version"},
		{"transition with version 0", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "start", "version": 0}`, nil, 400, "version"},
		{"transition with a malformed If-Match", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "start"}`, []string{"If-Match", "yesterday"}, 400, "version"},
		{"unknown stance", ed, "POST", "/api/v1/claims/" + claim + "/evidence", `{"source_id": ` + source + `, "stance": "maybe"}`, nil, 400, "stance"},
		{"unknown source kind", ed, "POST", "/api/v1/sources", `{"title": "x", "kind": "blog"}`, nil, 400, "kind"},
		{"unknown role", adm, "POST", "/api/v1/users", `{"email": "new@example.org", "name": "N", "role": "owner", "password": "correct horse battery staple"}`, nil, 400, "role"},
		{"unknown status filter", ed, "GET", "/api/v1/claims?status=bogus", nil, nil, 400, "status"},
		{"bad cursor", ed, "GET", "/api/v1/claims?cursor=garbage", nil, nil, 400, "cursor"},
		{"limit out of range", ed, "GET", "/api/v1/documents?limit=1000", nil, nil, 400, "limit"},
		{"search without words", ed, "GET", "/api/v1/search?q=", nil, nil, 400, "q"},
		{"stale version (field)", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 1, "text": "overwrite"}`, nil, 409, ""},
		{"stale version (If-Match)", ed, "PATCH", "/api/v1/claims/" + claim, `{"text": "overwrite"}`, []string{"If-Match", `"v1-00"`}, 409, ""},
		{"stale document", ed, "PATCH", "/api/v1/documents/" + doc, `{"version": 7, "title": "x"}`, nil, 409, ""},
		{"stale source", ed, "PATCH", "/api/v1/sources/" + source, `{"version": 1, "title": "x"}`, nil, 409, ""},
		{"stale transition", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "start", "version": 1}`, nil, 409, ""},
		{"no version", ed, "PATCH", "/api/v1/claims/" + claim, `{"text": "x"}`, nil, 400, "version"},
		{"If-Match *", ed, "PATCH", "/api/v1/claims/" + claim, `{"text": "x"}`, []string{"If-Match", "*"}, 400, "version"},
		{"If-Match and version disagree", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "text": "x"}`, []string{"If-Match", `"v1"`}, 400, "version"},
		{"move from the wrong status", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "approve", "version": 2}`, nil, 409, ""},
		{"dismiss without a reason", ed, "POST", "/api/v1/claims/" + claim + "/transitions", `{"action": "dismiss", "version": 2}`, nil, 400, "note"},
		{"source_id and source", ed, "POST", "/api/v1/claims/" + claim + "/evidence", `{"source_id": ` + source + `, "source": {"title": "x"}, "stance": "supports"}`, nil, 400, "source"},
		{"no such source", ed, "POST", "/api/v1/claims/" + claim + "/evidence", `{"source_id": 999999, "stance": "supports"}`, nil, 400, "source_id"},
		{"no such assignee", ed, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "assignee_id": 999999}`, nil, 400, "assignee_id"},
		{"short password", adm, "POST", "/api/v1/users", `{"email": "short@example.org", "name": "N", "role": "editor", "password": "short"}`, nil, 400, "password"},
		{"empty token name", ed, "POST", "/api/v1/tokens", `{"name": "  "}`, nil, 400, "name"},
		{"missing CSRF token", &noCSRF, "PATCH", "/api/v1/claims/" + claim, `{"version": 2, "text": "forged"}`, nil, 403, "csrf_token"},
		{"wrong CSRF token", &wrongCSRF, "POST", "/api/v1/documents", `{"body": "forged"}`, nil, 403, "csrf_token"},
		{"missing CSRF token on delete", &noCSRF, "DELETE", "/api/v1/documents/" + doc, nil, nil, 403, "csrf_token"},
		{"missing CSRF token on logout", &noCSRF, "POST", "/api/v1/auth/logout", nil, nil, 403, "csrf_token"},
		{"not a number ID", ed, "PATCH", "/api/v1/claims/abc", `{"version": 1}`, nil, 404, ""},
		{"demoting oneself", adm, "PATCH", fmt.Sprintf("/api/v1/users/%d", env.Admin.ID), `{"role": "editor"}`, nil, 400, "role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, env)
			r := tc.c.Do(tc.method, tc.path, tc.body, tc.headers...)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			var e struct {
				Error struct {
					Code    string            `json:"code"`
					Message string            `json:"message"`
					Fields  map[string]string `json:"fields"`
				} `json:"error"`
				Current map[string]any `json:"current"`
			}
			r.Decode(t, &e)
			if e.Error.Code == "" || e.Error.Message == "" || e.Error.Fields == nil {
				t.Errorf("not the error shape: %s", r.Body)
			}
			if tc.field != "" && e.Error.Fields[tc.field] == "" {
				t.Errorf("fields %v do not name %s", e.Error.Fields, tc.field)
			}
			if tc.status == http.StatusConflict && e.Current == nil {
				t.Errorf("a conflict without the current record: %s", r.Body)
			}
			if after := snapshot(t, env); after != before {
				t.Errorf("the request changed the database")
			}
		})
	}
	t.Logf("%d bad-input cases", len(cases))
}
