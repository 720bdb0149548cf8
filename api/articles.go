package api

import (
	"context"
	"strconv"

	"factdesk/intake"
	"factdesk/models"
)

// ArticleQueue puts an import by URL on the job queue and answers the job's
// ID. The queue runs intake.Importer.Run for the job kind intake.JobKind.
type ArticleQueue interface {
	QueueArticle(ctx context.Context, job intake.ArticleJob) (jobID int64, err error)
}

// startArticleImport checks the address and queues its import by actor.
func (s *Server) startArticleImport(ctx context.Context, rawURL string, actor *models.User) (int64, error) {
	job := intake.ArticleJob{URL: rawURL}
	if actor != nil {
		job.UserID = actor.ID
	}
	if err := job.Check(); err != nil {
		return 0, err
	}
	if s.articles == nil {
		return 0, models.Errorf(models.EUNAVAILABLE, "imports by URL need the job queue, which this server does not run")
	}
	return s.articles.QueueArticle(ctx, job)
}

// jobDeskPath is the desk's page of a job.
func (s *Server) jobDeskPath(id int64) string { return "/desk/jobs/" + strconv.FormatInt(id, 10) }
