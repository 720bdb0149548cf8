package archive

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// SweepJob asks for the copies sources wait for and the re-checks that are
// due. What waits lives in the database (a source's archive state is
// written with the source), so a sweep needs no arguments and any replica
// may run it.
type SweepJob struct{}

// Kind names the job on the queue.
func (SweepJob) Kind() string { return "archive_sweep" }

// InsertOpts keeps one sweep waiting or running at a time: a write that
// asks for one while another runs adds nothing, and its source is taken by
// the running sweep's next batch or by the next periodic one.
func (SweepJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// SweepEvery is how often the queue's leader enqueues a sweep when no
// write asked for one.
const SweepEvery = time.Minute

// SweepWorker runs SweepJob on the queue.
type SweepWorker struct {
	river.WorkerDefaults[SweepJob]
	a *Archiver
}

// NewSweepWorker builds the worker over a.
func NewSweepWorker(a *Archiver) *SweepWorker { return &SweepWorker{a: a} }

// batch bounds the sources one query hands out, maxBatches the batches of
// one sweep (a source whose URL changed meanwhile stays pending).
const (
	batch      = 50
	maxBatches = 20
)

// Work takes the waiting copies, then the due re-checks. A failed fetch is
// recorded on its source (Snapshot, Recheck), so only a store error fails
// the job, and the queue tries it again.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepJob]) error {
	for range maxBatches {
		n, err := w.a.SnapshotPending(ctx, batch)
		if err != nil {
			return err
		}
		if n < batch {
			break
		}
	}
	_, err := w.a.RecheckDue(ctx, batch)
	return err
}
