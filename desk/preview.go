package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
)

// deskPreview renders an explanation with the reader pages' sanitising
// Markdown renderer, as an HTML fragment for the editor's preview.
func (s *Server) deskPreview(c *gin.Context) {
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(frontend.Markdown(c.PostForm("explanation"))))
}

// evidenceOnceApproved is the claim's evidence with the pending
// correction's changes applied, in the order the approval applies them.
func (s *Server) evidenceOnceApproved(c *gin.Context, now []store.EvidenceDetail, p *models.PendingCorrection) ([]store.EvidenceDetail, error) {
	if p == nil {
		return now, nil
	}
	out := append([]store.EvidenceDetail(nil), now...)
	for _, ch := range p.Evidence {
		switch ch.Op {
		case models.EvidenceAdd:
			src, err := s.DB.GetSource(c.Request.Context(), ch.SourceID)
			if err != nil {
				return nil, err
			}
			out = append(out, store.EvidenceDetail{Evidence: models.Evidence{SourceID: ch.SourceID, Stance: ch.Stance, Excerpt: ch.Excerpt,
				PublicNote: ch.PublicNote, ResearchNote: ch.ResearchNote}, Source: *src})
		case models.EvidenceEdit, models.EvidenceRemove:
			for i := range out {
				if out[i].ID != ch.EvidenceID {
					continue
				}
				if ch.Op == models.EvidenceRemove {
					out = append(out[:i], out[i+1:]...)
				} else {
					out[i].Stance, out[i].Excerpt, out[i].PublicNote = ch.Stance, ch.Excerpt, ch.PublicNote
				}
				break
			}
		}
	}
	return out, nil
}

// deskVerdictPreview renders the claim's public page as it will be once
// what waits for approval is approved: the verdict in review, or the
// published claim with its pending correction. The reviewer reads exactly
// what readers will; the page is the desk's (no-store, noindex), never cached.
func (s *Server) deskVerdictPreview(c *gin.Context, id int64) {
	ctx := c.Request.Context()
	d, err := s.DB.GetClaimDetail(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	rv, err := s.DB.ReviewOf(ctx, &d.Claim)
	if err != nil {
		s.deskError(c, err)
		return
	}
	cl := rv.Pending.Applied(d.Claim)
	if cl.Status == models.StatusInReview {
		now := s.DB.Now()
		cl.Status, cl.PublishedAt = models.StatusPublished, &now
	}
	page := frontend.VerdictPage{Claim: cl, Document: d.Document, Corrections: d.Corrections, Scale: d.Scale,
		Checker: d.Bylines.Checker, Reviewer: d.Bylines.Reviewer}
	if !rv.Pending.Empty() {
		page.Corrections = append(page.Corrections, models.Correction{ClaimID: id, Note: rv.Pending.Note, CreatedAt: s.DB.Now()})
	}
	evidence, err := s.evidenceOnceApproved(c, d.Evidence, rv.Pending)
	if err != nil {
		s.deskError(c, err)
		return
	}
	for _, e := range evidence {
		page.Evidence = append(page.Evidence, frontend.Evidence{Evidence: e.Evidence, Source: e.Source})
	}
	body, err := s.Reader.Render.Verdict(page)
	if err != nil {
		s.deskError(c, err)
		return
	}
	c.Header("X-Robots-Tag", "noindex")
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}
