package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// The desk's sign-in form has no session to take a CSRF token from, so it
// carries a pre-session token instead: a random value set in a cookie when
// the form is shown and repeated in the form's csrf_token field. A page of
// another site can make a browser post the form but can neither read nor
// set the cookie, so it cannot sign the browser in to an account of its
// choosing. Over TLS the cookie has the __Host- prefix, which a sibling
// subdomain cannot set either.
const (
	loginCookie       = "factdesk_login"
	loginCookieSecure = "__Host-factdesk_login"
	loginTokenBytes   = 32
)

func (s *Server) loginCookieName(c *gin.Context) string {
	if s.secureCookies(c) {
		return loginCookieSecure
	}
	return loginCookie
}

// LoginFormToken is the browser's pre-session token, set anew when it has
// none (or not one of ours).
func (s *Server) LoginFormToken(c *gin.Context) string {
	name := s.loginCookieName(c)
	if v, err := c.Cookie(name); err == nil && validLoginToken(v) {
		return v
	}
	b := make([]byte, loginTokenBytes)
	_, _ = rand.Read(b) // crypto/rand never fails on a working system
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(c), SameSite: http.SameSiteStrictMode})
	return token
}

// ClearLoginFormToken drops the pre-session token once it has served.
func (s *Server) ClearLoginFormToken(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.loginCookieName(c), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(c), SameSite: http.SameSiteStrictMode})
}

func validLoginToken(v string) bool {
	b, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil && len(b) == loginTokenBytes
}

// CheckLoginForm reports whether a posted sign-in form carries the token of
// its browser's cookie.
func (s *Server) CheckLoginForm(c *gin.Context) bool {
	cookie, err := c.Cookie(s.loginCookieName(c))
	got := c.PostForm("csrf_token")
	return err == nil && validLoginToken(cookie) && got != "" &&
		subtle.ConstantTimeCompare([]byte(got), []byte(cookie)) == 1
}

// CrossSite reports whether a browser says the request comes from another
// site: an Origin that is "null" (a sandboxed frame, a data: URL, some
// redirects) or of another host than this site's, or Sec-Fetch-Site saying
// so. A request with neither header (a script, an old browser) is not
// cross-site by this test; the form token still guards it.
func (s *Server) CrossSite(c *gin.Context) bool {
	if o := c.GetHeader("Origin"); o != "" {
		if o == "null" {
			return true
		}
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || !s.ownHost(c, u.Host) {
			return true
		}
	}
	switch strings.ToLower(c.GetHeader("Sec-Fetch-Site")) {
	case "cross-site", "same-site":
		return true
	}
	return false
}

// ownHost reports whether host (with its port, as in an Origin) is this
// site: the host the request was sent to, or that of the base URL (behind a
// proxy that rewrites Host).
func (s *Server) ownHost(c *gin.Context, host string) bool {
	if strings.EqualFold(host, c.Request.Host) {
		return true
	}
	if b, err := url.Parse(s.Config.BaseURL); err == nil && b.Host != "" && strings.EqualFold(host, b.Host) {
		return true
	}
	return false
}
