package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"factdesk/models"
)

// State is a job's state as Factdesk names it; River's finer states map
// onto these four.
type State string

const (
	Queued  State = "queued"  // waiting to run, or to be retried after a failed attempt
	Running State = "running" // an attempt is running
	Failed  State = "failed"  // given up: attempts spent, or input no retry mends
	Done    State = "done"    // finished
)

// States lists the states in the order the desk shows them.
func States() []State { return []State{Running, Queued, Failed, Done} }

// Valid reports whether s is one of the states.
func (s State) Valid() bool {
	switch s {
	case Queued, Running, Failed, Done:
		return true
	}
	return false
}

func (s State) river() []rivertype.JobState {
	switch s {
	case Queued:
		return []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending, rivertype.JobStateRetryable}
	case Running:
		return []rivertype.JobState{rivertype.JobStateRunning}
	case Failed:
		return []rivertype.JobState{rivertype.JobStateCancelled, rivertype.JobStateDiscarded}
	default:
		return []rivertype.JobState{rivertype.JobStateCompleted}
	}
}

func stateOf(s rivertype.JobState) State {
	switch s {
	case rivertype.JobStateRunning:
		return Running
	case rivertype.JobStateCompleted:
		return Done
	case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
		return Failed
	}
	return Queued
}

// Job is one job as the desk and the API show it.
type Job struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"`
	State       State           `json:"state"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	Progress    *ProgressReport `json:"progress"`
	// Error is the reason of the last failed attempt: why the job failed,
	// or why a queued job is being retried.
	Error       string          `json:"error"`
	Result      json.RawMessage `json:"result"`
	CreatedAt   time.Time       `json:"created_at"`
	ScheduledAt time.Time       `json:"scheduled_at"`
	AttemptedAt *time.Time      `json:"attempted_at"`
	FinishedAt  *time.Time      `json:"finished_at"`
}

// ResultID reads one ID from the job's result (a document's), 0 if none.
func (j *Job) ResultID(key string) int64 {
	var m map[string]json.RawMessage
	if json.Unmarshal(j.Result, &m) != nil {
		return 0
	}
	var id int64
	if json.Unmarshal(m[key], &id) != nil {
		return 0
	}
	return id
}

func view(r *rivertype.JobRow) *Job {
	j := &Job{
		ID: r.ID, Kind: r.Kind, State: stateOf(r.State), Attempts: r.Attempt, MaxAttempts: r.MaxAttempts,
		CreatedAt: r.CreatedAt.UTC(), ScheduledAt: r.ScheduledAt.UTC(), AttemptedAt: utc(r.AttemptedAt), FinishedAt: utc(r.FinalizedAt),
	}
	var out output
	if json.Unmarshal(outputOf(r.Metadata), &out) == nil {
		j.Progress, j.Result = out.Progress, out.Result
	}
	// PostgreSQL's jsonb hands the output back re-spaced.
	var compact bytes.Buffer
	if len(j.Result) == 0 || json.Compact(&compact, j.Result) != nil {
		j.Result = json.RawMessage("{}")
	} else {
		j.Result = compact.Bytes()
	}
	if n := len(r.Errors); n > 0 && j.State != Done {
		j.Error = strings.TrimPrefix(r.Errors[n-1].Error, "JobCancelError: ")
	}
	return j
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Get returns one job.
func (q *Queue) Get(ctx context.Context, id int64) (*Job, error) {
	r, err := q.client.JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return nil, models.Errorf(models.ENOTFOUND, "job %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get job %d: %w", id, err)
	}
	return view(r), nil
}

// List returns the jobs in state, newest first, at most limit (1..200).
func (q *Queue) List(ctx context.Context, state State, limit int) ([]Job, error) {
	if !state.Valid() {
		return nil, models.Errorf(models.EINVALID, "unknown job state %q: queued, running, failed or done", state)
	}
	limit = min(max(limit, 1), 200)
	p := river.NewJobListParams().States(state.river()...).OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	res, err := q.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, r := range res.Jobs {
		out = append(out, *view(r))
	}
	return out, nil
}
