package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"factdesk/jobs"
	"factdesk/jobs/jobstest"
	"factdesk/models"
	"factdesk/store/storetest"
)

// echo is a kind of job for the queue's own tests: it reports progress,
// records a result, and fails as its args say.
type echo struct {
	N    int    `json:"n"`
	Fail string `json:"fail"` // "invalid": fails at once; "internal": every attempt fails
}

func (echo) Kind() string { return "test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echo]
	runs atomic.Int64
}

func (w *echoWorker) Work(ctx context.Context, j *river.Job[echo]) error {
	w.runs.Add(1)
	if err := jobs.Progress(ctx, 1, 2, "halfway"); err != nil {
		return err
	}
	switch j.Args.Fail {
	case "invalid":
		return models.Errorf(models.EINVALID, "the page has no article text")
	case "internal":
		return errors.New("connection reset by peer at 10.1.2.3")
	}
	return jobs.Result(ctx, map[string]int{"n": j.Args.N * 2})
}

func startQueue(t *testing.T, w *echoWorker, cfg jobs.Config) *jobs.Queue {
	t.Helper()
	k := jobs.NewKinds()
	jobs.Add(k, w)
	return jobstest.Start(t, storetest.Open(t), k, cfg)
}

// waitFor polls a job until it reaches state.
func waitFor(t *testing.T, q *jobs.Queue, id int64, state jobs.State) *jobs.Job {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := q.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State == state {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s (error %q), want %s", id, j.State, j.Error, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestQueue(t *testing.T) {
	tests := []struct {
		name     string
		args     echo
		state    jobs.State
		attempts int
		result   string
		errorHas string
		errorNot string
	}{
		{name: "OK", args: echo{N: 21}, state: jobs.Done, attempts: 1, result: `{"n":42}`},
		{name: "ErrInvalidFailsAtOnce", args: echo{Fail: "invalid"}, state: jobs.Failed, attempts: 1, result: `{}`, errorHas: "the page has no article text", errorNot: "factdesk:"},
		{name: "ErrInternalRetriedThenFailed", args: echo{Fail: "internal"}, state: jobs.Failed, attempts: 2, result: `{}`, errorHas: "the server log has the details", errorNot: "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &echoWorker{}
			q := startQueue(t, w, jobs.Config{MaxAttempts: 2})
			j, err := q.Enqueue(context.Background(), tt.args, &river.InsertOpts{})
			if err != nil {
				t.Fatal(err)
			}
			if j.State != jobs.Queued {
				t.Errorf("new job is %s, want queued", j.State)
			}
			if tt.attempts > 1 {
				// River's backoff waits about a second before the second attempt.
				time.Sleep(time.Second)
			}
			got := waitFor(t, q, j.ID, tt.state)
			if got.Attempts != tt.attempts || string(got.Result) != tt.result || got.Kind != "test_echo" {
				t.Errorf("job = attempts %d result %s kind %s, want %d %s test_echo", got.Attempts, got.Result, got.Kind, tt.attempts, tt.result)
			}
			if got.Progress == nil || got.Progress.Done != 1 || got.Progress.Total != 2 || got.Progress.Note != "halfway" {
				t.Errorf("progress = %+v, want 1 of 2, halfway", got.Progress)
			}
			if !strings.Contains(got.Error, tt.errorHas) || (tt.errorNot != "" && strings.Contains(got.Error, tt.errorNot)) || (tt.errorHas == "" && got.Error != "") {
				t.Errorf("error = %q, want it to hold %q and not %q", got.Error, tt.errorHas, tt.errorNot)
			}
			if int(w.runs.Load()) != tt.attempts {
				t.Errorf("worker ran %d times, want %d", w.runs.Load(), tt.attempts)
			}
			list, err := q.List(context.Background(), jobs.ListFilter{State: tt.state, Limit: 10})
			if err != nil || len(list) != 1 || list[0].ID != j.ID {
				t.Errorf("List(%s) = %v, %v; want job %d", tt.state, list, err, j.ID)
			}
		})
	}
}

