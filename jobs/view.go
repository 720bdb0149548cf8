package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	Error  string          `json:"error"`
	Result json.RawMessage `json:"result"`
	// Subject is what the job works on, as its arguments name it: an
	// address, a document, a source ("" for a sweep over many).
	Subject     string     `json:"subject"`
	CreatedAt   time.Time  `json:"created_at"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	AttemptedAt *time.Time `json:"attempted_at"`
	FinishedAt  *time.Time `json:"finished_at"`
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
	j.Subject = subjectOf(r.EncodedArgs)
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

// subjectOf names what a job works on from its arguments: every kind names
// it by one of these fields.
func subjectOf(args []byte) string {
	var a struct {
		URL        string `json:"url"`
		DocumentID int64  `json:"document_id"`
		SourceID   int64  `json:"source_id"`
	}
	_ = json.Unmarshal(args, &a) // arguments of another shape name nothing
	switch {
	case a.URL != "":
		return a.URL
	case a.DocumentID != 0:
		return fmt.Sprintf("document %d", a.DocumentID)
	case a.SourceID != 0:
		return fmt.Sprintf("source %d", a.SourceID)
	}
	return ""
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

// ListFilter selects jobs for the desk's list.
type ListFilter struct {
	State State
	// Kind keeps to one kind of job; "" is every kind but those the queue
	// runs on a schedule (an archive sweep every minute would bury the
	// rest), which are listed by their kind.
	Kind  string
	Limit int // 1..200
}

// List returns the jobs f selects, newest first.
func (q *Queue) List(ctx context.Context, f ListFilter) ([]Job, error) {
	if !f.State.Valid() {
		return nil, models.Errorf(models.EINVALID, "unknown job state %q: queued, running, failed or done", f.State)
	}
	kinds := []string{f.Kind}
	if f.Kind == "" {
		kinds = q.onDemand()
	} else if len(q.kinds) > 0 && !slices.Contains(q.kinds, f.Kind) {
		return nil, models.Errorf(models.EINVALID, "unknown kind of job %q", f.Kind)
	}
	limit := min(max(f.Limit, 1), 200)
	p := river.NewJobListParams().States(f.State.river()...).OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	if len(kinds) > 0 {
		p = p.Kinds(kinds...)
	}
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

// KindNames lists the kinds of job the queue knows, in the order they were
// added.
func (q *Queue) KindNames() []string { return slices.Clone(q.kinds) }

// onDemand is the kinds not run on a schedule.
func (q *Queue) onDemand() []string {
	var out []string
	for _, k := range q.kinds {
		if !slices.Contains(q.scheduled, k) {
			out = append(out, k)
		}
	}
	return out
}
