package main

import (
	"flag"
	"time"

	"github.com/riverqueue/river"

	"factdesk/archive"
	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/jobs"
	"factdesk/store"
)

// jobKinds is every kind of background job the server runs: each package
// that defines one adds it here (jobs.Add, jobs.Every). Every replica runs
// the same set.
func jobKinds(db *store.DB, fetchCfg fetch.Config, archiveCfg archive.Config) *jobs.Kinds {
	k := jobs.NewKinds()
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
