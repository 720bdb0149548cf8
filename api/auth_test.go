package api_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"factdesk/api/apitest"
	"factdesk/store/storetest"
)

func login(c *apitest.Client, email, password string) *apitest.Response {
	return c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
}

func TestLoginSetsSessionCookie(t *testing.T) {
	env := apitest.New(t)
	c := env.Anonymous()
	r := login(c, "  Editor@Example.org ", storetest.Password)
	want(t, r, 200, "login")
	cookie := r.Header.Get("Set-Cookie")
	for _, attr := range []string{"factdesk_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q is Secure over plain HTTP", cookie)
	}
	var s struct {
		User struct{ Email string } `json:"user"`
		CSRF string                 `json:"csrf_token"`
	}
	r.Decode(t, &s)
	if s.User.Email != apitest.EditorEmail || len(s.CSRF) < 32 {
		t.Errorf("login returned %+v", s)
	}
	c.CSRF = s.CSRF
	r = c.Do("GET", "/api/v1/me", nil)
	want(t, r, 200, "me")
	if !strings.Contains(string(r.Body), s.CSRF) {
		t.Errorf("/me does not give the CSRF token back: %s", r.Body)
	}

	// Behind TLS (as the base URL says), the cookie is Secure.
	tls := apitest.NewWith(t, apitest.Options{DB: env.DB, BaseURL: "https://factdesk.example.org"})
	r = login(tls.Anonymous(), apitest.EditorEmail, storetest.Password)
	want(t, r, 200, "login behind TLS")
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookie %q is not Secure behind TLS", r.Header.Get("Set-Cookie"))
	}
}

func TestLogoutClearsTheCookie(t *testing.T) {
	env := apitest.New(t)
	c := env.Login(apitest.EditorEmail)
	want(t, c.Do("POST", "/api/v1/auth/logout", nil), 204, "logout")
	for _, ck := range c.HTTP.Jar.Cookies(mustURL(t, env.URL)) {
		if ck.Name == "factdesk_session" {
			t.Errorf("cookie still set after logout")
		}
	}
	want(t, c.Do("GET", "/api/v1/me", nil), 401, "me after logout")
	// Logging out without a session is harmless.
	want(t, env.Anonymous().Do("POST", "/api/v1/auth/logout", nil), 204, "logout without a session")
}

func TestSessionSurvivesReplicasAndRotatesOnLogin(t *testing.T) {
	env := apitest.New(t)
	replica := apitest.NewWith(t, apitest.Options{DB: env.DB})
	c := env.Anonymous()
	r := login(c, apitest.EditorEmail, storetest.Password)
	want(t, r, 200, "login")
	first := cookieValue(t, r)
	// Another replica knows the session: it lives in the database.
	want(t, withCookie(t, replica, first).Do("GET", "/api/v1/me", nil), 200, "me on the other replica")
	// Signing in again gives a new token and ends the old session.
	r = login(c, apitest.EditorEmail, storetest.Password)
	want(t, r, 200, "second login")
	second := cookieValue(t, r)
	if second == first {
		t.Fatal("the session token was not rotated")
	}
	want(t, withCookie(t, replica, first).Do("GET", "/api/v1/me", nil), 401, "the old token after rotation")
	want(t, withCookie(t, replica, second).Do("GET", "/api/v1/me", nil), 200, "the new token")
	// Logout with the CSRF token ends it in the database.
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	r.Decode(t, &s)
	c.CSRF = s.CSRF
	want(t, c.Do("POST", "/api/v1/auth/logout", nil), 204, "logout")
	want(t, withCookie(t, replica, second).Do("GET", "/api/v1/me", nil), 401, "the token after logout")
}

