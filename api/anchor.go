package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// anchorPut places a claim at a span of its document's body, in code points.
type anchorPut struct {
	Start           *int `json:"start"`
	End             *int `json:"end"`
	Version         *int `json:"version"`
	DocumentVersion *int `json:"document_version"`
}

func (in *anchorPut) BodyVersion() *int { return in.Version }

// putAnchor places a claim at new words of its document: the way back for a
// claim orphaned by an edit of the body, or a correction of where one stands.
// The quote is taken from the body by the store; the claim's version guards
// against a concurrent edit, and document_version, when sent, against
// offsets measured on a body that has changed since.
func (s *Server) putAnchor(c *gin.Context, id int64, version int, in *anchorPut) {
	missing := models.FieldErrors{}
	if in.Start == nil {
		missing.Add("start", "is required: the first code point of the words")
	}
	if in.End == nil {
		missing.Add("end", "is required: the code point after the last of the words")
	}
	if err := missing.Err(); err != nil {
		s.RespondError(c, err)
		return
	}
	p := store.Placement{Version: version, Start: *in.Start, End: *in.End}
	if in.DocumentVersion != nil {
		if *in.DocumentVersion < 1 {
			s.RespondError(c, web.InvalidField("versions start at 1", "document_version", "must be at least 1"))
			return
		}
		p.DocumentVersion = *in.DocumentVersion
	}
	if _, err := s.DB.PlaceClaim(c.Request.Context(), id, p, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	s.respondClaim(c, http.StatusOK, id)
}
