package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

type evidenceCreate struct {
	SourceID *int64        `json:"source_id"`
	Source   *sourceInput  `json:"source"`
	Stance   models.Stance `json:"stance"`
	Excerpt  string        `json:"excerpt"`
	// PublicNote is shown to readers; ResearchNote never is.
	PublicNote   string `json:"public_note"`
	ResearchNote string `json:"research_note"`
	// CorrectionNote is the public note of the correction a change of a
	// published verdict's sources proposes.
	CorrectionNote string `json:"correction_note"`
}

// evidencePatch is an edit of an evidence link (web.DecodeUpdate) and, on
// a published verdict, the public note of the correction it proposes.
type evidencePatch struct {
	store.EvidenceUpdate
	CorrectionNote string
}

// proposedEvidence answers a change of a published verdict's sources: 202,
// with the claim and its pending correction.
func (s *Server) proposedEvidence(c *gin.Context, id int64, ch models.EvidenceChange, src *models.Source, note string) {
	if _, err := s.DB.CorrectEvidence(c.Request.Context(), id, ch, src, note, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	if src != nil {
		s.ArchiveSoon()
	}
	s.respondClaim(c, http.StatusAccepted, id)
}

// postEvidence links a source to a claim: an existing one by source_id, or
// a new one given inline, created in the same transaction.
func (s *Server) postEvidence(c *gin.Context, id int64, in *evidenceCreate) {
	if in.SourceID != nil && in.Source != nil {
		s.RespondError(c, web.InvalidField("give either source_id or a new source, not both", "source", "give either source_id or source"))
		return
	}
	e := &models.Evidence{ClaimID: id, Stance: in.Stance, Excerpt: in.Excerpt, PublicNote: in.PublicNote, ResearchNote: in.ResearchNote}
	if in.SourceID != nil {
		e.SourceID = *in.SourceID
		if e.SourceID < 1 {
			s.RespondError(c, web.InvalidField("no such source", "source_id", "no source has this ID"))
			return
		}
	}
	var src *models.Source
	if in.Source != nil {
		src = in.Source.source()
	}
	if pub, err := s.Published(c, id); err != nil || pub {
		if err != nil {
			s.RespondError(c, err)
			return
		}
		s.proposedEvidence(c, id, models.EvidenceChange{Op: models.EvidenceAdd, SourceID: e.SourceID, Stance: e.Stance, Excerpt: e.Excerpt,
			PublicNote: e.PublicNote, ResearchNote: e.ResearchNote}, src, in.CorrectionNote)
		return
	}
	out, err := s.DB.AddEvidence(c.Request.Context(), e, src, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if src != nil {
		s.ArchiveSoon()
	}
	c.JSON(http.StatusCreated, web.EditorEvidence{Evidence: out.Evidence, Source: out.Source})
}

// patchEvidence edits the stance, excerpt or notes of one evidence link.
func (s *Server) patchEvidence(c *gin.Context, id, eid int64) {
	var in evidencePatch
	if err := web.DecodeUpdate(c, &in); err != nil {
		s.RespondError(c, err)
		return
	}
	if pub, err := s.Published(c, id); err != nil || pub {
		if err != nil {
			s.RespondError(c, err)
			return
		}
		s.correctEvidence(c, id, eid, in)
		return
	}
	out, err := s.DB.UpdateEvidence(c.Request.Context(), id, eid, in.EvidenceUpdate, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, web.EditorEvidence{Evidence: out.Evidence, Source: out.Source})
}

// correctEvidence proposes an edit of a published verdict's source: the
// research note changes at once (readers never see it), the rest waits for
// a second editor.
func (s *Server) correctEvidence(c *gin.Context, id, eid int64, in evidencePatch) {
	ctx := c.Request.Context()
	d, err := s.DB.GetClaimDetail(ctx, id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	var cur *models.Evidence
	for i := range d.Evidence {
		if d.Evidence[i].ID == eid {
			cur = &d.Evidence[i].Evidence
		}
	}
	if cur == nil {
		s.RespondError(c, models.Errorf(models.ENOTFOUND, "evidence %d of claim %d not found", eid, id))
		return
	}
	if in.ResearchNote != nil {
		if _, err := s.DB.UpdateEvidence(ctx, id, eid, store.EvidenceUpdate{ResearchNote: in.ResearchNote}, web.CurrentUser(c)); err != nil {
			s.RespondError(c, err)
			return
		}
	}
	ch := models.EvidenceChange{Op: models.EvidenceEdit, EvidenceID: eid, Stance: cur.Stance, Excerpt: cur.Excerpt, PublicNote: cur.PublicNote}
	if in.Stance != nil {
		ch.Stance = *in.Stance
	}
	if in.Excerpt != nil {
		ch.Excerpt = *in.Excerpt
	}
	if in.PublicNote != nil {
		ch.PublicNote = *in.PublicNote
	}
	if ch.Stance == cur.Stance && ch.Excerpt == cur.Excerpt && ch.PublicNote == cur.PublicNote {
		s.respondClaim(c, http.StatusAccepted, id)
		return
	}
	s.proposedEvidence(c, id, ch, nil, in.CorrectionNote)
}

// deleteEvidence removes one evidence link of a claim; of a published
// verdict it proposes the removal (?correction_note= says why, publicly).
func (s *Server) deleteEvidence(c *gin.Context, id, eid int64) {
	if pub, err := s.Published(c, id); err != nil || pub {
		if err != nil {
			s.RespondError(c, err)
			return
		}
		s.proposedEvidence(c, id, models.EvidenceChange{Op: models.EvidenceRemove, EvidenceID: eid}, nil, c.Query("correction_note"))
		return
	}
	if err := s.DB.DeleteEvidence(c.Request.Context(), id, eid, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
