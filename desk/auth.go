package desk

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/web"
)

// deskCSP lets the desk load only its own scripts and styles: no inline
// script, no inline style, no framing.
const deskCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// deskHeaders sets the security headers of every desk page. The pages show
// unpublished work, so no cache keeps them.
func (s *Server) deskHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", deskCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// deskSignedIn sends a browser without an editor's session to the sign-in
// page, remembering where it was going.
func (s *Server) deskSignedIn(c *gin.Context) {
	if web.CurrentUser(c) != nil && web.ByCookie(c) {
		c.Next()
		return
	}
	target := "/desk/login"
	if c.Request.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// deskCSRF refuses a form posted without the session's CSRF token.
func (s *Server) deskCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodPost && !s.CheckCSRF(c) {
		s.deskError(c, models.Errorf(models.EFORBIDDEN,
			"this form was not sent from your desk session (or the session changed since the page was opened): reload the page and try again"))
		c.Abort()
		return
	}
	c.Next()
}

// deskAdminOnly lets only admins through.
// deskAdminOnlyFor refuses non-admins a section of the desk, saying what
// only an admin may do there.
func (s *Server) deskAdminOnlyFor(what string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !web.CurrentUser(c).IsAdmin() {
			s.deskError(c, models.Errorf(models.EFORBIDDEN, "only an admin may %s", what))
			c.Abort()
			return
		}
		c.Next()
	}
}

func (s *Server) deskAdminOnly(c *gin.Context) {
	if !web.CurrentUser(c).IsAdmin() {
		s.deskError(c, models.Errorf(models.EFORBIDDEN, "only an admin may manage users"))
		c.Abort()
		return
	}
	c.Next()
}

// safeNext keeps a post-sign-in destination on the desk: a path of this
// site, never another host.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		(u.Path != "/desk" && !strings.HasPrefix(u.Path, "/desk/")) || u.Path == "/desk/login" {
		return "/desk"
	}
	return u.RequestURI()
}

// deskLoginPage shows the sign-in form; a signed-in editor goes straight on.
func (s *Server) deskLoginPage(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if web.CurrentUser(c) != nil && web.ByCookie(c) {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	p := &deskview.LoginPage{Chrome: deskview.Chrome{Title: "Sign in", Flash: deskFlash(c)}, Next: next, FormToken: s.LoginFormToken(c)}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Login(w, p) })
}

// deskLogin checks the password (rate limited) and starts a session. A
// form posted from another site, or without the token of the form its
// browser was shown, is refused: nobody can be signed in to an account of
// someone else's choosing (login CSRF).
func (s *Server) deskLogin(c *gin.Context) {
	if s.CrossSite(c) {
		s.deskError(c, models.Errorf(models.EFORBIDDEN, "sign in from the desk's own sign-in page"))
		return
	}
	email, next := c.PostForm("email"), safeNext(c.PostForm("next"))
	var err error
	if !s.CheckLoginForm(c) {
		err = models.Errorf(models.EFORBIDDEN, "The sign-in form had expired or was not opened in this browser: sign in again.")
	} else {
		var u *models.User
		if u, err = s.SignIn(c, email, c.PostForm("password")); err == nil {
			_, err = s.StartSession(c, u)
		}
	}
	if err != nil {
		status, body := s.ErrorResponse(c, err)
		msg := body.Error.Message
		if models.ErrorCode(err) == models.EINVALID {
			msg = "Enter your email and password."
		}
		p := &deskview.LoginPage{Chrome: deskview.Chrome{Title: "Sign in"}, Email: email, Next: next, Message: msg, FormToken: s.LoginFormToken(c)}
		s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Login(w, p) })
		return
	}
	s.ClearLoginFormToken(c)
	c.Redirect(http.StatusSeeOther, next)
}

// deskLogout ends the session.
func (s *Server) deskLogout(c *gin.Context) {
	if err := s.EndSession(c); err != nil {
		s.deskError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/desk/login?done=signed_out")
}
