// Package jobs runs Factdesk's slow work as durable background jobs: a
// queue on the store's own database (River, github.com/riverqueue/river),
// so a job survives a crash or a restart, is retried with backoff, and runs
// once however many replicas share a PostgreSQL database.
//
// A job kind is a type of arguments and a worker, added to Kinds before the
// queue opens:
//
//	type ArchiveSource struct{ SourceID int64 `json:"source_id"` }
//	func (ArchiveSource) Kind() string { return "archive_source" }
//
//	type archiveWorker struct {
//		river.WorkerDefaults[ArchiveSource]
//		db *store.DB
//	}
//	func (w *archiveWorker) Work(ctx context.Context, j *river.Job[ArchiveSource]) error {
//		jobs.Progress(ctx, 1, 3, "fetching")
//		…
//		return jobs.Result(ctx, map[string]any{"snapshot_id": id})
//	}
//
//	jobs.Add(kinds, &archiveWorker{db: db})
//	jobs.Every(kinds, "recheck_sources", 24*time.Hour, func() river.JobArgs { return RecheckSources{} })
//
// A worker may run again after a crash even though its effect is done:
// every effect must be idempotent (look for what a previous attempt wrote
// before writing it again). A models.Error with code invalid fails the job
// at once with its message (a retry would not help); any other error is
// retried with backoff up to the queue's MaxAttempts.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"factdesk/store"
)

// Kinds is the set of job kinds a queue runs: every replica registers the
// same ones before it opens the queue.
type Kinds struct {
	workers   *river.Workers
	periodic  []*river.PeriodicJob
	names     []string
	scheduled []string // the kinds of periodic
}

// NewKinds returns an empty set of kinds.
func NewKinds() *Kinds { return &Kinds{workers: river.NewWorkers()} }

// Add registers the worker of a kind of job, A being its arguments.
func Add[A river.JobArgs](k *Kinds, w river.Worker[A]) {
	river.AddWorker(k.workers, &tracked[A]{Worker: w})
	var a A
	k.names = append(k.names, a.Kind())
}

// Every enqueues the job args makes at each interval, on one replica (the
// queue's leader), and once when the leader starts. id names the schedule.
func Every(k *Kinds, id string, interval time.Duration, args func() river.JobArgs) {
	k.scheduled = append(k.scheduled, args().Kind())
	k.periodic = append(k.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args(), nil },
		&river.PeriodicJobOpts{ID: id, RunOnStart: true},
	))
}

// Config tunes the queue.
type Config struct {
	// Workers is how many jobs one process runs at once (default 2).
	Workers int
	// MaxAttempts is how many times a failing job is tried (default 5).
	MaxAttempts int
	// Timeout bounds one attempt (default 5 minutes). A job whose process
	// died mid-attempt is run again twice this long after it started.
	Timeout time.Duration
	// Poll is how often an idle queue looks for new work (default 1 s).
	Poll time.Duration
	// Logger receives the queue's own messages (default: discarded).
	Logger *slog.Logger
	// InsertOnly opens a queue that enqueues and reads jobs but runs none
	// (commands run from a shell).
	InsertOnly bool
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Minute
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Queue is the job queue of one process.
type Queue struct {
	client    *river.Client[*sql.Tx]
	cfg       Config
	kinds     []string
	scheduled []string
}

// Open makes the queue on db, whose schema (River's tables included) is
// migrated; Start runs its workers.
func Open(db *store.DB, kinds *Kinds, cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	if kinds == nil {
		kinds = NewKinds()
	}
	if len(kinds.names) == 0 {
		cfg.InsertOnly = true // River runs no queue without a worker
	}
	rc := &river.Config{
		Workers:              kinds.workers,
		PeriodicJobs:         kinds.periodic,
		MaxAttempts:          cfg.MaxAttempts,
		JobTimeout:           cfg.Timeout,
		RescueStuckJobsAfter: 2 * cfg.Timeout,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        min(cfg.Poll, 100*time.Millisecond),
		Logger:               cfg.Logger,
		// Done and failed jobs stay visible on the desk for a week.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		CancelledJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
	}
	if cfg.InsertOnly {
		// It runs nothing, so it need not know the kinds it enqueues.
		rc.Workers, rc.PeriodicJobs = nil, nil
	} else {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	client, err := river.NewClient(db.JobsDriver(), rc)
	if err != nil {
		return nil, fmt.Errorf("open the job queue: %w", err)
	}
	return &Queue{client: client, cfg: cfg, kinds: kinds.names, scheduled: kinds.scheduled}, nil
}

// Start runs the queue's workers until Stop; an insert-only queue has none.
func (q *Queue) Start(ctx context.Context) error {
	if q.cfg.InsertOnly {
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start the job queue: %w", err)
	}
	return nil
}

// Stop waits for the jobs running to finish, as long as ctx allows; jobs
// cut short run again on the next start.
func (q *Queue) Stop(ctx context.Context) error {
	if q.cfg.InsertOnly {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return q.client.StopAndCancel(context.Background())
	}
	return err
}

// Enqueue adds a job on its own. opts may be nil; InsertOpts.UniqueOpts
// makes a second enqueue of the same args return the first job.
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*Job, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return view(res.Job), nil
}

// Enqueuing is the hook that enqueues args inside a store write's
// transaction (the store methods that start work take it), so the job
// exists if and only if the write committed. Once the write is done, *id
// holds the job's ID.
func (q *Queue) Enqueuing(args river.JobArgs, opts *river.InsertOpts, id *int64) store.AfterWrite {
	return func(ctx context.Context, tx *sql.Tx) error {
		res, err := q.client.InsertTx(ctx, tx, args, opts)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
		}
		if id != nil {
			*id = res.Job.ID
		}
		return nil
	}
}
