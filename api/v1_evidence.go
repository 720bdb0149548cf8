package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
)

type evidenceCreate struct {
	SourceID *int64        `json:"source_id"`
	Source   *sourceInput  `json:"source"`
	Stance   models.Stance `json:"stance"`
	Excerpt  string        `json:"excerpt"`
	// PublicNote is shown to readers; ResearchNote never is.
	PublicNote   string `json:"public_note"`
	ResearchNote string `json:"research_note"`
}

type evidencePatch struct {
	Stance       *models.Stance `json:"stance"`
	Excerpt      *string        `json:"excerpt"`
	PublicNote   *string        `json:"public_note"`
	ResearchNote *string        `json:"research_note"`
}

// postEvidence links a source to a claim: an existing one by source_id, or
// a new one given inline, created in the same transaction.
func (s *Server) postEvidence(c *gin.Context) {
	id, err := recordID(c, "id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	var in evidenceCreate
	if err := decodeJSON(c, &in); err != nil {
		s.respondError(c, err)
		return
	}
	if in.SourceID != nil && in.Source != nil {
		s.respondError(c, invalidField("give either source_id or a new source, not both", "source", "give either source_id or source"))
		return
	}
	e := &models.Evidence{ClaimID: id, Stance: in.Stance, Excerpt: in.Excerpt, PublicNote: in.PublicNote, ResearchNote: in.ResearchNote}
	if in.SourceID != nil {
		e.SourceID = *in.SourceID
		if e.SourceID < 1 {
			s.respondError(c, invalidField("no such source", "source_id", "no source has this ID"))
			return
		}
	}
	var src *models.Source
	if in.Source != nil {
		src = in.Source.source()
	}
	out, err := s.db.AddEvidence(c.Request.Context(), e, src, currentUser(c))
	if err != nil {
		s.respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, editorEvidence{Evidence: out.Evidence, Source: out.Source})
}

// patchEvidence edits the stance, excerpt or notes of one evidence link.
func (s *Server) patchEvidence(c *gin.Context) {
	id, err := recordID(c, "id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	eid, err := recordID(c, "evidence_id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	var in evidencePatch
	if err := decodeJSON(c, &in); err != nil {
		s.respondError(c, err)
		return
	}
	out, err := s.db.UpdateEvidence(c.Request.Context(), id, eid, store.EvidenceUpdate{Stance: in.Stance, Excerpt: in.Excerpt,
		PublicNote: in.PublicNote, ResearchNote: in.ResearchNote}, currentUser(c))
	if err != nil {
		s.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, editorEvidence{Evidence: out.Evidence, Source: out.Source})
}

// deleteEvidence removes one evidence link of a claim.
func (s *Server) deleteEvidence(c *gin.Context) {
	id, err := recordID(c, "id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	eid, err := recordID(c, "evidence_id")
	if err == nil {
		err = s.db.DeleteEvidence(c.Request.Context(), id, eid, currentUser(c))
	}
	if err != nil {
		s.respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
