package archive_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"factdesk/archive"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store/storetest"
)

// A sweep enqueued after a source is added takes its copy on the real
// queue, and a second sweep asked for while one waits adds no job.
func TestSweepJobTakesWaitingCopies(t *testing.T) {
	db := storetest.Open(t)
	live := &site{}
	live.set(200, "text/html", "<p>report</p>")
	srv := httptest.NewServer(live)
	defer srv.Close()

	kinds := jobs.NewKinds()
	jobs.Add(kinds, archive.NewSweepWorker(archive.New(db, archive.Config{Fetch: loopback})))
	q, err := jobs.Open(db, kinds, jobs.Config{Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	src := source(t, db, srv.URL+"/report")

	first, err := q.Enqueue(ctx, archive.SweepJob{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := q.Enqueue(ctx, archive.SweepJob{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != second.ID {
		t.Errorf("a second sweep asked for while one waits is job %d, want the waiting %d", second.ID, first.ID)
	}

	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		q.Stop(stop)
	}()
	deadline := time.Now().Add(15 * time.Second)
	for state(t, db, src.ID).State != models.ArchiveArchived {
		if time.Now().After(deadline) {
			t.Fatalf("no copy 15 s after the sweep was enqueued: %+v", state(t, db, src.ID))
		}
		time.Sleep(20 * time.Millisecond)
	}
	for {
		j, err := q.Get(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.State == jobs.Done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sweep is %s, want done", j.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var _ river.JobArgsWithInsertOpts = archive.SweepJob{}
