package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	before := snapshot(t, e.Env)
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
					if after := snapshot(t, e.Env); after != before {
						t.Errorf("the database changed: the malformed number was read as a number")
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
