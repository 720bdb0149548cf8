package desk

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/web"
)

// deskClaimSave saves the editor's main form (op=save), saves it and
// submits the claim for review (op=submit), or shows the explanation
// rendered (op=preview, for browsers without the script). A save based on
// an old version shows both versions side by side and keeps what was typed.
func (s *Server) deskClaimSave(c *gin.Context) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		s.deskError(c, err)
		return
	}
	ctx := c.Request.Context()
	me := web.CurrentUser(c)
	form, u, errs := claimFormPosted(c)
	op := c.PostForm("op")
	if len(errs) > 0 {
		s.claimAgain(c, http.StatusBadRequest, form, errs, nil, false)
		return
	}
	if op == "preview" {
		s.claimAgain(c, http.StatusOK, form, errs, nil, true)
		return
	}
	saved, err := s.DB.GetClaim(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	// Submitting unchanged work writes no empty edit first.
	if form.Version != saved.Version || changed(saved, u) {
		saved, err = s.DB.UpdateClaim(ctx, id, u, me)
		var e *models.Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Code == models.ECONFLICT && e.Current != nil:
			s.claimAgain(c, http.StatusConflict, form, nil, conflictOf(e, form, s.mustPeople(c), s.chrome(c, "", "").Scale), false)
			return
		case models.ErrorCode(err) == models.EINVALID:
			s.claimAgain(c, http.StatusBadRequest, form, invalidFields(err), nil, false)
			return
		default:
			s.deskError(c, err)
			return
		}
	}
	done := "saved"
	if op == "submit" {
		if _, err := s.DB.TransitionClaim(ctx, id, saved.Version, models.TransitionInput{Action: models.ActionSubmit}, me); err != nil {
			// What was typed is saved; say why it is not submitted, next to the fields.
			status, body := s.ErrorResponse(c, err)
			errs := invalidFields(err)
			if errs == nil {
				errs = deskview.Errors{}
			}
			errs["action"] = "Saved, but not submitted: " + body.Error.Message
			s.claimAgain(c, status, formOf(saved, nil), errs, nil, false)
			return
		}
		done = "submitted"
	}
	c.Redirect(http.StatusSeeOther, "/desk/claims/"+strconv.FormatInt(id, 10)+"?saved=1&done="+done)
}

// claimFormPosted reads the main form into what to show again and the
// update to apply. The verdict fields are sent only while the claim is not
// published: a published verdict changes through a correction.
func claimFormPosted(c *gin.Context) (deskview.ClaimForm, models.ClaimUpdate, deskview.Errors) {
	errs := deskview.Errors{}
	f := deskview.ClaimForm{Text: c.PostForm("text"), Claimant: c.PostForm("claimant"), Kind: models.Kind(c.PostForm("kind")),
		Rating: models.Rating(c.PostForm("rating")), Explanation: c.PostForm("explanation"), Note: c.PostForm("note")}
	var err error
	if f.Version, err = formVersion(c); err != nil {
		errs["version"] = models.ErrorFields(err)["version"]
		errs["action"] = models.ErrorMessage(err)
	}
	u := models.ClaimUpdate{Version: f.Version, Text: &f.Text, Claimant: &f.Claimant, Kind: &f.Kind, Note: f.Note}
	var assignee *int64
	if id, err := formOptionalID(c, "assignee_id"); err != nil {
		errs["assignee_id"] = "pick someone from the list"
	} else if id != 0 {
		f.AssigneeID, assignee = id, &id
	}
	u.AssigneeID = &assignee
	// A form drawn before due dates had none of these fields: it leaves
	// them as they are.
	if raw, ok := c.GetPostForm("due_on"); ok {
		f.DueOn = strings.TrimSpace(raw)
		var due *time.Time
		if f.DueOn != "" {
			if t, err := time.Parse(time.DateOnly, f.DueOn); err != nil {
				errs["due_on"] = "must be a date such as 2025-10-14"
			} else {
				due = &t
			}
		}
		u.DueOn = &due
	}
	if _, ok := c.GetPostForm("priority"); ok {
		if p, err := formInt(c, "priority", 0); err != nil || !models.Priority(p).Valid() {
			errs["priority"] = "pick a priority from the list"
		} else {
			f.Priority = models.Priority(p)
			u.Priority = &f.Priority
		}
	}
	if _, ok := c.GetPostForm("rating"); ok {
		u.Rating = &f.Rating
		u.Explanation = &f.Explanation
	}
	return f, u, errs
}

