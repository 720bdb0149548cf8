package archive_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"factdesk/archive"
	"factdesk/models"
	"factdesk/store/storetest"
)

// A Runner woken after a source is added takes its copy without waiting for
// its tick, and stops when its context ends.
func TestRunnerTakesWaitingCopies(t *testing.T) {
	db := storetest.Open(t)
	live := &site{}
	live.set(200, "text/html", "<p>report</p>")
	srv := httptest.NewServer(live)
	defer srv.Close()
	r := archive.NewRunner(archive.New(db, archive.Config{Fetch: loopback}), nil, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()

	src := source(t, db, srv.URL+"/report")
	r.Wake()
	deadline := time.Now().Add(10 * time.Second)
	for state(t, db, src.ID).State != models.ArchiveArchived {
		if time.Now().After(deadline) {
			t.Fatalf("no copy 10 s after the wake: %+v", state(t, db, src.ID))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the runner did not stop")
	}
}
