package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store"
)

// StartArticleImport checks the address and queues its import by actor as
// a job of kind intake.JobKind (run by intake.Worker, registered in
// jobKinds).
func (s *Server) StartArticleImport(ctx context.Context, rawURL string, actor *models.User) (*jobs.Job, error) {
	job := intake.ArticleJob{URL: rawURL}
	if actor != nil {
		job.UserID = actor.ID
	}
	if err := job.Check(); err != nil {
		return nil, err
	}
	return s.Config.Jobs.Enqueue(ctx, job, nil)
}

// ImportJobPath is the desk's view of an import job: the import page,
// which shows where the job stands.
func ImportJobPath(id int64) string { return "/desk/documents/new?job=" + strconv.FormatInt(id, 10) }

// largeBody is the size from which a pasted text's proposals are stored by
// a job (intake.DetectJob) after the document, in short transactions,
// rather than in the request: 64 KB, a long article's text, takes under
// 10 ms to detect; 2 MB took 200 ms of detection and 140 ms of write lock
// in one transaction.
const largeBody = 64 << 10

// textImport is the outcome of importing a pasted text: the document, and
// the job storing its proposals when detection runs later (nil when the
// request did it, or when the key found an earlier import).
type textImport struct {
	Created bool
	Detect  *jobs.Job
}

// ImportText stores a pasted or uploaded document with the claims given
// with it. key is the request's idempotency key ("" for none; a large body
// is keyed by its content): a repeat finds the first document. A large
// body's proposals come from a detection job queued in the same
// transaction.
func (s *Server) ImportText(ctx context.Context, d *models.Document, claims []models.Claim, key string, actor *models.User) (textImport, error) {
	imp := store.Import{Key: key}
	var jobID int64
	if len(d.Body) > largeBody {
		if imp.Key == "" {
			imp.Key = "content:" + contentKey(d, claims)
		}
		imp.DetectLater = true
		imp.Then = func(d *models.Document) store.AfterWrite {
			return s.Config.Jobs.Enqueuing(intake.DetectJob{DocumentID: d.ID}, nil, &jobID)
		}
	}
	created, err := s.DB.ImportDocument(ctx, d, claims, actor, imp)
	if err != nil || jobID == 0 {
		return textImport{Created: created}, err
	}
	job, err := s.Config.Jobs.Get(ctx, jobID)
	return textImport{Created: created, Detect: job}, err
}

// contentKey names a document by everything given to make it, so that the
// same request sent twice is one import.
func contentKey(d *models.Document, claims []models.Claim) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q %v %q %s\n", d.Title, d.Author, d.Publisher, d.URL, d.PublishedOn, d.Language, models.ContentHash(d.Body))
	for _, c := range claims {
		fmt.Fprintf(h, "%d %d %q %q %q\n", c.Start, c.End, c.Text, c.Claimant, c.Kind)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// IdempotencyKey reads the Idempotency-Key header, scoped to the caller: a
// client that retries a create sends the same key and gets the first
// result. "" when there is none.
func IdempotencyKey(c *gin.Context) (string, error) {
	k := c.GetHeader("Idempotency-Key")
	if k == "" {
		return "", nil
	}
	if len(k) > 200 || strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return "", models.FieldErrors{"Idempotency-Key": "must be 1 to 200 visible ASCII characters"}.Err()
	}
	var user int64
	if u := CurrentUser(c); u != nil {
		user = u.ID
	}
	return "request:" + strconv.FormatInt(user, 10) + ":" + k, nil
}

// StartDetection queues detection again on a document (after triage, to
// propose what the cap left out).
func (s *Server) StartDetection(ctx context.Context, documentID int64) (*jobs.Job, error) {
	if _, err := s.DB.GetDocument(ctx, documentID); err != nil {
		return nil, err
	}
	return s.Config.Jobs.Enqueue(ctx, intake.DetectJob{DocumentID: documentID}, nil)
}
