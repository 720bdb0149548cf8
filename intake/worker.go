package intake

import (
	"context"

	"github.com/riverqueue/river"

	"factdesk/fetch"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store"
)

// Worker runs the jobs of kind JobKind on the queue.
type Worker struct {
	river.WorkerDefaults[ArticleJob]
	im *Importer
}

// NewWorker builds the worker that imports into db, fetching with cfg.
func NewWorker(db *store.DB, cfg fetch.Config) *Worker {
	return &Worker{im: NewImporter(db, cfg)}
}

// Work imports the job's article; the job's result names the document
// ({"document_id": N}). A page that gives no document fails the job at
// once with the reason ("no_article_text: the page has no article text");
// a timeout, an unreachable site or a server error is tried again.
func (w *Worker) Work(ctx context.Context, job *river.Job[ArticleJob]) error {
	_ = jobs.Progress(ctx, 0, 1, "fetching "+job.Args.URL)
	id, err := w.im.Run(ctx, job.ID, job.Args)
	if err != nil {
		reason, msg := Failure(err)
		if Transient(err) {
			return models.Errorf(models.EUNAVAILABLE, "%s: %s", reason, msg)
		}
		if reason == "internal" {
			return err // the log has it; the queue retries
		}
		return jobs.Fail("%s: %s", reason, msg)
	}
	if err := jobs.Result(ctx, map[string]int64{"document_id": id}); err != nil {
		return err
	}
	return jobs.Progress(ctx, 1, 1, "imported")
}
