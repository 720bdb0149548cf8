package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/web"
)

// deskRender writes a desk page with status. The renderer buffers the page,
// so a template error leaves nothing written and becomes the error page.
func (s *Server) deskRender(c *gin.Context, status int, render func(w gin.ResponseWriter) error) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := render(c.Writer); err != nil {
		s.deskError(c, err)
	}
}

// deskError shows err as a page, with the status respondError would give
// it: the code-to-status table is errorResponse's, in one place.
func (s *Server) deskError(c *gin.Context, err error) {
	status, body := s.ErrorResponse(c, err)
	headings := map[int]string{
		http.StatusBadRequest:      "That did not work",
		http.StatusUnauthorized:    "Sign in first",
		http.StatusForbidden:       "Not allowed",
		http.StatusNotFound:        "Not found",
		http.StatusConflict:        "Changed by someone else",
		http.StatusTooManyRequests: "Too many tries",
	}
	h, ok := headings[status]
	if !ok {
		h = "Something went wrong"
	}
	p := &deskview.ErrorPage{Chrome: s.chrome(c, h, ""), Status: status, Heading: h, Message: body.Error.Message}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := deskPages.Error(c.Writer, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render desk error page", "request_id", web.RequestID(c), "error", err)
	}
	c.Abort()
}

// chrome is the frame of every page for the signed-in editor.
func (s *Server) chrome(c *gin.Context, title, nav string) deskview.Chrome {
	// The scale names ratings on every page; it is cached (store.Scale).
	// Should it fail to read, ratings show by their keys and the page's
	// own reads report the database's trouble.
	scale, _ := s.DB.Scale(c.Request.Context())
	ch := deskview.Chrome{Title: title, User: web.CurrentUser(c), CSRF: web.CSRFToken(c), Nav: nav, Flash: deskFlash(c), Scale: scale}
	if ch.User != nil {
		// The counts in the header; a failed read shows none, and the
		// page's own reads report the database's trouble.
		ch.Unread, _ = s.DB.UnreadNotifications(c.Request.Context(), ch.User.ID)
		if counts, err := s.DB.CountReports(c.Request.Context()); err == nil {
			ch.NewReports = counts[models.ReportNew]
		}
	}
	return ch
}

// flashes are the confirmations a redirect after a POST may ask for, by
// key: the page never echoes text from the query string.
var flashes = map[string]string{
	"signed_out":     "You are signed out.",
	"imported":       "Document imported. The proposed claims are listed beside the text.",
	"repeat":         "This text was imported before, with the same title and details: here it is. Nothing new was stored.",
	"detecting":      "Document imported. Its claims are being proposed in the background: look again in a moment.",
	"created":        "Claim created from the selected words.",
	"saved":          "Saved.",
	"submitted":      "Saved and submitted for review.",
	"evidence":       "Evidence added.",
	"archive":        "A new archived copy will be taken in a moment.",
	"accept":         "Claim accepted.",
	"dismiss":        "Claim dismissed.",
	"reopen":         "Claim reopened.",
	"start":          "Research started.",
	"submit":         "Submitted for review.",
	"send_back":      "Sent back to research.",
	"approve":        "Approved: the verdict is published.",
	"correct":        "Correction published.",
	"retract":        "Verdict retracted.",
	"user_added":     "User added.",
	"user_saved":     "User changed.",
	"spam":           "Report marked as spam.",
	"duplicate":      "Report marked as a duplicate.",
	"accepted":       "Report accepted.",
	"read":           "Marked read.",
	"prefs":          "Notification choices saved.",
	"commented":      "Comment added.",
	"comment_ed":     "Comment changed.",
	"hook_added":     "Webhook added.",
	"hook_gone":      "Webhook deleted.",
	"hook_saved":     "Webhook changed.",
	"scale_saved":    "Scale saved.",
	"scale_review":   "Scale saved. Each published verdict whose rating changed keeps its wording until a second editor approves its correction (Dashboard, waiting for review).",
	"scale_applied":  "Scale saved. Every published verdict whose rating changed shows the new wording, with the note as a correction.",
	"linked":         "Linked as an appearance of the claim already checked; the proposal is dismissed as its duplicate.",
	"unlinked":       "Appearance unlinked.",
	"unlink_pending": "Unlink proposed: the claim is published, so a second editor approves it in the correction before readers see it.",
	"link_pending":   "Link proposed: the claim is published, so a second editor approves the appearance in its correction before readers see it. The proposal is dismissed as its duplicate.",
}