func TestDisabledUserIsSignedOut(t *testing.T) {
	env := apitest.New(t)
	ed := env.Login(apitest.Editor2Email)
	tok := env.NewToken(apitest.Editor2Email, "script")
	adm := env.Login(apitest.AdminEmail)
	want(t, adm.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", env.Editor2.ID), map[string]any{"disabled": true}), 200, "disable")
	want(t, ed.Do("GET", "/api/v1/me", nil), 401, "session of a disabled user")
	want(t, tok.Do("GET", "/api/v1/me", nil), 401, "token of a disabled user")
	want(t, login(env.Anonymous(), apitest.Editor2Email, storetest.Password), 401, "login of a disabled user")
}

func TestAPITokens(t *testing.T) {
	env := apitest.New(t)
	ed := env.Login(apitest.EditorEmail)
	r := ed.Do("POST", "/api/v1/tokens", map[string]string{"name": "newsroom CMS"})
	want(t, r, 201, "new token")
	var nt struct {
		Token    string `json:"token"`
		APIToken struct {
			ID int64 `json:"id"`
		} `json:"api_token"`
	}
	r.Decode(t, &nt)
	if !strings.HasPrefix(nt.Token, "fdk_") || len(nt.Token) < 40 {
		t.Fatalf("token %q", nt.Token)
	}
	// The list never shows the secret or its hash.
	r = ed.Do("GET", "/api/v1/tokens", nil)
	want(t, r, 200, "list")
	if strings.Contains(string(r.Body), nt.Token) || strings.Contains(string(r.Body), "hash") || !strings.Contains(string(r.Body), "newsroom CMS") {
		t.Errorf("token list: %s", r.Body)
	}
	// A bearer writes without a CSRF token.
	cms := env.WithToken(nt.Token)
	want(t, cms.Do("POST", "/api/v1/claims", map[string]any{"text": "A free-standing claim"}), 201, "write with a token")
	r = cms.Do("GET", "/api/v1/tokens", nil)
	if !strings.Contains(string(r.Body), `"last_used_at":"`) {
		t.Errorf("last use not recorded: %s", r.Body)
	}
	// Malformed and unknown tokens are refused, not treated as anonymous.
	want(t, env.WithToken("fdk_nope").Do("GET", "/api/v1/claims", nil), 401, "unknown token")
	want(t, env.Anonymous().Do("GET", "/api/v1/claims", nil, "Authorization", "Basic abc"), 401, "other scheme")
	// Revoked, it stops at once.
	want(t, ed.Do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", nt.APIToken.ID), nil), 204, "revoke")
	r = cms.Do("GET", "/api/v1/me", nil)
	want(t, r, 401, "revoked token")
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
}

func TestFailedLoginsAreRateLimited(t *testing.T) {
	env := apitest.New(t)
	replica := apitest.NewWith(t, apitest.Options{DB: env.DB})
	c := env.Anonymous()
	for i := 0; i < 5; i++ {
		r := login(c, apitest.EditorEmail, "wrong password "+strconv.Itoa(i))
		want(t, r, 401, "wrong password")
	}
	// The sixth try is refused even with the right password, on any replica.
	for _, e := range []*apitest.Env{env, replica} {
		r := login(e.Anonymous(), apitest.EditorEmail, storetest.Password)
		want(t, r, 429, "after five failures")
		if r.ErrorCode() != "rate_limited" || !strings.Contains(string(r.Body), "try again in") {
			t.Errorf("429 body %s", r.Body)
		}
		secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 15*60 {
			t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	}
	// Another account is not locked by it.
	want(t, login(c, apitest.Editor2Email, storetest.Password), 200, "another account")

	// One address guessing across many accounts is slowed down too.
	for i := 0; i < 20; i++ {
		login(c, fmt.Sprintf("nobody%d@example.org", i), "guess guess guess")
	}
	r := login(c, apitest.AdminEmail, storetest.Password)
	want(t, r, 429, "after twenty failures from one address")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestSuccessfulLoginClearsTheAccountCount(t *testing.T) {
	env := apitest.New(t)
	c := env.Anonymous()
	for round := 0; round < 3; round++ {
		for i := 0; i < 4; i++ {
			want(t, login(c, apitest.EditorEmail, "not the password"), 401, "wrong password")
		}
		want(t, login(c, apitest.EditorEmail, storetest.Password), 200, "the right one")
	}
}
