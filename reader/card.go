package reader

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// cardImage serves /claims/{id}/card.png: the verdict's share card, a PNG
// Factdesk draws with its rating and the claim. It is cached and
// validated like the verdict page, under the claim's stamp (the status,
// the claim's version and the scale's cover all the card shows).
func (s *Server) cardImage(c *gin.Context) {
	id, _, st, ok := s.publicClaimState(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	rd := s.Reader
	key := "card:" + strconv.FormatInt(id, 10)
	etag := rd.ETagOf(key, st.Key())
	err := rd.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		return s.buildCard(ctx, id, etag, st.ClaimStamp)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

// buildCard draws the card after the stamp st was read (a newer card may
// be stored under the older ETag, and is replaced on the next request).
func (s *Server) buildCard(ctx context.Context, id int64, etag string, st store.ClaimStamp) (*web.CachedPage, error) {
	cl, err := s.DB.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	if !cl.Status.Public() {
		return nil, models.Errorf(models.ENOTFOUND, "claim %d is not public", id)
	}
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, err
	}
	body, err := s.Reader.Render.Card(&scale, cl)
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "image/png", Body: body}, nil
}
