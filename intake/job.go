package intake

import (
	"context"
	"strconv"

	"factdesk/models"
)

// JobKind names the job that imports an article by URL.
const JobKind = "fetch_article"

// ArticleJob is the job's arguments: the address, and the editor who asked
// (0 for none), recorded as the document's creator.
type ArticleJob struct {
	URL    string `json:"url"`
	UserID int64  `json:"user_id,omitempty"`
}

// Kind is the job's kind on the queue.
func (ArticleJob) Kind() string { return JobKind }

// Check refuses, before anything is queued, an address no fetch could
// take: not http or https, or without a host.
func (j ArticleJob) Check() error {
	d := models.Document{Body: "-", URL: j.URL}
	if j.URL == "" {
		return models.FieldErrors{"url": "is required"}.Err()
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return nil
}

// Run does the job: the import of j.URL by its editor. jobID names the job
// on its queue: a job run again after its document was stored (a crash
// before the queue marked it done) finds that document and stores no
// second one. It returns the document's ID; an error is final (the job
// fails with its reason, shown by Failure) unless Transient says trying
// again may help.
func (im *Importer) Run(ctx context.Context, jobID int64, j ArticleJob) (int64, error) {
	var actor *models.User
	if j.UserID != 0 {
		u, err := im.db.GetUser(ctx, j.UserID)
		if err != nil && models.ErrorCode(err) != models.ENOTFOUND {
			return 0, err
		}
		actor = u // a user deleted since the job was queued: nobody
	}
	d, err := im.importKeyed(ctx, j.URL, JobKind+":"+strconv.FormatInt(jobID, 10), actor)
	if err != nil {
		return 0, err
	}
	return d.ID, nil
}
