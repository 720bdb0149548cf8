package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
)

// SessionCookie holds the session token of a signed-in browser.
const SessionCookie = "factdesk_session"

// Keys of what authenticate puts in the gin context.
const (
	keyUser    = "factdesk.user"
	keySession = "factdesk.session"
	keyToken   = "factdesk.api_token"
)

// CurrentUser is the signed-in user of the request, nil for an anonymous reader.
func CurrentUser(c *gin.Context) *models.User {
	if v, ok := c.Get(keyUser); ok {
		return v.(*models.User)
	}
	return nil
}

// CSRFToken is the CSRF token of the request's session, "" without one.
// Pages put it in a hidden csrf_token field; scripts send it as X-CSRF-Token.
func CSRFToken(c *gin.Context) string {
	if v, ok := c.Get(keySession); ok {
		return v.(*models.Session).CSRFToken
	}
	return ""
}

// ByCookie reports whether the request is authenticated by a session
// cookie, the one way a browser can be made to send credentials by another site.
func ByCookie(c *gin.Context) bool {
	_, ok := c.Get(keySession)
	return ok
}

// authenticate finds who is calling: an API token in "Authorization: Bearer",
// else the session cookie, else nobody. A bad token is refused at once; a
// stale cookie is dropped and the request goes on anonymous.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" && (strings.HasPrefix(c.Request.URL.Path, "/api/") || isBearer(h)) {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			c.Header("WWW-Authenticate", `Bearer realm="factdesk"`)
			s.RespondError(c, models.Errorf(models.EUNAUTHORIZED, `send "Authorization: Bearer <token>" with an API token`))
			return
		}
		t, u, err := s.DB.TokenUser(ctx, token)
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="factdesk", error="invalid_token"`)
			s.RespondError(c, err)
			return
		}
		c.Set(keyUser, u)
		c.Set(keyToken, t)
		c.Next()
		return
	}
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		sess, u, err := s.DB.SessionUser(ctx, cookie)
		switch models.ErrorCode(err) {
		case "":
			c.Set(keyUser, u)
			c.Set(keySession, sess)
		case models.EUNAUTHORIZED, models.ENOTFOUND:
			s.clearSessionCookie(c)
		default:
			s.RespondError(c, err)
			return
		}
	}
	c.Next()
}

// isBearer reports whether an Authorization header is a bearer token.
// Pages ignore any other scheme: an auth proxy in front of the site sends
// "Basic …" with every request, and the pages are public (review finding
// 9). The API still refuses one, so an integration learns at once that it
// sent the wrong credentials.
func isBearer(h string) bool {
	scheme, _, _ := strings.Cut(h, " ")
	return strings.EqualFold(scheme, "Bearer")
}

// CheckCSRF reports whether a cookie-authenticated request carries its
// session's CSRF token, in the X-CSRF-Token header or the csrf_token form
// field. Requests without a session (anonymous, or with an API token) have
// nothing a forged request could borrow and pass.
func (s *Server) CheckCSRF(c *gin.Context) bool {
	want := CSRFToken(c)
	if !ByCookie(c) {
		return true
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" {
		ct := c.ContentType()
		if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
			got = c.PostForm("csrf_token")
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// requireCSRF answers 403 and stops the request when checkCSRF fails; it
// reports whether the handler may go on. Pages that show their own error
// call checkCSRF instead.
func (s *Server) requireCSRF(c *gin.Context) bool {
	if s.CheckCSRF(c) {
		return true
	}
	s.RespondError(c, &models.Error{Code: models.EFORBIDDEN,
		Message: "this change needs the CSRF token of your session: send it in the X-CSRF-Token header (forms: the csrf_token field)",
		Fields:  map[string]string{"csrf_token": "is missing or does not match your session"}})
	return false
}

// CSRFGuard is requireCSRF as middleware for the writing methods.
func (s *Server) CSRFGuard(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if !s.requireCSRF(c) {
			return
		}
	}
	c.Next()
}

// StartSession signs u in: the session of the request, if any, is ended
// (a new token on every sign-in, so a token planted before it is worthless),
// a new one is stored and its cookie set. It returns the new CSRF token.
func (s *Server) StartSession(c *gin.Context, u *models.User) (string, error) {
	ctx := c.Request.Context()
	if old, err := c.Cookie(SessionCookie); err == nil && old != "" {
		if err := s.DB.DeleteSession(ctx, old); err != nil {
			return "", err
		}
	}
	token, sess, err := s.DB.CreateSession(ctx, u.ID)
	if err != nil {
		return "", err
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  sess.CreatedAt.Add(store.SessionMaxAge),
		MaxAge:   int(store.SessionMaxAge / time.Second),
		HttpOnly: true,
		Secure:   s.secureCookies(c),
		SameSite: http.SameSiteLaxMode,
	})
	c.Set(keyUser, u)
	c.Set(keySession, sess)
	return sess.CSRFToken, nil
}

// EndSession signs the browser out: its session is deleted from the
// database and its cookie cleared. Without a session it does nothing.
func (s *Server) EndSession(c *gin.Context) error {
	if token, err := c.Cookie(SessionCookie); err == nil && token != "" {
		if err := s.DB.DeleteSession(c.Request.Context(), token); err != nil {
			return err
		}
		s.clearSessionCookie(c)
	}
	delete(c.Keys, keyUser)
	delete(c.Keys, keySession)
	return nil
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(c), SameSite: http.SameSiteLaxMode})
}

// secureCookies is true when the site is served over TLS, directly or, as
// FACTDESK_BASE_URL says, behind a proxy that ends TLS.
func (s *Server) secureCookies(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.HasPrefix(strings.ToLower(s.Config.BaseURL), "https://")
}

// NeedUser refuses anonymous callers with 401.
func (s *Server) NeedUser(c *gin.Context) {
	if CurrentUser(c) == nil {
		s.RespondError(c, models.Errorf(models.EUNAUTHORIZED, "sign in or send an API token to do this"))
		return
	}
	c.Next()
}

// NeedAdmin refuses anonymous callers with 401 and editors with 403.
func (s *Server) NeedAdmin(c *gin.Context) {
	u := CurrentUser(c)
	switch {
	case u == nil:
		s.RespondError(c, models.Errorf(models.EUNAUTHORIZED, "sign in as an admin to do this"))
		return
	case !u.IsAdmin():
		s.RespondError(c, models.Errorf(models.EFORBIDDEN, "only an admin may do this"))
		return
	}
	c.Next()
}

// ChangePassword is the one way a user changes their own password, for the
// API and the desk: the new one is checked under the field new_password.
func (s *Server) ChangePassword(c *gin.Context, current, next string) error {
	keep := ""
	if ByCookie(c) {
		keep, _ = c.Cookie(SessionCookie)
	}
	err := s.DB.ChangePassword(c.Request.Context(), CurrentUser(c).ID, current, next, keep)
	if f := models.ErrorFields(err); f["password"] != "" {
		return &models.Error{Code: models.EINVALID, Message: models.ErrorMessage(err), Fields: map[string]string{"new_password": f["password"]}}
	}
	return err
}
