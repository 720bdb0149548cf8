package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
)

// deskStats shows the desk's statistics, for every editor.
func (s *Server) deskStats(c *gin.Context) {
	st, err := s.DB.DeskStats(c.Request.Context())
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.StatsPage{Chrome: s.chrome(c, "Statistics", "stats"), Timed: st.Timed,
		Median: st.MedianToPublish, FastQuarter: st.FastestQuarter, SlowQuarter: st.SlowestQuarter}
	for _, status := range models.Statuses {
		p.ByStatus = append(p.ByStatus, deskview.StatusCount{Status: status, N: st.ByStatus[status]})
		p.Total += st.ByStatus[status]
	}
	for _, e := range st.Editors {
		p.Editors = append(p.Editors, deskview.EditorCount{Name: e.Name, Disabled: e.Disabled, Proposed: e.Proposed,
			Published: e.Published, Reviewed: e.Reviewed, Assigned: e.Assigned})
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Stats(w, p) })
}
