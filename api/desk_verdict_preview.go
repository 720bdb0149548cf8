package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
)

// deskVerdictPreview renders the claim's public page as it will be once
// what waits for approval is approved: the verdict in review, or the
// published claim with its pending correction. The reviewer reads exactly
// what readers will; the page is the desk's (no-store, noindex), never cached.
func (s *Server) deskVerdictPreview(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.deskError(c, err)
		return
	}
	ctx := c.Request.Context()
	d, err := s.db.GetClaimDetail(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	rv, err := s.db.ReviewOf(ctx, &d.Claim)
	if err != nil {
		s.deskError(c, err)
		return
	}
	cl := rv.Pending.Applied(d.Claim)
	if cl.Status == models.StatusInReview {
		now := s.db.Now()
		cl.Status, cl.PublishedAt = models.StatusPublished, &now
	}
	page := frontend.VerdictPage{Claim: cl, Document: d.Document, Corrections: d.Corrections}
	if !rv.Pending.Empty() {
		page.Corrections = append(page.Corrections, models.Correction{ClaimID: id, Note: rv.Pending.Note, CreatedAt: s.db.Now()})
	}
	for _, e := range d.Evidence {
		page.Evidence = append(page.Evidence, frontend.Evidence{Evidence: e.Evidence, Source: e.Source})
	}
	body, err := s.reader.render.Verdict(page)
	if err != nil {
		s.deskError(c, err)
		return
	}
	c.Header("X-Robots-Tag", "noindex")
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}