func deskFlash(c *gin.Context) string { return flashes[c.Query("done")] }

// deskRedirect is the GET after a successful POST.
func deskRedirect(c *gin.Context, path string, done string, fragment string) {
	u := url.URL{Path: path, Fragment: fragment}
	if done != "" {
		u.RawQuery = url.Values{"done": {done}}.Encode()
	}
	c.Redirect(http.StatusSeeOther, u.String())
}

// people names users by ID for a page. A page loads only the users it
// shows: every user where it offers a user picker (allPeople), the ones it
// names otherwise (peopleByID).
type people struct {
	users []models.User // the picker's choices; nil from peopleByID
	names map[int64]string
}

// allPeople is every user, for a page with a user picker.
func (s *Server) allPeople(ctx context.Context) (people, error) {
	users, err := s.DB.ListUsers(ctx)
	if err != nil {
		return people{}, err
	}
	p := people{users: users, names: map[int64]string{}}
	for _, u := range users {
		p.names[u.ID] = u.Name
	}
	return p, nil
}

// peopleByID names the users of ids (nil ones are the system), one look-up
// each: a page names a few people. A user not found keeps a number.
func (s *Server) peopleByID(ctx context.Context, ids ...*int64) (people, error) {
	p := people{names: map[int64]string{}}
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == nil || seen[*id] {
			continue
		}
		seen[*id] = true
		u, err := s.DB.GetUser(ctx, *id)
		switch {
		case err == nil:
			p.names[u.ID] = u.Name
		case models.ErrorCode(err) != models.ENOTFOUND:
			return people{}, err
		}
	}
	return p, nil
}

// name is who a user ID is; nil is the system (claim detection, the demo import).
func (p people) name(id *int64) string {
	if id == nil {
		return "Factdesk"
	}
	if n, ok := p.names[*id]; ok {
		return n
	}
	return "user " + strconv.FormatInt(*id, 10)
}

// assignees are the assignees of claims, for peopleByID.
func assignees(lists ...[]models.Claim) []*int64 {
	var out []*int64
	for _, claims := range lists {
		for _, cl := range claims {
			out = append(out, cl.AssigneeID)
		}
	}
	return out
}

// rows turns claims into list rows with their names.
func rows(scale *models.Scale, claims []models.Claim, p people, titles map[int64]string) []deskview.ClaimRow {
	out := make([]deskview.ClaimRow, len(claims))
	for i, cl := range claims {
		r := deskview.ClaimRow{Claim: cl, Overdue: cl.Overdue(time.Now())}
		r.Rated, _ = scale.Find(cl.Rating)
		if cl.AssigneeID != nil {
			r.Assignee = p.name(cl.AssigneeID)
		}
		if cl.DocumentID != nil {
			r.Document = titles[*cl.DocumentID]
		}
		out[i] = r
	}
	return out
}

// invalidFields are the field messages of an invalid error, nil for any other.
func invalidFields(err error) deskview.Errors {
	if models.ErrorCode(err) != models.EINVALID {
		return nil
	}
	f := deskview.Errors{}
	for k, v := range models.ErrorFields(err) {
		f[k] = v
	}
	if len(f) == 0 {
		f["form"] = models.ErrorMessage(err)
	}
	return f
}

// claimPath and documentPath are the desk's pages of a claim and a document.
func claimPath(id int64) string { return "/desk/claims/" + web.Itoa(id) }

func documentPath(id int64) string { return "/desk/documents/" + web.Itoa(id) }
