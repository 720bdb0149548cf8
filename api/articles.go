package api

import (
	"context"
	"strconv"

	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/models"
)

// startArticleImport checks the address and queues its import by actor as
// a job of kind intake.JobKind (run by intake.Worker, registered in
// jobKinds).
func (s *Server) startArticleImport(ctx context.Context, rawURL string, actor *models.User) (*jobs.Job, error) {
	job := intake.ArticleJob{URL: rawURL}
	if actor != nil {
		job.UserID = actor.ID
	}
	if err := job.Check(); err != nil {
		return nil, err
	}
	return s.cfg.Jobs.Enqueue(ctx, job, nil)
}

// importJobPath is the desk's view of an import job: the import page,
// which shows where the job stands.
func importJobPath(id int64) string { return "/desk/documents/new?job=" + strconv.FormatInt(id, 10) }