func TestQueueBadInput(t *testing.T) {
	q := startQueue(t, &echoWorker{}, jobs.Config{})
	if _, err := q.Get(context.Background(), 999999); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("Get(unknown) = %v, want not_found", err)
	}
	if _, err := q.List(context.Background(), jobs.ListFilter{State: "finished", Limit: 10}); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("List(finished) = %v, want invalid", err)
	}
}

// countWorker records which replica ran each job.
type countWorker struct {
	river.WorkerDefaults[echo]
	replica string
	mu      *sync.Mutex
	ran     map[int64][]string
}

func (w *countWorker) Work(ctx context.Context, j *river.Job[echo]) error {
	time.Sleep(5 * time.Millisecond) // long enough for the other replica to want it
	w.mu.Lock()
	w.ran[j.ID] = append(w.ran[j.ID], w.replica)
	w.mu.Unlock()
	return nil
}

// Two replicas on one database (two processes' worth of pools and
// queues) run each job once between them.
func TestQueueReplicasRunEachJobOnce(t *testing.T) {
	dsn := storetest.DSN(t)
	var mu sync.Mutex
	ran := map[int64][]string{}
	var queues []*jobs.Queue
	for _, name := range []string{"a", "b"} {
		db := storetest.OpenDSN(t, dsn)
		k := jobs.NewKinds()
		jobs.Add(k, &countWorker{replica: name, mu: &mu, ran: ran})
		queues = append(queues, jobstest.Start(t, db, k, jobs.Config{Poll: 20 * time.Millisecond, Workers: 4}))
	}
	var ids []int64
	for i := range 60 {
		j, err := queues[i%2].Enqueue(context.Background(), echo{N: i}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	for _, id := range ids {
		waitFor(t, queues[0], id, jobs.Done)
	}
	mu.Lock()
	defer mu.Unlock()
	by := map[string]int{}
	for _, id := range ids {
		if len(ran[id]) != 1 {
			t.Errorf("job %d ran %d times (%v), want once", id, len(ran[id]), ran[id])
		}
		for _, r := range ran[id] {
			by[r]++
		}
	}
	t.Logf("jobs run by each replica: %v", by)
}

// sweep is a kind the queue runs on a schedule.
type sweep struct{}

func (sweep) Kind() string { return "test_sweep" }

type sweepWorker struct{ river.WorkerDefaults[sweep] }

func (sweepWorker) Work(context.Context, *river.Job[sweep]) error { return nil }

// The list leaves the scheduled kinds out unless one is asked for by name;
// a kind the queue does not know is refused.
func TestListLeavesScheduledKindsOut(t *testing.T) {
	k := jobs.NewKinds()
	jobs.Add(k, &echoWorker{})
	jobs.Add(k, sweepWorker{})
	jobs.Every(k, "test_sweep", time.Hour, func() river.JobArgs { return sweep{} })
	q := jobstest.Start(t, storetest.Open(t), k, jobs.Config{})
	ctx := context.Background()
	j, err := q.Enqueue(ctx, echo{N: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, q, j.ID, jobs.Done)
	var swept []jobs.Job
	for deadline := time.Now().Add(20 * time.Second); len(swept) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if swept, err = q.List(ctx, jobs.ListFilter{State: jobs.Done, Kind: "test_sweep", Limit: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if len(swept) == 0 {
		t.Fatal("the scheduled sweep did not run on start")
	}
	all, err := q.List(ctx, jobs.ListFilter{State: jobs.Done, Limit: 10})
	if err != nil || len(all) != 1 || all[0].ID != j.ID {
		t.Errorf("done jobs of every kind but the scheduled = %+v, %v; want job %d alone", all, err, j.ID)
	}
	if _, err := q.List(ctx, jobs.ListFilter{State: jobs.Done, Kind: "no_such_kind"}); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("an unknown kind = %v, want invalid", err)
	}
}
