package intake

import (
	"context"

	"github.com/riverqueue/river"

	"factdesk/jobs"
	"factdesk/store"
)

// DetectKind names the job that proposes the claims of a large document
// after it is stored.
const DetectKind = "detect_claims"

// DetectJob is the job's arguments: the document, by ID.
type DetectJob struct {
	DocumentID int64 `json:"document_id"`
}

// Kind is the job's kind on the queue.
func (DetectJob) Kind() string { return DetectKind }

// DetectWorker runs the jobs of kind DetectKind.
type DetectWorker struct {
	river.WorkerDefaults[DetectJob]
	db *store.DB
}

// NewDetectWorker builds the worker that detects claims in db's documents.
func NewDetectWorker(db *store.DB) *DetectWorker { return &DetectWorker{db: db} }

// Work stores the document's proposals in short transactions, reporting
// progress; run again after a crash it adds only those still missing. The
// result counts what it added and how many more the cap left out
// ({"document_id": N, "candidates": N, "more_candidates": N}).
func (w *DetectWorker) Work(ctx context.Context, job *river.Job[DetectJob]) error {
	id := job.Args.DocumentID
	_ = jobs.Progress(ctx, 0, 1, "detecting claims")
	added, err := w.db.DetectInBatches(ctx, id, func(done, total int) {
		_ = jobs.Progress(ctx, done, total, "storing proposals")
	})
	if err != nil {
		return err
	}
	d, err := w.db.GetDocument(ctx, id)
	if err != nil {
		return err
	}
	return jobs.Result(ctx, map[string]any{"document_id": id, "candidates": added, "more_candidates": d.MoreCandidates})
}
