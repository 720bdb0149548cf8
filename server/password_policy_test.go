package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// TestWeakPasswordsRefusedEverywhere: every way of setting a password
// (creating a user by the API or the desk, an admin's reset, changing one's
// own by the API or the desk) refuses what the policy refuses, with 400 and
// the reason under the field of the password, and sets nothing.
func TestWeakPasswordsRefusedEverywhere(t *testing.T) {
	e := newDeskEnv(t)
	adm := e.Login(servertest.AdminEmail)
	ed := e.Login(servertest.EditorEmail)
	deskAdmin := e.signIn(t, e.admin)
	deskEd := e.signIn(t, e.ed1)
	weak := []struct{ name, password, reason string }{
		{"twelve spaces", "            ", "spaces"},
		{"one character", "aaaaaaaaaaaa", "repeated"},
		{"common", "password1234", "common"},
		{"common, capitalised", "Password1234", "common"},
		{"a run", "abcdefghijkl", "consecutive"},
		{"the email", servertest.EditorEmail, "email"},
		{"the email's name", "editor editor", "email"},
		{"eleven characters", "elevenchars", "at least 12"},
	}
	fieldOf := func(r *servertest.Response, field string) string {
		t.Helper()
		var body struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		r.Decode(t, &body)
		if body.Error.Code != "invalid" {
			t.Errorf("code %q, want invalid: %s", body.Error.Code, r.Body)
		}
		return body.Error.Fields[field]
	}
	for i, w := range weak {
		t.Run(w.name, func(t *testing.T) {
			email := fmt.Sprintf("editor.%d@example.org", i)
			if w.reason == "email" {
				email = servertest.EditorEmail // the account the password is for
			}
			// A new user by the API: the email is the new user's.
			newEmail := email
			if newEmail == servertest.EditorEmail {
				newEmail = "editor@example.net"
			}
			r := adm.Do("POST", "/api/v1/users", map[string]any{"email": newEmail, "name": "N", "role": "editor", "password": strings.ReplaceAll(w.password, "example.org", "example.net")})
			want(t, r, 400, "create by the API")
			if got := fieldOf(r, "password"); !strings.Contains(got, w.reason) {
				t.Errorf("create by the API: fields.password %q, want %q", got, w.reason)
			}
			// An admin's reset of the editor.
			r = adm.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.ed1.ID), map[string]any{"password": w.password})
			want(t, r, 400, "reset by an admin")
			if got := fieldOf(r, "password"); !strings.Contains(got, w.reason) {
				t.Errorf("reset: fields.password %q, want %q", got, w.reason)
			}
			// The editor's own change.
			r = ed.Do("PATCH", "/api/v1/me/password", map[string]any{"current_password": storetest.Password, "new_password": w.password})
			want(t, r, 400, "own change by the API")
			if got := fieldOf(r, "new_password"); !strings.Contains(got, w.reason) {
				t.Errorf("own change: fields.new_password %q, want %q", got, w.reason)
			}
			// The desk's users page and account page.
			res, page := deskAdmin.post("/desk/users", url.Values{"csrf_token": {deskAdmin.csrf()}, "email": {newEmail}, "name": {"N"}, "role": {"editor"},
				"password": {strings.ReplaceAll(w.password, "example.org", "example.net")}})
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("desk users page = %d, want 400", res.StatusCode)
			}
			mustContain(t, page, `id="f-password-error"`)
			res, page = deskEd.post("/desk/account", url.Values{"csrf_token": {deskEd.csrf()}, "current_password": {storetest.Password},
				"new_password": {w.password}, "repeat_password": {w.password}})
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("desk account page = %d, want 400", res.StatusCode)
			}
			mustContain(t, page, `id="f-new_password-error"`)
		})
	}
	// Nothing was set: the old password still works, no user was added.
	want(t, e.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": storetest.Password}), 200, "the old password")
	users, err := e.db.ListUsers(t.Context())
	if err != nil || len(users) != 3 {
		t.Errorf("users = %d (%v), want the 3 of the fixture", len(users), err)
	}
}
