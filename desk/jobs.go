package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/archive"
	deskview "factdesk/frontend/desk"
	"factdesk/intake"
	"factdesk/jobs"
)

// jobLabels say in words what each kind of job does.
var jobLabels = map[string]string{
	intake.JobKind:            "Import by address",
	intake.DetectKind:         "Propose claims",
	archive.SweepJob{}.Kind(): "Archive cited sources",
}

func jobLabel(kind string) string {
	if l, ok := jobLabels[kind]; ok {
		return l
	}
	return kind
}

// deskJobs lists the background jobs in one state (?state=, running by
// default), newest first, with their progress and the reason of a failure.
func (s *Server) deskJobs(c *gin.Context) {
	f := jobs.ListFilter{State: jobs.State(c.DefaultQuery("state", string(jobs.Running))), Kind: c.Query("kind"), Limit: 100}
	list, err := s.Config.Jobs.List(c.Request.Context(), f)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.JobsPage{Chrome: s.chrome(c, "Background jobs", "jobs"), State: string(f.State), Kind: f.Kind}
	for _, st := range jobs.States() {
		p.States = append(p.States, string(st))
	}
	for _, k := range s.Config.Jobs.KindNames() {
		p.Kinds = append(p.Kinds, deskview.JobKind{Name: k, Label: jobLabel(k)})
	}
	for _, j := range list {
		row := deskview.JobRow{ID: j.ID, Kind: jobLabel(j.Kind), Subject: j.Subject, State: string(j.State), Attempts: j.Attempts,
			MaxAttempts: j.MaxAttempts, Error: j.Error, CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt, DocumentID: j.ResultID("document_id")}
		if j.Progress != nil {
			row.Done, row.Total, row.Note = j.Progress.Done, j.Progress.Total, j.Progress.Note
		}
		p.Jobs = append(p.Jobs, row)
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Jobs(w, p) })
}
