package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

func login(c *servertest.Client, email, password string) *servertest.Response {
	return c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
}

func TestLoginSetsSessionCookie(t *testing.T) {
	env := servertest.New(t)
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
	if s.User.Email != servertest.EditorEmail || len(s.CSRF) < 32 {
		t.Errorf("login returned %+v", s)
	}
	c.CSRF = s.CSRF
	r = c.Do("GET", "/api/v1/me", nil)
	want(t, r, 200, "me")
	if !strings.Contains(string(r.Body), s.CSRF) {
		t.Errorf("/me does not give the CSRF token back: %s", r.Body)
	}

	// Behind TLS (as the base URL says), the cookie is Secure.
	tls := servertest.NewWith(t, servertest.Options{DB: env.DB, BaseURL: "https://factdesk.example.org"})
	r = login(tls.Anonymous(), servertest.EditorEmail, storetest.Password)
	want(t, r, 200, "login behind TLS")
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookie %q is not Secure behind TLS", r.Header.Get("Set-Cookie"))
	}
}

func TestLogoutClearsTheCookie(t *testing.T) {
	env := servertest.New(t)
	c := env.Login(servertest.EditorEmail)
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
	env := servertest.New(t)
	replica := servertest.NewWith(t, servertest.Options{DB: env.DB})
	c := env.Anonymous()
	r := login(c, servertest.EditorEmail, storetest.Password)
	want(t, r, 200, "login")
	first := cookieValue(t, r)
	// Another replica knows the session: it lives in the database.
	want(t, withCookie(t, replica, first).Do("GET", "/api/v1/me", nil), 200, "me on the other replica")
	// Signing in again gives a new token and ends the old session.
	r = login(c, servertest.EditorEmail, storetest.Password)
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
	env := servertest.New(t)
	ed := env.Login(servertest.Editor2Email)
	tok := env.NewToken(servertest.Editor2Email, "script")
	adm := env.Login(servertest.AdminEmail)
	want(t, adm.Do("PATCH", fmt.Sprintf("/api/v1/users/%d", env.Editor2.ID), map[string]any{"disabled": true}), 200, "disable")
	want(t, ed.Do("GET", "/api/v1/me", nil), 401, "session of a disabled user")
	want(t, tok.Do("GET", "/api/v1/me", nil), 401, "token of a disabled user")
	want(t, login(env.Anonymous(), servertest.Editor2Email, storetest.Password), 401, "login of a disabled user")
}

func TestAPITokens(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
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

// signInEnv is a server (and a replica of it) that believes X-Forwarded-For
// from 127.0.0.1, on a database whose clock the test moves.
type signInEnv struct {
	env, replica *servertest.Env
	now          atomic.Pointer[time.Time]
}

func newSignInEnv(t *testing.T, limits models.SignInLimits) *signInEnv {
	t.Helper()
	e := &signInEnv{}
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	e.now.Store(&start)
	db := storetest.Open(t)
	db.Now = func() time.Time { return *e.now.Load() }
	for _, email := range []string{servertest.AdminEmail, servertest.EditorEmail, servertest.Editor2Email} {
		storetest.User(t, db, email, models.RoleEditor)
	}
	opts := servertest.Options{DB: db, TrustedProxies: []string{"127.0.0.1"}, LoginLimits: limits}
	e.env, e.replica = servertest.NewWith(t, opts), servertest.NewWith(t, opts)
	return e
}

func (e *signInEnv) advance(d time.Duration) {
	n := e.now.Load().Add(d)
	e.now.Store(&n)
}

// from signs in to email from the address addr.
func (e *signInEnv) from(addr, email, password string) *servertest.Response {
	return e.env.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, "X-Forwarded-For", addr)
}

// limited checks a 429 and returns its Retry-After in seconds.
func limited(t *testing.T, r *servertest.Response, what string) int {
	t.Helper()
	want(t, r, 429, what)
	if r.ErrorCode() != "rate_limited" || !strings.Contains(string(r.Body), "try again in") {
		t.Errorf("%s: 429 body %s", what, r.Body)
	}
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
	return secs
}

