package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/web"
)

// snapshotView is a kept copy with the path it is served at.
type snapshotView struct {
	models.Snapshot
	Path string `json:"path"`
}

// getSnapshots lists the copies kept of a source, newest first, with the
// source's archive state (null for a source without a URL).
func (s *Server) getSnapshots(c *gin.Context, id int64) {
	ctx := c.Request.Context()
	list, err := s.DB.ListSnapshots(ctx, id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	var archive *models.Archive
	if a, err := s.DB.GetArchive(ctx, id); err == nil {
		archive = a
	} else if models.ErrorCode(err) != models.ENOTFOUND {
		s.RespondError(c, err)
		return
	}
	out := make([]snapshotView, len(list))
	for i, sn := range list {
		out[i] = snapshotView{Snapshot: sn, Path: frontend.ArchivePath(sn.ID)}
	}
	c.JSON(http.StatusOK, gin.H{"archive": archive, "snapshots": out})
}

// postSnapshot asks for a new copy of a source's page, taken in the
// background: 202 with the archive state, pending.
func (s *Server) postSnapshot(c *gin.Context, id int64) {
	a, err := s.DB.RequestSnapshot(c.Request.Context(), id, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	s.ArchiveSoon()
	c.JSON(http.StatusAccepted, gin.H{"archive": a})
}
