package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/web"
)

// deskTransition takes one workflow action on a claim: from the editor's
// buttons or the triage list's accept and dismiss. The store applies
// models.Transition, the same rules as the API.
func (s *Server) deskTransition(c *gin.Context) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		s.deskError(c, err)
		return
	}
	in := models.TransitionInput{Action: models.Action(c.PostForm("action")), Note: c.PostForm("note"), OverrideReason: c.PostForm("override_reason")}
	if in.Action == models.ActionCorrect {
		r, ex := models.Rating(c.PostForm("rating")), c.PostForm("explanation")
		in.Rating, in.Explanation = &r, &ex
	}
	version, err := formVersion(c)
	if err == nil {
		_, err = s.DB.TransitionClaim(c.Request.Context(), id, version, in, web.CurrentUser(c))
	}
	if err != nil {
		s.claimRefused(c, err, "action", in.Action.Label()+" did not go through: ")
		return
	}
	if back, ok := safeReturn(c.PostForm("return")); ok {
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	deskRedirect(c, "/desk/claims/"+strconv.FormatInt(id, 10), string(in.Action), "")
}

// claimRefused shows why a change was refused on the claim as it stands
// now, under key (the buttons' "action", or a field), prefixed with what
// did not happen. Errors that are not the editor's to mend get the error page.
func (s *Server) claimRefused(c *gin.Context, err error, key, prefix string) {
	switch models.ErrorCode(err) {
	case models.EINVALID, models.ECONFLICT, models.EFORBIDDEN:
	default:
		s.deskError(c, err)
		return
	}
	status, body := s.ErrorResponse(c, err)
	p, perr := s.claimPage(c)
	if perr != nil {
		s.deskError(c, perr)
		return
	}
	msg := body.Error.Message
	for _, v := range models.ErrorFields(err) {
		msg += ": " + v
	}
	p.Errors = deskview.Errors{key: prefix + msg + "."}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Claim(w, p) })
}

// safeReturn accepts a desk path (with a fragment) to come back to after a
// triage action, and nothing else.
func safeReturn(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(v, "//") || strings.Contains(v, `\`) ||
		!strings.HasPrefix(u.Path, "/desk/") {
		return "", false
	}
	return u.String(), true
}