// TestSignInLimits: failed sign-ins slow down the address that makes them,
// per account, with delays that grow, and an address that fails across many
// accounts; they never lock the owner out from another address, nor a
// newsroom behind one address that fails now and then.
func TestSignInLimits(t *testing.T) {
	const (
		owner    = "203.0.113.7"
		attacker = "198.51.100.66"
		nat      = "192.0.2.1"
	)
	pw := storetest.Password
	tests := []struct {
		name   string
		limits models.SignInLimits
		run    func(t *testing.T, e *signInEnv)
	}{
		{"FiveWrongPasswordsDoNotLockTheOwnerOut", models.SignInLimits{}, func(t *testing.T, e *signInEnv) {
			for i := range 5 {
				want(t, e.from(attacker, servertest.EditorEmail, "wrong password "+strconv.Itoa(i)), 401, "wrong password")
			}
			want(t, e.from(owner, servertest.EditorEmail, pw), 200, "the owner from another address")
			// The guesser waits, whatever the password, on every replica.
			limited(t, e.from(attacker, servertest.EditorEmail, pw), "the guesser with the right password")
			r := e.replica.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": pw}, "X-Forwarded-For", attacker)
			limited(t, r, "the guesser on the other replica")
			// The owner's success does not give the guesser a fresh start.
			limited(t, e.from(attacker, servertest.EditorEmail, "yet another guess"), "the guesser after the owner signed in")
			// Other accounts from the guesser's address are not slowed.
			want(t, e.from(attacker, servertest.Editor2Email, pw), 200, "another account from the guesser's address")
		}},
		{"ManyAddressesDoNotLockTheAccount", models.SignInLimits{}, func(t *testing.T, e *signInEnv) {
			for a := range 4 {
				for i := range 5 {
					want(t, e.from(fmt.Sprintf("198.51.100.%d", a+1), servertest.EditorEmail, "guess "+strconv.Itoa(i)), 401, "wrong password")
				}
			}
			want(t, e.from(owner, servertest.EditorEmail, pw), 200, "the owner after twenty failures from four addresses")
		}},
		{"DelaysGrowPerPair", models.SignInLimits{}, func(t *testing.T, e *signInEnv) {
			for i := range 5 {
				want(t, e.from(attacker, servertest.EditorEmail, "guess "+strconv.Itoa(i)), 401, "a free try")
			}
			for _, wantWait := range []int{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900} {
				if got := limited(t, e.from(attacker, servertest.EditorEmail, pw), "a try too soon"); got != wantWait {
					t.Fatalf("Retry-After %d, want %d", got, wantWait)
				}
				e.advance(time.Duration(wantWait) * time.Second)
				want(t, e.from(attacker, servertest.EditorEmail, "one more guess"), 401, "a try after the wait")
			}
			// A day later the pair is forgotten, and a success clears it.
			e.advance(24 * time.Hour)
			want(t, e.from(attacker, servertest.EditorEmail, pw), 200, "a day later")
			for i := range 5 {
				want(t, e.from(attacker, servertest.EditorEmail, "guess "+strconv.Itoa(i)), 401, "free tries again after a success")
			}
		}},
		{"NewsroomBehindOneAddress", models.SignInLimits{AddressFailures: 25}, func(t *testing.T, e *signInEnv) {
			// Twenty-one editors behind one NAT each mistype once.
			for i := range 21 {
				want(t, e.from(nat, fmt.Sprintf("reporter%d@example.org", i), "a typo in it"), 401, "one typo each")
			}
			want(t, e.from(nat, servertest.EditorEmail, pw), 200, "an editor behind the NAT")
			// An address that fails across many accounts reaches the ceiling.
			for i := range 4 {
				want(t, e.from(nat, fmt.Sprintf("guess%d@example.org", i), "guess guess guess"), 401, "a guess")
			}
			if secs := limited(t, e.from(nat, servertest.Editor2Email, pw), "past the address ceiling"); secs > 15*60 {
				t.Errorf("Retry-After %d, more than the 15-minute window", secs)
			}
			want(t, e.from(owner, servertest.Editor2Email, pw), 200, "the same account from another address")
			e.advance(15*time.Minute + time.Second)
			want(t, e.from(nat, servertest.Editor2Email, pw), 200, "behind the NAT once the window has passed")
		}},
		{"ConcurrentGuessesShareNoCount", models.SignInLimits{}, func(t *testing.T, e *signInEnv) {
			// Twenty guesses at once from one address: one is checked at a
			// time, so only the free tries get an answer from the password.
			codes := make(chan int, 20)
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes <- e.from(attacker, servertest.EditorEmail, "concurrent guess "+strconv.Itoa(i)).Status
				}()
			}
			wg.Wait()
			close(codes)
			count := map[int]int{}
			for c := range codes {
				count[c]++
			}
			if count[401] != 5 || count[429] != 15 {
				t.Errorf("answers %v, want 5 × 401 and 15 × 429", count)
			}
		}},
		{"ConfiguredFreeTriesAndCap", models.SignInLimits{FreeTries: 2, MaxDelay: 3 * time.Second}, func(t *testing.T, e *signInEnv) {
			for range 2 {
				want(t, e.from(attacker, servertest.EditorEmail, "guess"), 401, "a free try")
			}
			for _, wantWait := range []int{1, 2, 3, 3} {
				if got := limited(t, e.from(attacker, servertest.EditorEmail, pw), "a try too soon"); got != wantWait {
					t.Fatalf("Retry-After %d, want %d", got, wantWait)
				}
				e.advance(time.Duration(wantWait) * time.Second)
				want(t, e.from(attacker, servertest.EditorEmail, "guess"), 401, "a try after the wait")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newSignInEnv(t, tt.limits)) })
	}
}

func TestSuccessfulLoginClearsTheAccountCount(t *testing.T) {
	env := servertest.New(t)
	c := env.Anonymous()
	for round := 0; round < 3; round++ {
		for i := 0; i < 4; i++ {
			want(t, login(c, servertest.EditorEmail, "not the password"), 401, "wrong password")
		}
		want(t, login(c, servertest.EditorEmail, storetest.Password), 200, "the right one")
	}
}
