package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
)

// snapshotView is a kept copy with the path it is served at.
type snapshotView struct {
	models.Snapshot
	Path string `json:"path"`
}

// getSnapshots lists the copies kept of a source, newest first, with the
// source's archive state (null for a source without a URL).
func (s *Server) getSnapshots(c *gin.Context) {
	id, err := recordID(c, "id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	ctx := c.Request.Context()
	list, err := s.db.ListSnapshots(ctx, id)
	if err != nil {
		s.respondError(c, err)
		return
	}
	var archive *models.Archive
	if a, err := s.db.GetArchive(ctx, id); err == nil {
		archive = a
	} else if models.ErrorCode(err) != models.ENOTFOUND {
		s.respondError(c, err)
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
func (s *Server) postSnapshot(c *gin.Context) {
	id, err := recordID(c, "id")
	if err != nil {
		s.respondError(c, err)
		return
	}
	a, err := s.db.RequestSnapshot(c.Request.Context(), id, currentUser(c))
	if err != nil {
		s.respondError(c, err)
		return
	}
	s.archiveSoon()
	c.JSON(http.StatusAccepted, gin.H{"archive": a})
}

// archiveSoon tells the background archiving that a source may wait for
// its copy. What waits is in the database already; this only saves waiting
// for the next round.
func (s *Server) archiveSoon() {
	if s.cfg.ArchiveWake != nil {
		s.cfg.ArchiveWake()
	}
}