// changed reports whether applying u would change cl.
func changed(cl *models.Claim, u models.ClaimUpdate) bool {
	next := *cl
	if err := u.Apply(&next); err != nil {
		return true // let the store say what is wrong
	}
	if cl.Status == models.StatusPublished && (*u.Text != cl.Text || *u.Claimant != cl.Claimant ||
		(u.Rating != nil && *u.Rating != cl.Rating) || (u.Explanation != nil && *u.Explanation != cl.Explanation)) {
		return true // a correction to propose, or one to keep as it is: the store tells
	}
	return next.Text != cl.Text || next.Claimant != cl.Claimant || next.Kind != cl.Kind || next.Rating != cl.Rating ||
		next.Explanation != cl.Explanation || !sameID(next.AssigneeID, cl.AssigneeID) ||
		next.Priority != cl.Priority || !sameDay(next.DueOn, cl.DueOn)
}

func sameID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func sameDay(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}

// claimAgain shows the editor with what was typed still in the form.
func (s *Server) claimAgain(c *gin.Context, status int, form deskview.ClaimForm, errs deskview.Errors, conflict *deskview.Conflict, preview bool) {
	p, err := s.claimPage(c)
	if err != nil {
		s.deskError(c, err)
		return
	}
	if conflict != nil {
		form.Version = conflict.Theirs.Version // the next save is based on what it was shown
	}
	p.Form, p.Errors, p.Conflict = form, errs, conflict
	if preview {
		p.Preview = frontend.Markdown(form.Explanation)
	}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Claim(w, p) })
}

// mustPeople names users for the conflict table; without names it shows IDs.
func (s *Server) mustPeople(c *gin.Context) people {
	p, err := s.allPeople(c.Request.Context())
	if err != nil {
		return people{names: map[int64]string{}}
	}
	return p
}

// conflictOf sets what was typed beside the claim as another editor saved it.
func conflictOf(e *models.Error, yours deskview.ClaimForm, ppl people, scale models.Scale) *deskview.Conflict {
	theirs, ok := e.Current.(*models.Claim)
	if !ok {
		return nil
	}
	assignee := func(id int64) string {
		if id == 0 {
			return "nobody"
		}
		return ppl.name(&id)
	}
	theirAssignee := int64(0)
	if theirs.AssigneeID != nil {
		theirAssignee = *theirs.AssigneeID
	}
	row := func(field, a, b string) deskview.ConflictRow {
		return deskview.ConflictRow{Field: field, Yours: a, Theirs: b, Differs: strings.TrimSpace(a) != strings.TrimSpace(b)}
	}
	rows := []deskview.ConflictRow{
		row("Claim as stated", yours.Text, theirs.Text),
		row("Claimant", yours.Claimant, theirs.Claimant),
		row("Kind", string(yours.Kind), string(theirs.Kind)),
		row("Assignee", assignee(yours.AssigneeID), assignee(theirAssignee)),
	}
	if theirs.Status != models.StatusPublished {
		rows = append(rows,
			row("Rating", rated(&scale, yours.Rating), rated(&scale, theirs.Rating)),
			row("Explanation", yours.Explanation, theirs.Explanation))
	}
	return &deskview.Conflict{Message: models.ErrorMessage(e) + ".", YourVersion: yours.Version, Theirs: *theirs, Rows: rows}
}

// rated is the label of rating r on scale s, "" for none.
func rated(s *models.Scale, r models.Rating) string {
	step, _ := s.Find(r)
	return step.Label
}
