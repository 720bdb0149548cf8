package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/web"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// session is what a sign-in returns, and what /me says of the caller.
type session struct {
	User      *models.User `json:"user"`
	CSRFToken string       `json:"csrf_token,omitempty"`
}

// postLogin signs in with an email and password and sets the session
// cookie. It takes JSON only, which a page of another site cannot send
// without a CORS preflight, and refuses what a browser says comes from
// another site (Origin "null" included).
func (s *Server) postLogin(c *gin.Context) {
	if s.CrossSite(c) {
		s.RespondError(c, models.Errorf(models.EFORBIDDEN, "sign in from this site's own pages or from a script: a page of another site cannot"))
		return
	}
	var in loginRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		s.RespondError(c, err)
		return
	}
	u, err := s.SignIn(c, in.Email, in.Password)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	csrf, err := s.StartSession(c, u)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, session{User: u, CSRFToken: csrf})
}

// postLogout ends the session, if there is one.
func (s *Server) postLogout(c *gin.Context) {
	if err := s.EndSession(c); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// getMe says who the caller is, with the CSRF token of a cookie session.
func (s *Server) getMe(c *gin.Context) {
	c.JSON(http.StatusOK, session{User: web.CurrentUser(c), CSRFToken: web.CSRFToken(c)})
}

type tokenRequest struct {
	Name string `json:"name"`
}

type newToken struct {
	Token    string           `json:"token"`
	APIToken *models.APIToken `json:"api_token"`
}

// listTokens lists the caller's API tokens, revoked ones included.
func (s *Server) listTokens(c *gin.Context) {
	tokens, err := s.DB.ListAPITokens(c.Request.Context(), web.CurrentUser(c).ID)
	web.RespondList(s.Server, c, "tokens", tokens, err)
}

// postToken makes an API token for the caller; the token is shown this once.
func (s *Server) postToken(c *gin.Context, in *tokenRequest) {
	token, t, err := s.DB.CreateAPIToken(c.Request.Context(), web.CurrentUser(c).ID, in.Name)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, newToken{Token: token, APIToken: t})
}

// deleteToken revokes one of the caller's tokens (an admin: anyone's).
func (s *Server) deleteToken(c *gin.Context, id int64) {
	if _, err := s.DB.RevokeAPIToken(c.Request.Context(), id, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// patchMyPassword changes the caller's own password, given the current
// one. The caller's session stays signed in; every other session ends and
// every API token of theirs is revoked, the one of this request included.
func (s *Server) patchMyPassword(c *gin.Context, in *passwordChange) {
	if err := s.ChangePassword(c, in.CurrentPassword, in.NewPassword); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
