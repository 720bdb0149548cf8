package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	gojson "github.com/goccy/go-json"

	"factdesk/models"
	"factdesk/web"
)

// The claim list is encoded with goccy/go-json, kept by the 10% rule of
// issue 13: measured 2026-12-02 on a busy 2-core box (bench/RESULTS.md,
// "A simpler house"), BenchmarkAPIListClaims/Editor took a median 1.26 and
// 1.39 ms of CPU a request with it against 1.41 and 1.54 ms with
// encoding/json in two runs, 11–12% of the path (Anonymous, whose public
// view is smaller: 1–7%); the encoding alone, 50 claims, 268 against 345 µs.
// Its bytes are those encoding/json writes for the same values
// (claims_json_test.go compares them), so the contract does not move.

// writeClaimList sends a page of claims: as editors see them, or through
// the public view for readers. The body is encoded before anything is
// written, so a claim that does not encode (a NaN score) is the 500 of
// respondError rather than a cut body.
func (s *Server) writeClaimList(c *gin.Context, claims []models.Claim, public bool, next *string) {
	var body any
	if public {
		views := make([]web.PublicClaim, len(claims))
		for i := range claims {
			views[i] = web.NewPublicClaim(&claims[i])
		}
		body = claimList[web.PublicClaim]{Claims: views, NextCursor: next}
	} else {
		body = claimList[models.Claim]{Claims: claims, NextCursor: next}
	}
	b, err := gojson.Marshal(body)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

type claimList[T any] struct {
	Claims     []T     `json:"claims"`
	NextCursor *string `json:"next_cursor"`
}
