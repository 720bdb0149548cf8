package web

import (
	"crypto/rand"
	"encoding/hex"
	"factdesk/models"

	"github.com/gin-gonic/gin"
)

// NewWebhookSecret is a random signing secret, shown once.
func NewWebhookSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ArchiveSoon tells the background archiving that a source may wait for
// its copy. What waits is in the database already; this only saves waiting
// for the next round.
func (s *Server) ArchiveSoon() {
	if s.Config.ArchiveWake != nil {
		s.Config.ArchiveWake()
	}
}

// PresetScale is preset name applied to the scale as it stands.
func (s *Server) PresetScale(c *gin.Context, name string) (models.Scale, error) {
	p, ok := models.PresetNamed(name)
	if !ok {
		return models.Scale{}, InvalidField("no such preset", "preset", "must be the name of one of GET /api/v1/scale/presets")
	}
	ctx := c.Request.Context()
	old, err := s.DB.Scale(ctx)
	if err != nil {
		return models.Scale{}, err
	}
	use, err := s.DB.RatingUse(ctx)
	if err != nil {
		return models.Scale{}, err
	}
	return models.FromPreset(old, p, use), nil
}

// Published reports whether the claim's verdict is published: its sources
// then change through a correction (store.CorrectEvidence).
func (s *Server) Published(c *gin.Context, id int64) (bool, error) {
	cl, err := s.DB.GetClaim(c.Request.Context(), id)
	if err != nil {
		return false, err
	}
	return cl.Status == models.StatusPublished, nil
}
