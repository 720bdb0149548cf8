package desk

import (
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/intake"
	"factdesk/models"
	"factdesk/web"
)

// deskDocument is the triage view: the text with every claim marked, the
// proposed claims to accept or dismiss, and "select text → new claim".
func (s *Server) deskDocument(c *gin.Context) {
	s.renderDocument(c, http.StatusOK, nil)
}

func (s *Server) renderDocument(c *gin.Context, status int, errs deskview.Errors) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		s.deskError(c, err)
		return
	}
	ctx := c.Request.Context()
	d, err := s.DB.GetDocument(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	claims, err := s.documentClaims(c, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	runs, marked := deskview.MarkText(d.Body, claims)
	original, err := s.DB.OriginalInfo(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.DocumentPage{
		Chrome:   s.chrome(c, d.DisplayTitle(), "documents"),
		Document: *d, Text: runs, Marked: marked, Errors: errs,
		Original: original,
		Return:   documentPath(id) + "#candidates",
	}
	for _, cl := range claims {
		switch {
		case cl.Orphaned: // the claims of this document: each has one
			p.Orphans = append(p.Orphans, deskview.ClaimRow{Claim: cl})
		case cl.Status == models.StatusCandidate:
			p.Candidates = append(p.Candidates, deskview.ClaimRow{Claim: cl, Keys: keyPhrases(&cl)})
		}
	}
	p.Notice, p.Lost = documentNotice(c)
	if raw := c.Query("job"); raw != "" {
		if p.Detection, err = s.jobOfKind(c, raw, intake.DetectKind); err != nil {
			s.deskError(c, err)
			return
		}
	}
	// Candidates most worth checking first.
	sort.SliceStable(p.Candidates, func(i, j int) bool { return p.Candidates[i].Claim.Score > p.Candidates[j].Claim.Score })
	if err := s.triageMatches(c, d, p); err != nil {
		s.deskError(c, err)
		return
	}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Document(w, p) })
}

// triageMatches puts beside each proposal what was already checked that
// says the same, as stored at import (store.ProposalMatches computes what
// is missing or older than store.MatchesMaxAge).
func (s *Server) triageMatches(c *gin.Context, d *models.Document, p *deskview.DocumentPage) error {
	if len(p.Candidates) == 0 {
		return nil
	}
	ctx := c.Request.Context()
	props := make([]models.Claim, len(p.Candidates))
	for i := range p.Candidates {
		props[i] = p.Candidates[i].Claim
	}
	found, err := s.DB.ProposalMatches(ctx, props, matchesShown)
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return nil
	}
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return err
	}
	for i := range p.Candidates {
		row := &p.Candidates[i]
		if m := found[row.Claim.ID]; len(m) > 0 {
			row.Matches = deskMatches(c, &row.Claim, d, m, &scale, p.Return)
		}
	}
	return nil
}

// documentClaims is every claim of a document, page after page.
func (s *Server) documentClaims(c *gin.Context, id int64) ([]models.Claim, error) {
	return s.DB.AllClaims(c.Request.Context(), models.ClaimFilter{DocumentID: id, Limit: 200})
}

// deskClaimFromSelection creates a claim anchored on the selected words:
// start and end are code-point offsets of the document body, and the store
// takes the quote from the body itself.
func (s *Server) deskClaimFromSelection(c *gin.Context, id int64) {
	errs := deskview.Errors{}
	start, err := formInt(c, "start", 0)
	if err != nil {
		errs["start"] = "select some words in the text first"
	}
	end, err := formInt(c, "end", 0)
	if err != nil {
		errs["end"] = "select some words in the text first"
	}
	if len(errs) == 0 {
		cl := &models.Claim{DocumentID: &id, Anchor: models.Anchor{Start: start, End: end}, Claimant: c.PostForm("claimant")}
		err := s.DB.CreateClaim(c.Request.Context(), cl, web.CurrentUser(c))
		if err == nil {
			deskRedirect(c, claimPath(cl.ID), "created", "")
			return
		}
		if errs = invalidFields(err); errs == nil {
			s.deskError(c, err)
			return
		}
	}
	s.renderDocument(c, http.StatusBadRequest, errs)
}
