package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
)

// TestLogsHoldNoSecrets runs a whole editorial day through a real server
// with a logger at debug level, then searches every log line for the
// passwords, session cookies, CSRF tokens and API tokens that went by:
// none may appear. Every request's line carries its request ID.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := servertest.New(t)
	const (
		passA    = "alpha password for the admin 1"
		passB    = "bravo password for the reviewer 2"
		passNew  = "charlie password for a new user 3"
		passNew2 = "delta password after a change 4"
		wrong    = "echo wrong password guessed 5"
		bogus    = "fdk_bogus_token_that_is_not_real_6"
	)
	ctx := context.Background()
	a := &models.User{Email: "a@secrets.test", Name: "A", Role: models.RoleAdmin}
	b := &models.User{Email: "b@secrets.test", Name: "B", Role: models.RoleEditor}
	if err := e.DB.CreateUser(ctx, a, passA); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.CreateUser(ctx, b, passB); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"password A": passA, "password B": passB, "new user's password": passNew,
		"changed password": passNew2, "wrong password": wrong, "bogus token": bogus}

	call := func(c *servertest.Client, method, path string, body any) (int, map[string]any) {
		t.Helper()
		r := c.Do(method, path, body)
		var out map[string]any
		json.Unmarshal(r.Body, &out)
		if r.Status >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r.Status, out
	}
	login := func(email, password, name string) *servertest.Client {
		t.Helper()
		s := e.Anonymous()
		st, out := call(s, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
		if st != http.StatusOK {
			t.Fatalf("login %s: %d %v", email, st, out)
		}
		s.CSRF, _ = out["csrf_token"].(string)
		if s.CSRF == "" {
			t.Fatalf("login gave no csrf_token: %v", out)
		}
		secrets[name+" CSRF token"] = s.CSRF
		for _, ck := range s.HTTP.Jar.Cookies(mustURL(t, e.URL)) {
			secrets[name+" cookie "+ck.Name] = ck.Value
		}
		return s
	}
	expect := func(what string, st, want int, out map[string]any) {
		t.Helper()
		if st != want {
			t.Fatalf("%s: %d, want %d: %v", what, st, want, out)
		}
	}

	if st, _ := call(e.Anonymous(), "POST", "/api/v1/auth/login", map[string]string{"email": a.Email, "password": wrong}); st != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", st)
	}
	sa := login(a.Email, passA, "A")
	st, out := call(sa, "POST", "/api/v1/tokens", map[string]string{"name": "CMS"})
	expect("create token", st, http.StatusCreated, out)
	token, _ := out["token"].(string)
	if token == "" {
		t.Fatalf("no token in %v", out)
	}
	secrets["API token"] = token

	body := "The minister said 23,000 fighters were inside the country in 2024."
	st, out = call(e.WithToken(token), "POST", "/api/v1/documents", map[string]any{"title": "Speech", "body": body})
	expect("create document", st, http.StatusCreated, out)
	docID := int64(out["id"].(float64))
	st, out = call(e.WithToken(token), "POST", "/api/v1/claims", map[string]any{"document_id": docID, "start": 18, "end": 43})
	expect("create claim", st, http.StatusCreated, out)
	claimID := int64(out["id"].(float64))
	path := fmt.Sprintf("/api/v1/claims/%d", claimID)
	st, out = call(e.WithToken(token), "PATCH", path, map[string]any{"version": 1, "claimant": "The minister"})
	expect("edit claim", st, http.StatusOK, out)
	for _, tr := range []map[string]any{{"action": "start"}, {"action": "submit", "rating": "false", "explanation": "No count supports it."}} {
		tr["version"] = out["version"]
		st, out = call(sa, "POST", path+"/transitions", tr)
		expect(fmt.Sprint(tr["action"]), st, http.StatusOK, out)
	}
	sb := login(b.Email, passB, "B")
	st, out = call(sb, "POST", path+"/transitions", map[string]any{"action": "approve", "version": out["version"]})
	expect("approve", st, http.StatusOK, out)
	st, out = call(sb, "POST", path+"/transitions", map[string]any{"action": "correct", "note": "Year fixed.", "rating": "mostly_false", "explanation": "Fewer.", "version": out["version"]})
	expect("correct", st, http.StatusOK, out)
	// A CSRF-less write with the cookie is refused, and logged as refused.
	noCSRF := *sb
	noCSRF.CSRF = ""
	st, _ = call(&noCSRF, "PATCH", path, map[string]any{"version": 1, "claimant": "x"})
	expect("write without CSRF", st, http.StatusForbidden, nil)

	st, out = call(sa, "POST", "/api/v1/users", map[string]any{"email": "c@secrets.test", "name": "C", "role": "editor", "password": passNew})
	expect("create user", st, http.StatusCreated, out)
	newID := int64(out["id"].(float64))
	st, out = call(sa, "PATCH", fmt.Sprintf("/api/v1/users/%d", newID), map[string]any{"password": passNew2})
	expect("change password", st, http.StatusOK, out)
	login("c@secrets.test", passNew2, "C")

	st, _ = call(e.WithToken(bogus), "GET", "/api/v1/me", nil)
	expect("bogus token", st, http.StatusUnauthorized, nil)
	for _, p := range []string{fmt.Sprintf("/claims/%d", claimID), fmt.Sprintf("/documents/%d", docID), "/desk", "/search?q=" + url.QueryEscape(passA)} {
		call(sa, "GET", p, nil)
	}
	call(sa, "POST", "/api/v1/auth/logout", nil)
	call(sb, "POST", "/api/v1/auth/logout", nil)

	t.Logf("%d secrets searched for in the logs", len(secrets))
	text := e.Logs()
	if strings.Count(text, "\n") < 20 {
		t.Fatalf("only %d log lines: the run was not logged", strings.Count(text, "\n"))
	}
	for name, secret := range secrets {
		if secret == "" {
			continue
		}
		if strings.Contains(text, secret) {
			t.Errorf("the logs hold the %s", name)
		}
		// Also a recognisable part, in case a line cuts or quotes it.
		if len(secret) > 16 && strings.Contains(text, secret[:16]) {
			t.Errorf("the logs hold the start of the %s", name)
		}
	}
	// Every request line names its request: a reader's bug report or a 500
	// leads to the line.
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if _, ok := m["route"]; ok {
			if id, _ := m["request_id"].(string); id == "" {
				t.Errorf("request line without request_id: %s", line)
			}
		}
	}
}
