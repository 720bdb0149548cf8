package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

// endpoint is a write route with its path filled in.
type endpoint struct{ method, path string }

// fuzzWrites drives the write endpoints with arbitrary bodies through the
// real handler over a real database: no input may give a 5xx, and every
// answer is JSON. seeds are (endpoint index, body) pairs.
func fuzzWrites(f *testing.F, routes func(claimID, docID, sourceID, userID int64) []endpoint, seeds [][2]string) {
	db := storetest.Open(f)
	admin := storetest.User(f, db, "admin@fuzz.test", models.RoleAdmin)
	other := storetest.User(f, db, "other@fuzz.test", models.RoleEditor)
	doc := storetest.Document(f, db, "The army counted 23,000 fighters in 2024. “Naïve” figures, the minister said.", admin)
	claim := storetest.Claim(f, db, doc, 4, 40, admin)
	src := &models.Source{Title: "Report", URL: "https://example.org/r", Kind: models.SourceOfficial}
	if err := db.CreateSource(context.Background(), src, admin); err != nil {
		f.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(context.Background(), admin.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	h, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://factdesk.test"})
	if err != nil {
		f.Fatal(err)
	}
	eps := routes(claim.ID, doc.ID, src.ID, other.ID)
	for i, ep := range eps {
		for _, s := range seeds {
			// Seeds name paths with the ID 1, whatever the fixture's IDs are.
			if s[0] == ep.method+" "+anyID.ReplaceAllString(ep.path, "/1") || s[0] == "*" {
				f.Add(uint8(i), []byte(s[1]))
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		ep := eps[int(which)%len(eps)]
		req := httptest.NewRequest(ep.method, ep.path, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", ep.method, ep.path, body, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s with %q: %d, body not JSON: %.200s", ep.method, ep.path, body, rec.Code, rec.Body)
		}
	})
}

var anyID = regexp.MustCompile(`/\d+`)

// hostileBodies go to every endpoint.
var hostileBodies = [][2]string{
	{"*", ``}, {"*", `null`}, {"*", `[]`}, {"*", `"x"`}, {"*", `{}`}, {"*", `{"version":1e400}`},
	{"*", `{"version":-1}`}, {"*", `{"version":9223372036854775808}`}, {"*", "{\"text\":\"\xff\"}"},
	{"*", `{"a":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`}, {"*", `{"x":1} {"y":2}`},
	{"*", `{"text":"a\u0000b","title":"\u001b[2J"}`}, {"*", `{"published_on":"2025-02-30"}`}, {"*", `{"published_on":"0000-00-00T25:61:00Z"}`},
}

func withHostile(seeds ...[2]string) [][2]string { return append(seeds, hostileBodies...) }

// FuzzClaimWrites: creating, editing, moving, sourcing and placing claims.
func FuzzClaimWrites(f *testing.F) {
	fuzzWrites(f, func(claimID, docID, sourceID, _ int64) []endpoint {
		return []endpoint{
			{"POST", "/api/v1/claims"},
			{"PATCH", fmt.Sprintf("/api/v1/claims/%d", claimID)},
			{"POST", fmt.Sprintf("/api/v1/claims/%d/transitions", claimID)},
			{"POST", fmt.Sprintf("/api/v1/claims/%d/evidence", claimID)},
			{"PUT", fmt.Sprintf("/api/v1/claims/%d/anchor", claimID)},
		}
	}, withHostile(
		[2]string{"POST /api/v1/claims", `{"text":"Inflation fell to 3% in 2024.","claimant":"The minister","kind":"statistic"}`},
		[2]string{"POST /api/v1/claims", `{"document_id":1,"start":4,"end":16}`},
		[2]string{"POST /api/v1/claims", `{"document_id":1,"start":40,"end":4}`},
		[2]string{"PATCH /api/v1/claims/1", `{"version":1,"claimant":"The army","kind":"event","assignee_id":null}`},
		[2]string{"PATCH /api/v1/claims/1", `{"version":1,"rating":"mostly_false","explanation":"**No.** [src](https://example.org)"}`},
		[2]string{"POST /api/v1/claims/1/transitions", `{"action":"start"}`},
		[2]string{"POST /api/v1/claims/1/transitions", `{"action":"submit","rating":"false","explanation":"Because."}`},
		[2]string{"POST /api/v1/claims/1/transitions", `{"action":"dismiss","note":"opinion","version":1}`},
		[2]string{"POST /api/v1/claims/1/evidence", `{"source_id":1,"stance":"refutes","excerpt":"The report says 6,000."}`},
		[2]string{"POST /api/v1/claims/1/evidence", `{"source":{"title":"New","url":"https://example.org/n","kind":"news"},"stance":"context"}`},
		[2]string{"PUT /api/v1/claims/1/anchor", `{"version":1,"start":4,"end":10,"document_version":1}`},
		[2]string{"PUT /api/v1/claims/1/anchor", `{"version":1,"start":60,"end":4}`},
	))
}

// FuzzDocumentWrites: importing and editing documents (re-anchoring claims).
func FuzzDocumentWrites(f *testing.F) {
	fuzzWrites(f, func(_, docID, _, _ int64) []endpoint {
		return []endpoint{
			{"POST", "/api/v1/documents"},
			{"PATCH", fmt.Sprintf("/api/v1/documents/%d", docID)},
		}
	}, withHostile(
		[2]string{"POST /api/v1/documents", `{"title":"Op-ed","author":"A. Writer","url":"https://example.org/oped","published_on":"2025-03-14","language":"en","body":"The army counted 23,000 fighters. It said so."}`},
		[2]string{"POST /api/v1/documents", `{"title":"With claims","body":"Exports rose 12% in 2023.","claims":[{"start":0,"end":25}]}`},
		[2]string{"POST /api/v1/documents", `{"title":"Bad span","body":"abc","claims":[{"start":2,"end":99}]}`},
		[2]string{"PATCH /api/v1/documents/1", `{"version":1,"body":"Now the army counted 23,000 fighters in 2024. “Naïve” figures, the minister said."}`},
		[2]string{"PATCH /api/v1/documents/1", `{"version":1,"title":"New title","published_on":null}`},
	))
}

// FuzzSourceWrites: creating and editing sources.
func FuzzSourceWrites(f *testing.F) {
	fuzzWrites(f, func(_, _, sourceID, _ int64) []endpoint {
		return []endpoint{
			{"POST", "/api/v1/sources"},
			{"PATCH", fmt.Sprintf("/api/v1/sources/%d", sourceID)},
		}
	}, withHostile(
		[2]string{"POST /api/v1/sources", `{"title":"UN report","url":"https://example.org/un","publisher":"UN","kind":"official","published_on":"2024-06-01","accessed_on":"2025-01-02T10:00:00Z"}`},
		[2]string{"POST /api/v1/sources", `{"title":"x","url":"javascript:alert(1)","kind":"news"}`},
		[2]string{"PATCH /api/v1/sources/1", `{"version":1,"notes":"checked","archive_url":"https://archive.example.org/x"}`},
	))
}

// FuzzAccountWrites: signing in, users and API tokens.
func FuzzAccountWrites(f *testing.F) {
	fuzzWrites(f, func(_, _, _, userID int64) []endpoint {
		return []endpoint{
			{"POST", "/api/v1/auth/login"},
			{"POST", "/api/v1/users"},
			{"PATCH", fmt.Sprintf("/api/v1/users/%d", userID)},
			{"POST", "/api/v1/tokens"},
		}
	}, withHostile(
		[2]string{"POST /api/v1/auth/login", `{"email":"admin@fuzz.test","password":"` + storetest.Password + `"}`},
		[2]string{"POST /api/v1/auth/login", `{"email":"' OR 1=1 --","password":"x"}`},
		[2]string{"POST /api/v1/users", `{"email":"new@fuzz.test","name":"New","role":"editor","password":"a long enough password"}`},
		[2]string{"POST /api/v1/users", `{"email":"short@fuzz.test","name":"S","role":"editor","password":"short"}`},
		[2]string{"PATCH /api/v1/users/2", `{"name":"Renamed","role":"admin","disabled":false}`},
		[2]string{"POST /api/v1/tokens", `{"name":"CMS"}`},
	))
}
