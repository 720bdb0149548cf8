package desk

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

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
			m.Link.Return = "/desk/claims/" + strconv.FormatInt(m.Link.ClaimID, 10)
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
