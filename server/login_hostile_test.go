package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"factdesk/store/storetest"
	"factdesk/web"
)

// TestHostileSignIn: a sign-in posted by a page of another site, or
// without the token of a form its browser was shown, never starts a
// session (login CSRF); a form from the desk's own page does.
func TestHostileSignIn(t *testing.T) {
	ts, _, _, _ := hostileServer(t)
	own := ts.URL // the Origin a browser sends for the desk's own page
	tests := []struct {
		name      string
		path      string // /desk/login or /api/v1/auth/login
		token     string // "form": the token of the page this browser was shown; "other": another browser's; "": none
		headers   map[string]string
		wantCode  int
		wantLogin bool
	}{
		{"desk: no Origin, no token", "/desk/login", "", nil, 403, false},
		{"desk: Origin null, no token", "/desk/login", "", map[string]string{"Origin": "null"}, 403, false},
		{"desk: Origin null with the form's token", "/desk/login", "form", map[string]string{"Origin": "null"}, 403, false},
		{"desk: another site's Origin with the form's token", "/desk/login", "form", map[string]string{"Origin": "https://elsewhere.example"}, 403, false},
		{"desk: a look-alike Origin", "/desk/login", "form", map[string]string{"Origin": own + ".elsewhere.example"}, 403, false},
		{"desk: Sec-Fetch-Site cross-site, no Origin", "/desk/login", "form", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, false},
		{"desk: Sec-Fetch-Site same-site (a sibling subdomain)", "/desk/login", "form", map[string]string{"Sec-Fetch-Site": "same-site"}, 403, false},
		{"desk: another browser's token", "/desk/login", "other", map[string]string{"Origin": own}, 403, false},
		{"desk: own Origin, no token", "/desk/login", "", map[string]string{"Origin": own}, 403, false},
		{"desk: own Origin with the form's token", "/desk/login", "form", map[string]string{"Origin": own, "Sec-Fetch-Site": "same-origin"}, 303, true},
		{"desk: no Origin (an old browser) with the form's token", "/desk/login", "form", nil, 303, true},
		{"api: Origin null", "/api/v1/auth/login", "", map[string]string{"Origin": "null", "Content-Type": "application/json"}, 403, false},
		{"api: another site's Origin", "/api/v1/auth/login", "", map[string]string{"Origin": "https://elsewhere.example", "Content-Type": "application/json"}, 403, false},
		{"api: a form instead of JSON", "/api/v1/auth/login", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 400, false},
		{"api: JSON sent as text/plain (a form's enctype)", "/api/v1/auth/login", "", map[string]string{"Content-Type": "text/plain"}, 400, false},
		{"api: JSON from a script", "/api/v1/auth/login", "", map[string]string{"Content-Type": "application/json"}, 200, true},
	}
	tokenRE := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			formToken := func(cl *http.Client) string {
				res, err := cl.Get(ts.URL + "/desk/login")
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				m := tokenRE.FindSubmatch(b)
				if m == nil {
					t.Fatalf("no csrf_token on the sign-in page: %.300s", b)
				}
				return string(m[1])
			}
			var body string
			switch {
			case strings.HasPrefix(tt.path, "/api/") && tt.headers["Content-Type"] != "application/x-www-form-urlencoded":
				body = `{"email":"editor@hostile.test","password":"` + storetest.Password + `"}`
			default:
				form := url.Values{"email": {"editor@hostile.test"}, "password": {storetest.Password}, "next": {"/desk"}}
				switch tt.token {
				case "form":
					form.Set("csrf_token", formToken(cl))
				case "other":
					jar2, _ := cookiejar.New(nil)
					form.Set("csrf_token", formToken(&http.Client{Jar: jar2}))
					formToken(cl) // this browser has a token of its own
				}
				body = form.Encode()
			}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+tt.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := cl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantCode {
				t.Errorf("status %d, want %d: %.300s", res.StatusCode, tt.wantCode, b)
			}
			signedIn := false
			for _, c := range res.Cookies() {
				if c.Name == web.SessionCookie && c.Value != "" {
					signedIn = true
				}
			}
			if signedIn != tt.wantLogin {
				t.Errorf("session cookie set: %v, want %v", signedIn, tt.wantLogin)
			}
		})
	}
}

// TestSignInFormCookie: the sign-in form's cookie is HttpOnly and
// SameSite=Strict, and over TLS it is Secure with the __Host- prefix, which
// no sibling subdomain can set.
func TestSignInFormCookie(t *testing.T) {
	for _, tt := range []struct{ base, name string }{
		{"http://factdesk.test", "factdesk_login="},
		{"https://factdesk.example.org", "__Host-factdesk_login="},
	} {
		db := storetest.Open(t)
		h, err := New(Config{DB: db, BaseURL: tt.base, OrgName: "Desk"})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		res, err := http.Get(ts.URL + "/desk/login")
		ts.Close()
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		c := res.Header.Get("Set-Cookie")
		secure := strings.HasPrefix(tt.base, "https:")
		if !strings.HasPrefix(c, tt.name) || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") ||
			!strings.Contains(c, "Path=/") || strings.Contains(c, "Domain=") || strings.Contains(c, "Secure") != secure {
			t.Errorf("base %s: Set-Cookie %q", tt.base, c)
		}
	}
}
