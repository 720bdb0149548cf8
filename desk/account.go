package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
)

// deskAccount is the signed-in user's own page.
func (s *Server) deskAccount(c *gin.Context) {
	p, err := s.accountPage(c)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p.Changed = c.Query("done") == "password"
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Account(w, p) })
}

// deskPasswordChange changes the user's own password from the account
// page; the rules are the API's (changePassword).
func (s *Server) deskPasswordChange(c *gin.Context) {
	errs := deskview.Errors{}
	next := c.PostForm("new_password")
	if next != c.PostForm("repeat_password") {
		errs["repeat_password"] = "does not match the new password"
	} else if err := s.ChangePassword(c, c.PostForm("current_password"), next); err != nil {
		switch models.ErrorCode(err) {
		case models.EINVALID, models.EFORBIDDEN:
			for k, v := range models.ErrorFields(err) {
				errs[k] = v
			}
			errs["action"] = models.ErrorMessage(err) + "."
		default:
			s.deskError(c, err)
			return
		}
	}
	if len(errs) > 0 {
		p, err := s.accountPage(c)
		if err != nil {
			s.deskError(c, err)
			return
		}
		p.Errors = errs
		s.deskRender(c, http.StatusBadRequest, func(w gin.ResponseWriter) error { return deskPages.Account(w, p) })
		return
	}
	c.Redirect(http.StatusSeeOther, "/desk/account?done=password")
}
