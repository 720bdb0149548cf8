package archive

import (
	"context"
	"log/slog"
	"time"
)

// Runner does the archive's work in the background of one process: the
// copies sources wait for, at once when woken and at every tick, and the
// re-checks that are due. What is waiting lives in the database (a source's
// archive state is written with the source), so a crash or a restart loses
// nothing: the next tick finds it.
type Runner struct {
	a     *Archiver
	log   *slog.Logger
	every time.Duration
	wake  chan struct{}
}

// DefaultTick is how often a Runner looks for work when nothing wakes it.
const DefaultTick = time.Minute

// NewRunner builds a Runner over a; every is its tick (0: DefaultTick).
func NewRunner(a *Archiver, log *slog.Logger, every time.Duration) *Runner {
	if every <= 0 {
		every = DefaultTick
	}
	if log == nil {
		log = slog.Default()
	}
	return &Runner{a: a, log: log, every: every, wake: make(chan struct{}, 1)}
}

// Wake asks for the waiting copies to be taken now. It never blocks.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// batch bounds the sources one query hands out, maxBatches the batches of
// one round (a source whose URL changed meanwhile stays pending).
const (
	batch      = 50
	maxBatches = 20
)

// Run works until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		r.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-t.C:
		}
	}
}

func (r *Runner) round(ctx context.Context) {
	for range maxBatches {
		n, err := r.a.SnapshotPending(ctx, batch)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("archive: snapshots", "error", err.Error())
			}
			return
		}
		if n < batch {
			break
		}
	}
	if _, err := r.a.RecheckDue(ctx, batch); err != nil && ctx.Err() == nil {
		r.log.Warn("archive: re-checks", "error", err.Error())
	}
}
