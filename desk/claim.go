package desk

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// deskClaim is the claim editor.
func (s *Server) deskClaim(c *gin.Context) {
	p, err := s.claimPage(c)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p.Saved = c.Query("saved") == "1"
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Claim(w, p) })
}

// claimPage gathers the editor of the claim in the route as it is stored;
// the POST handlers then put back what was typed and what went wrong.
func (s *Server) claimPage(c *gin.Context) (*deskview.ClaimPage, error) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	me := web.CurrentUser(c)
	d, err := s.DB.GetClaimDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	ppl, err := s.allPeople(ctx)
	if err != nil {
		return nil, err
	}
	revs, err := s.DB.ListRevisions(ctx, store.RevisionFilter{ClaimID: id, Limit: 500})
	if err != nil {
		return nil, err
	}
	q := c.Query("sources")
	sources, err := s.DB.ListSources(ctx, store.SourceFilter{Query: q, Limit: 8})
	if err != nil {
		return nil, err
	}
	matches, err := s.DB.MatchesOf(ctx, id, matchesShown)
	if err != nil {
		return nil, err
	}
	apps, err := s.DB.ListAppearances(ctx, id)
	if err != nil {
		return nil, err
	}
	appDocs, err := s.DB.DocumentsOfAppearances(ctx, apps)
	if err != nil {
		return nil, err
	}
	rv, err := s.DB.ReviewOf(ctx, &d.Claim)
	if err != nil {
		return nil, err
	}
	proposedEvidence, err := s.evidenceOnceApproved(c, d.Evidence, rv.Pending)
	if err != nil {
		return nil, err
	}
	comments, err := s.DB.ListComments(ctx, id)
	if err != nil {
		return nil, err
	}
	waiting, err := s.DB.ListReports(ctx, store.ReportFilter{Status: models.ReportNew, ClaimID: id, Limit: 20})
	if err != nil {
		return nil, err
	}
	cl := d.Claim
	p := &deskview.ClaimPage{
		Comments:     commentItems(comments, me, s.DB.Now()),
		Chrome:       s.chrome(c, "Claim "+strconv.FormatInt(id, 10), "claims"),
		Claim:        cl,
		Document:     d.Document,
		Form:         formOf(&cl, rv.Pending),
		Users:        ppl.users,
		SourceQuery:  q,
		EvidenceForm: deskview.EvidenceForm{Kind: models.SourceOther, Stance: models.StanceSupports},
		Corrections:  d.Corrections,
		Actions:      actionButtons(&cl, me, rv),
		Review:       reviewOf(d, proposedEvidence, rv, ppl),
		Claimant:     claimantSuggestion(&d.Claim, d.Document),
		Keys:         keyPhrases(&d.Claim),
	}
	for _, r := range waiting {
		p.ReaderReports = append(p.ReaderReports, r.Report)
	}
	if cl.SubmitterID != nil {
		p.Submitter = ppl.name(cl.SubmitterID)
		if cl.ReviewerID != nil {
			p.Reviewer = ppl.name(cl.ReviewerID)
		}
	}
	for _, e := range d.Evidence {
		item := deskview.EvidenceItem{Evidence: e.Evidence, Source: e.Source, AddedBy: ppl.name(e.AddedBy)}
		if a, ok := d.Archives[e.SourceID]; ok {
			item.Archive = &a
		}
		p.Evidence = append(p.Evidence, item)
	}
	for _, src := range sources {
		p.Sources = append(p.Sources, deskview.SourceChoice{Source: src.Source, Claims: src.Claims})
	}
	p.Matches = deskMatches(c, &d.Claim, d.Document, matches, &d.Scale, "")
	for _, m := range p.Matches {
		if m.Link != nil {
			m.Link.Return = claimPath(m.Link.ClaimID)
		}
	}
	for _, a := range apps {
		doc := appDocs[a.DocumentID]
		p.Appearances = append(p.Appearances, deskview.AppearanceRow{Appearance: a, Document: doc.DisplayTitle(), LinkedBy: ppl.name(a.LinkedBy)})
	}
	for _, r := range revs {
		p.History = append(p.History, deskview.HistoryEntry{When: r.CreatedAt, Who: ppl.name(r.UserID), Action: actionWords(r.Action), Verb: r.Action,
			// Sending back a correction leaves the status as it was.
			Correction: r.Action == string(models.ActionSendBack) && !strings.Contains(r.After, `"status"`),
			Entity:     r.Entity, Summary: r.Summary, Changes: readableChanges(r.Changes(), ppl, &d.Scale)})
	}
	return p, nil
}

// formOf fills the editor's form from a stored claim and, on a published
// one, its pending correction.
func formOf(cl *models.Claim, pending *models.PendingCorrection) deskview.ClaimForm {
	shown := pending.Applied(*cl)
	f := deskview.ClaimForm{Version: cl.Version, Text: shown.Text, Claimant: shown.Claimant, Kind: cl.Kind, Rating: shown.Rating, Explanation: shown.Explanation}
	if pending != nil {
		f.Note = pending.Note
	}
	if cl.AssigneeID != nil {
		f.AssigneeID = *cl.AssigneeID
	}
	if cl.DueOn != nil {
		f.DueOn = cl.DueOn.UTC().Format(time.DateOnly)
	}
	f.Priority = cl.Priority
	return f
}

