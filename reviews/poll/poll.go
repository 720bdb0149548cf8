// Package poll imports other fact-checkers' reviews from URLs on a
// schedule, as a job on the queue: each run fetches every configured URL
// through the safe fetcher, parses what it returns (reviews.Parse: any
// ClaimReview JSON-LD shape or Fact Check Tools API JSON) and imports it,
// deduplicated by review URL (store.ImportReviews).
package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"factdesk/fetch"
	"factdesk/reviews"
	"factdesk/store"
)

// Job asks for one poll of every configured URL. The URLs are the
// server's configuration, the same on every replica, so the job needs no
// arguments and any replica may run it.
type Job struct{}

// Kind names the job on the queue.
func (Job) Kind() string { return "reviews_poll" }

// InsertOpts keeps one poll waiting or running at a time.
func (Job) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// DefaultEvery is how often the URLs are polled unless configured.
const DefaultEvery = 6 * time.Hour

// Config is what a poll needs: the URLs and the fetcher's settings.
type Config struct {
	URLs  []string
	Fetch fetch.Config
	// Logger receives one line per URL polled; nil discards.
	Logger *slog.Logger
}

// ParseURLs reads a comma- or space-separated list of http(s) URLs.
func ParseURLs(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%q is not an http(s) URL", f)
		}
		out = append(out, u.String())
	}
	return out, nil
}

// Worker runs Job on the queue.
type Worker struct {
	river.WorkerDefaults[Job]
	db  *store.DB
	cfg Config
	f   *fetch.Fetcher
}

// NewWorker builds the worker over db.
func NewWorker(db *store.DB, cfg Config) *Worker {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{db: db, cfg: cfg, f: fetch.New(cfg.Fetch)}
}

// Result is what one URL's poll did.
type Result struct {
	URL string
	store.ReviewImport
	Err error
}

// Work polls every URL. A URL that fails (fetch, parse or a bad review)
// does not stop the others; the job fails when any did, so the queue
// tries it again with backoff and the failure shows in its record.
func (w *Worker) Work(ctx context.Context, _ *river.Job[Job]) error {
	var errs []error
	for _, r := range w.Poll(ctx) {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errors.Join(errs...)
}

// Poll fetches and imports every URL once.
func (w *Worker) Poll(ctx context.Context) []Result {
	out := make([]Result, 0, len(w.cfg.URLs))
	for _, u := range w.cfg.URLs {
		r := Result{URL: u}
		r.ReviewImport, r.Err = w.pollOne(ctx, u)
		if r.Err != nil {
			w.cfg.Logger.Warn("reviews poll failed", "url", u, "error", r.Err)
		} else {
			w.cfg.Logger.Info("reviews polled", "url", u, "added", r.Added, "updated", r.Updated, "unchanged", r.Unchanged)
		}
		out = append(out, r)
	}
	return out
}

func (w *Worker) pollOne(ctx context.Context, u string) (store.ReviewImport, error) {
	res, err := w.f.Get(ctx, u, "application/json", "application/ld+json")
	if err != nil {
		return store.ReviewImport{}, fmt.Errorf("poll %s: %w", u, err)
	}
	rs, err := reviews.Parse(res.Body)
	if err != nil {
		return store.ReviewImport{}, fmt.Errorf("poll %s: %w", u, err)
	}
	got, err := w.db.ImportReviews(ctx, rs, nil)
	if err != nil {
		return got, fmt.Errorf("poll %s: %w", u, err)
	}
	return got, nil
}
