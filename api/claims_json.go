package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// writeClaimList sends a page of claims: as editors see them, or through
// the public view for readers. The body is encoded before anything is
// written, so a claim that does not encode (a NaN score) is the 500 of
// respondError rather than a cut body.
func (s *Server) writeClaimList(c *gin.Context, claims []models.Claim, public bool, next *string) {
	var body any
	if public {
		views := make([]publicClaim, len(claims))
		for i := range claims {
			views[i] = newPublicClaim(&claims[i])
		}
		body = claimList[publicClaim]{Claims: views, NextCursor: next}
	} else {
		body = claimList[models.Claim]{Claims: claims, NextCursor: next}
	}
	b, err := json.Marshal(body)
	if err != nil {
		s.respondError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

type claimList[T any] struct {
	Claims     []T     `json:"claims"`
	NextCursor *string `json:"next_cursor"`
}