// actionButtons are the workflow actions me may take on cl, as the rules
// of models.AllowedActions say: the desk offers nothing the API refuses.
func actionButtons(cl *models.Claim, me *models.User, rv models.Review) []deskview.ActionButton {
	notes := map[models.Action]string{
		models.ActionDismiss:  "Why dismiss it? (kept on the desk, not public)",
		models.ActionSendBack: "What does the claim still need?",
		models.ActionCorrect:  "Public note on the correction",
		models.ActionRetract:  "Public note on the retraction",
	}
	var out []deskview.ActionButton
	for _, a := range models.AllowedActions(cl, me, rv) {
		help, need := notes[a]
		b := deskview.ActionButton{Action: a, Label: a.Label(), NeedNote: need, NoteHelp: help,
			Verdict: a == models.ActionCorrect, Danger: a == models.ActionDismiss || a == models.ActionRetract}
		if a == models.ActionApprove {
			_, err := models.MayApprove(cl, me, rv, "")
			b.NeedReason = models.ErrorFields(err)["override_reason"] != ""
			if cl.Status == models.StatusPublished {
				b.Label = "Approve and publish the correction"
			}
		}
		if a == models.ActionSendBack && cl.Status == models.StatusPublished {
			b.Label, b.NoteHelp = "Drop the correction", "Why is the correction not published?"
		}
		out = append(out, b)
	}
	return out
}

// reviewOf is what a reviewer approves: each field readers see, published
// and proposed; nil when nothing waits for approval.
func reviewOf(d *store.ClaimDetail, proposedEvidence []store.EvidenceDetail, rv models.Review, ppl people) *deskview.Review {
	cl := d.Claim
	var published, proposed models.Claim
	out := &deskview.Review{}
	switch {
	case cl.Status == models.StatusInReview:
		proposed = cl
	case cl.Status == models.StatusPublished && !rv.Pending.Empty():
		published, proposed = cl, rv.Pending.Applied(cl)
		out.Correction, out.Note = true, rv.Pending.Note
	default:
		return nil
	}
	for i := range rv.Authors {
		out.Authors = append(out.Authors, ppl.name(&rv.Authors[i]))
	}
	row := func(field, a, b string) {
		out.Rows = append(out.Rows, deskview.ReviewRow{Field: field, Published: a, Proposed: b, Differs: a != b})
	}
	row("Claim as stated", published.Text, proposed.Text)
	row("Claimant", published.Claimant, proposed.Claimant)
	label := func(r models.Rating) string { step, _ := d.Scale.Find(r); return step.Label }
	row("Rating", label(published.Rating), label(proposed.Rating))
	row("Explanation", published.Explanation, proposed.Explanation)
	sources := func(list []store.EvidenceDetail) string {
		var lines []string
		for _, e := range list {
			line := string(e.Stance) + ": " + e.Source.Title
			if e.Source.Title == "" {
				line = string(e.Stance) + ": " + e.Source.URL
			}
			if e.Excerpt != "" {
				line += " “" + e.Excerpt + "”"
			}
			if e.PublicNote != "" {
				line += " (" + e.PublicNote + ")"
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n")
	}
	if out.Correction {
		row("Sources", sources(d.Evidence), sources(proposedEvidence))
	} else {
		row("Sources", "", sources(d.Evidence))
	}
	return out
}

// hiddenFields say nothing to a reader of the history.
// The quote says where a claim stands in its document; the offsets, score
// and origin are kept in the data, not shown.
var hiddenFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "version": true, "prefix": true, "suffix": true,
	"claim_id": true, "document_id": true, "start": true, "end": true, "orphaned": true, "score": true, "origin": true}

// readableChanges names people instead of IDs and statuses and ratings by
// their labels.
func readableChanges(in []models.FieldChange, ppl people, scale *models.Scale) []models.FieldChange {
	out := make([]models.FieldChange, 0, len(in))
	word := func(field, v string) string {
		switch field {
		case "assignee_id", "submitter_id", "reviewer_id", "added_by":
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				return ppl.name(&id)
			}
		case "status":
			if st := models.Status(v); st.Valid() {
				return st.Label()
			}
		case "rating":
			if step, ok := scale.Find(models.Rating(v)); ok {
				return step.Label
			}
		}
		return v
	}
	for _, ch := range in {
		if hiddenFields[ch.Field] {
			continue
		}
		out = append(out, models.FieldChange{Field: ch.Field, Before: word(ch.Field, ch.Before), After: word(ch.Field, ch.After)})
	}
	return out
}

// deskClaimSave saves the editor's main form (op=save), saves it and
// submits the claim for review (op=submit), or shows the explanation
// rendered (op=preview, for browsers without the script). A save based on
// an old version shows both versions side by side and keeps what was typed.
func (s *Server) deskClaimSave(c *gin.Context, id int64) {
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
	c.Redirect(http.StatusSeeOther, claimPath(id)+"?saved=1&done="+done)
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

// deskTransition takes one workflow action on a claim: from the editor's
// buttons or the triage list's accept and dismiss. The store applies
// models.Transition, the same rules as the API.
func (s *Server) deskTransition(c *gin.Context, id int64) {
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
	deskRedirect(c, claimPath(id), string(in.Action), "")
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
