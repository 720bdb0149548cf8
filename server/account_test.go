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

const newPassword = "a brand new passphrase for the desk"

// A password change keeps the session it was made in and ends every other
// one; an admin's reset ends all of them; both revoke every API token.
func TestPasswordChangeEndsOtherSessionsAndTokens(t *testing.T) {
	e := servertest.New(t)
	here, elsewhere := e.Login(servertest.EditorEmail), e.Login(servertest.EditorEmail)
	token := e.NewToken(servertest.EditorEmail, "cms")
	colleague := e.Login(servertest.Editor2Email)

	cases := []struct {
		name    string
		body    map[string]any
		status  int
		field   string
		changed bool
	}{
		{"wrong current password", map[string]any{"current_password": "not my password!", "new_password": newPassword}, 403, "current_password", false},
		{"weak new password", map[string]any{"current_password": storetest.Password, "new_password": "short"}, 400, "new_password", false},
		{"missing field", map[string]any{"new_password": newPassword}, 403, "current_password", false},
		{"the change", map[string]any{"current_password": storetest.Password, "new_password": newPassword}, 204, "", true},
	}
	for _, tc := range cases {
		r := here.Do("PATCH", "/api/v1/me/password", tc.body)
		if r.Status != tc.status {
			t.Fatalf("%s: %d, want %d: %s", tc.name, r.Status, tc.status, r.Body)
		}
		if tc.field != "" && r.ErrorFields()[tc.field] == "" {
			t.Errorf("%s: no fields.%s: %s", tc.name, tc.field, r.Body)
		}
		want := http.StatusOK
		if tc.changed {
			want = http.StatusUnauthorized
		}
		if got := elsewhere.Do("GET", "/api/v1/me", nil).Status; got != want {
			t.Errorf("%s: the other session gets %d, want %d", tc.name, got, want)
		}
		if got := token.Do("GET", "/api/v1/me", nil).Status; got != want {
			t.Errorf("%s: the token gets %d, want %d", tc.name, got, want)
		}
	}
	want(t, here.Do("GET", "/api/v1/me", nil), http.StatusOK, "the session of the change")
	want(t, colleague.Do("GET", "/api/v1/me", nil), http.StatusOK, "a colleague's session")
	old := e.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": storetest.Password})
	want(t, old, http.StatusUnauthorized, "sign-in with the old password")
	fresh := e.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": newPassword})
	want(t, fresh, http.StatusOK, "sign-in with the new password")

	// An admin's reset ends every session of the user and revokes the tokens.
	admin := e.Login(servertest.AdminEmail)
	victim, victimToken := e.Login(servertest.Editor2Email), e.NewToken(servertest.Editor2Email, "script")
	want(t, admin.Do("PATCH", "/api/v1/users/"+itoa(e.Editor2.ID), map[string]any{"password": newPassword}), http.StatusOK, "admin reset")
	for name, c := range map[string]*servertest.Client{"session": victim, "other session": colleague, "token": victimToken} {
		if got := c.Do("GET", "/api/v1/me", nil).Status; got != http.StatusUnauthorized {
			t.Errorf("after a reset the user's %s gets %d, want 401", name, got)
		}
	}
	want(t, admin.Do("GET", "/api/v1/me", nil), http.StatusOK, "the admin's own session")
}

func TestDeskPasswordChange(t *testing.T) {
	e := newDeskEnv(t)
	here, elsewhere := e.signIn(t, e.ed1), e.signIn(t, e.ed1)
	res, page := here.post("/desk/account", url.Values{"csrf_token": {here.csrf()}, "current_password": {storetest.Password},
		"new_password": {newPassword}, "repeat_password": {"something else entirely"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("mismatched repeat = %d", res.StatusCode)
	}
	mustContain(t, page, "does not match the new password")
	res, _ = here.post("/desk/account", url.Values{"csrf_token": {here.csrf()}, "current_password": {"wrong password here"},
		"new_password": {newPassword}, "repeat_password": {newPassword}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("wrong current password = %d", res.StatusCode)
	}
	res, _ = here.post("/desk/account", url.Values{"csrf_token": {here.csrf()}, "current_password": {storetest.Password},
		"new_password": {newPassword}, "repeat_password": {newPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change = %d", res.StatusCode)
	}
	if res, page := here.get("/desk/account?done=password"); res.StatusCode != http.StatusOK {
		t.Fatalf("the session of the change = %d", res.StatusCode)
	} else {
		mustContain(t, page, "Your password is changed")
	}
	if res, _ := elsewhere.get("/desk"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session = %d, want a redirect to sign in", res.StatusCode)
	}
}

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
		if code := r.ErrorCode(); code != "invalid" {
			t.Errorf("code %q, want invalid: %s", code, r.Body)
		}
		return r.ErrorFields()[field]
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
