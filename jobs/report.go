package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"factdesk/models"
)

// output is what a job says of itself, kept in River's job row (its
// recorded output): progress while it runs, the result when it is done.
type output struct {
	Progress *ProgressReport `json:"progress,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
}

// ProgressReport is how far a job is: Done of Total steps, and what it is doing.
type ProgressReport struct {
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Note  string `json:"note,omitempty"`
}

type reportKey struct{}

// report is the running job's output, in its context.
type report struct {
	id     int64
	client *river.Client[*sql.Tx]
	out    output
}

// Progress records how far the running job is, at once (the desk and the
// API show it while the job runs). Outside a job it does nothing.
func Progress(ctx context.Context, done, total int, note string) error {
	r, ok := ctx.Value(reportKey{}).(*report)
	if !ok {
		return nil
	}
	r.out.Progress = &ProgressReport{Done: done, Total: total, Note: note}
	if err := river.RecordOutput(ctx, r.out); err != nil {
		return fmt.Errorf("job progress: %w", err)
	}
	if _, err := r.client.JobUpdate(ctx, r.id, nil); err != nil {
		return fmt.Errorf("job progress: %w", err)
	}
	return nil
}

// Result records what the job made (a document's ID, a snapshot's), shown
// with the job once it is done. v must encode to a JSON object.
func Result(ctx context.Context, v any) error {
	r, ok := ctx.Value(reportKey{}).(*report)
	if !ok {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("job result: %w", err)
	}
	r.out.Result = b
	if err := river.RecordOutput(ctx, r.out); err != nil {
		return fmt.Errorf("job result: %w", err)
	}
	return nil
}

// Fail ends the job as failed with reason, shown to editors, without
// retrying: for input no retry will mend.
func Fail(format string, args ...any) error {
	return river.JobCancel(models.Errorf(models.EINVALID, format, args...))
}

// tracked runs a kind's worker with its report in the context, and turns
// its error into the reason editors read.
type tracked[A river.JobArgs] struct {
	river.Worker[A]
}

func (t *tracked[A]) Work(ctx context.Context, job *river.Job[A]) error {
	r := &report{id: job.ID, client: river.ClientFromContext[*sql.Tx](ctx)}
	_ = json.Unmarshal(outputOf(job.Metadata), &r.out) // progress of an attempt cut short
	ctx = context.WithValue(ctx, reportKey{}, r)
	err := t.Worker.Work(ctx, job)
	if err == nil {
		return nil
	}
	// River keeps err's text as the attempt's error: a models.Error's
	// message is written for people; anything else stays in the log.
	var e *models.Error
	if !errors.As(err, &e) {
		slog.ErrorContext(ctx, "job failed", "job", job.ID, "kind", job.Kind, "attempt", job.Attempt, "error", err)
		return &reason{msg: fmt.Sprintf("internal error (job %d, attempt %d): the server log has the details", job.ID, job.Attempt), err: err}
	}
	why := &reason{msg: e.Message, err: err}
	var cancel *river.JobCancelError
	if e.Code == models.EINVALID || errors.As(err, &cancel) {
		return river.JobCancel(why)
	}
	return why
}

// reason is a job's error as editors read it.
type reason struct {
	msg string
	err error
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.err }

func outputOf(metadata []byte) []byte {
	var m struct {
		Output json.RawMessage `json:"output"`
	}
	if json.Unmarshal(metadata, &m) != nil || len(m.Output) == 0 {
		return []byte("{}")
	}
	return m.Output
}
