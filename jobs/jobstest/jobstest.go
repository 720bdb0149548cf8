// Package jobstest starts real job queues for tests: River on the test's
// own database, polling often, stopped when the test ends.
package jobstest

import (
	"context"
	"testing"
	"time"

	"factdesk/jobs"
	"factdesk/store"
)

// Start opens a queue on db that runs kinds and starts it; cfg's zero
// fields take the queue's defaults, but for Poll, which is 50 ms.
func Start(tb testing.TB, db *store.DB, kinds *jobs.Kinds, cfg jobs.Config) *jobs.Queue {
	tb.Helper()
	if cfg.Poll == 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	q, err := jobs.Open(db, kinds, cfg)
	if err != nil {
		tb.Fatalf("open the job queue: %v", err)
	}
	if err := q.Start(context.Background()); err != nil {
		tb.Fatalf("start the job queue: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}
