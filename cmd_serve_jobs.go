package main

import (
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"factdesk/archive"
	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/reviews/poll"
	"factdesk/store"
)

// jobKinds is every kind of background job the server runs: each package
// that defines one adds it here (jobs.Add, jobs.Every). Every replica runs
// the same set.
func jobKinds(db *store.DB, fetchCfg fetch.Config, archiveCfg archive.Config, polls pollSchedule) *jobs.Kinds {
	k := jobs.NewKinds()
	// Other fact-checkers' reviews, from the URLs configured.
	jobs.Add(k, poll.NewWorker(db, poll.Config{URLs: polls.urls, Fetch: fetchCfg, Logger: polls.logger}))
	if len(polls.urls) > 0 {
		jobs.Every(k, "reviews_poll", polls.every, func() river.JobArgs { return poll.Job{} })
	}
	jobs.Add(k, intake.NewWorker(db, fetchCfg)) // import by URL
	jobs.Add(k, intake.NewDetectWorker(db))     // proposals of a large document
	// Copies of cited sources and re-checks of live pages.
	jobs.Add(k, archive.NewSweepWorker(archive.New(db, archiveCfg)))
	jobs.Every(k, "archive_sweep", archive.SweepEvery, func() river.JobArgs { return archive.SweepJob{} })
	return k
}

// jobFlags are serve's flags of the job queue.
type jobFlags struct {
	workers, attempts *int
	timeout           *time.Duration
}

func addJobFlags(fs *flag.FlagSet) jobFlags {
	return jobFlags{
		workers:  fs.Int("job-workers", envInt("FACTDESK_JOB_WORKERS", 2), "background jobs this process runs at once (env FACTDESK_JOB_WORKERS)"),
		attempts: fs.Int("job-attempts", envInt("FACTDESK_JOB_ATTEMPTS", 5), "attempts of a failing job before it is given up, with backoff between them (env FACTDESK_JOB_ATTEMPTS)"),
		timeout: fs.Duration("job-timeout", envDuration("FACTDESK_JOB_TIMEOUT", 5*time.Minute),
			"longest attempt of a job; a job whose process died runs again twice this long after it started (env FACTDESK_JOB_TIMEOUT)"),
	}
}

func (f jobFlags) valid() bool {
	return *f.workers >= 1 && *f.attempts >= 1 && *f.timeout >= time.Second
}

// pollFlags are serve's flags of the reviews poll.
type pollFlags struct {
	urls  *string
	every *time.Duration
}

// pollSchedule is the reviews poll as configured.
type pollSchedule struct {
	urls   []string
	every  time.Duration
	logger *slog.Logger
}

func addPollFlags(fs *flag.FlagSet) pollFlags {
	return pollFlags{
		urls: fs.String("reviews-poll-urls", env("FACTDESK_REVIEWS_POLL_URLS", ""),
			"comma-separated URLs of other fact-checkers' reviews (ClaimReview JSON-LD or Fact Check Tools API JSON) to import on a schedule; empty: none (env FACTDESK_REVIEWS_POLL_URLS)"),
		every: fs.Duration("reviews-poll-every", envDuration("FACTDESK_REVIEWS_POLL_EVERY", poll.DefaultEvery),
			"how often the reviews URLs are polled, at least 1m (env FACTDESK_REVIEWS_POLL_EVERY)"),
	}
}

func (f pollFlags) schedule() (pollSchedule, error) {
	urls, err := poll.ParseURLs(*f.urls)
	if err != nil {
		return pollSchedule{}, fmt.Errorf("--reviews-poll-urls: %w", err)
	}
	if *f.every < time.Minute {
		return pollSchedule{}, fmt.Errorf("--reviews-poll-every must be at least 1m, not %s", *f.every)
	}
	return pollSchedule{urls: urls, every: *f.every}, nil
}
