package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/extract"
	"factdesk/models"
	"factdesk/reviews"
	"factdesk/store"
	"factdesk/web"
)

type appearanceCreate struct {
	DocumentID     int64  `json:"document_id"`
	Start          *int   `json:"start"`
	End            *int   `json:"end"`
	Quote          *quote `json:"quote"`
	FromClaimID    int64  `json:"from_claim_id"`
	Version        *int   `json:"version"`
	CorrectionNote string `json:"correction_note"`
}

func (in *appearanceCreate) BodyVersion() *int { return in.Version }

type quote struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

// postAppearance links words of a document as one more appearance of the
// claim. On a published claim the link waits for a second editor: 202.
func (s *Server) postAppearance(c *gin.Context, id int64, version int, in *appearanceCreate) {
	link := store.AppearanceLink{Version: version, DocumentID: in.DocumentID, FromClaimID: in.FromClaimID, Note: in.CorrectionNote}
	switch {
	case in.Quote != nil && (in.Start != nil || in.End != nil):
		s.RespondError(c, web.InvalidField("give either start and end or a quote, not both", "quote", "give either start and end or a quote"))
		return
	case in.Quote != nil:
		link.Quote = &models.Anchor{Exact: in.Quote.Exact, Prefix: in.Quote.Prefix, Suffix: in.Quote.Suffix}
	case in.Start != nil && in.End != nil:
		link.Start, link.End = *in.Start, *in.End
	default:
		s.RespondError(c, web.InvalidField("say which words: start and end in code points, or a quote", "start", "give start and end, or a quote"))
		return
	}
	res, err := s.DB.LinkAppearance(c.Request.Context(), id, link, web.CurrentUser(c))
	s.respondAppearance(c, id, res, err, func() {
		c.JSON(http.StatusCreated, gin.H{"appearance": res.Appearance, "claim_version": res.Claim.Version})
	})
}

// respondAppearance answers a change of a claim's appearances: done
// answers it, or, on a published claim, where it waits in the correction,
// 202 with the claim.
func (s *Server) respondAppearance(c *gin.Context, id int64, res *store.AppearanceResult, err error, done func()) {
	switch {
	case err != nil:
		s.RespondError(c, err)
	case res.Pending:
		s.respondClaim(c, http.StatusAccepted, id)
	default:
		done()
	}
}

// deleteAppearance unlinks an appearance of the claim, based on the
// claim's version (If-Match or ?version=).
func (s *Server) deleteAppearance(c *gin.Context, id, aid int64) {
	var field *int
	if v := c.Query("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.RespondError(c, web.InvalidField("the version is a whole number", "version", "is not a number"))
			return
		}
		field = &n
	}
	version, err := web.VersionOf(c, field)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	res, err := s.DB.UnlinkAppearance(c.Request.Context(), id, aid, version, c.Query("correction_note"), web.CurrentUser(c))
	s.respondAppearance(c, id, res, err, func() { c.Status(http.StatusNoContent) })
}

// postReviewsImport imports other fact-checkers' reviews from the body.
func (s *Server) postReviewsImport(c *gin.Context) {
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	rs, err := reviews.Parse(data)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	got, err := s.DB.ImportReviews(c.Request.Context(), rs, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"added": got.Added, "updated": got.Updated, "unchanged": got.Unchanged})
}

type externalMatch struct {
	Review     *models.ExternalReview `json:"review"`
	Similarity float64                `json:"similarity"`
	Reasons    extract.Reasons        `json:"reasons"`
}
