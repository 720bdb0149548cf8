// Package archive keeps a copy of every source a claim cites: it fetches a
// source's URL through the safe fetcher, stores the answer as a snapshot,
// and re-checks the live page later, marking sources whose page failed or
// changed. It never changes a snapshot once taken.
package archive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/store"
)

// Types are the media types kept as snapshots: pages, documents, data and
// images. Anything else is refused with fetch.ReasonContentType.
var Types = []string{
	"text/html", "application/xhtml+xml", "text/plain", "text/csv", "application/json",
	"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml",
}

// Defaults of Config's zero fields.
const (
	DefaultMaxBytes     = 10 << 20
	DefaultRecheckAfter = 24 * time.Hour
)

// Config says how sources are archived.
type Config struct {
	// Fetch is the fetcher's configuration; MaxBytes replaces its size cap
	// for snapshots.
	Fetch    fetch.Config
	MaxBytes int64
	// RecheckAfter is how old a check may be before the live page is
	// fetched again.
	RecheckAfter time.Duration
}

// Archiver archives sources into db.
type Archiver struct {
	db      *store.DB
	fetcher *fetch.Fetcher
	cfg     Config
}

// New builds an Archiver.
func New(db *store.DB, cfg Config) *Archiver {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.RecheckAfter <= 0 {
		cfg.RecheckAfter = DefaultRecheckAfter
	}
	fc := cfg.Fetch
	fc.MaxBytes = cfg.MaxBytes
	return &Archiver{db: db, fetcher: fetch.New(fc), cfg: cfg}
}

// Snapshot takes the copy a source waits for (state pending, or failed
// before). A source already archived, or without a URL, is left alone, so
// running it twice has the effect of once. A failed fetch is recorded on the
// source; the error is returned only when trying again later may help
// (Transient), for the caller to retry.
func (a *Archiver) Snapshot(ctx context.Context, sourceID int64) error {
	st, err := a.db.GetArchive(ctx, sourceID)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if st.State != models.ArchivePending && st.State != models.ArchiveFailed {
		return nil
	}
	return a.capture(ctx, st)
}

// Recheck fetches a source's live page again and records whether it still
// answers with the bytes of the copy kept. A source that has no copy yet
// gets one.
func (a *Archiver) Recheck(ctx context.Context, sourceID int64) error {
	st, err := a.db.GetArchive(ctx, sourceID)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if st.State == models.ArchivePending || st.State == models.ArchiveFailed {
		return a.capture(ctx, st)
	}
	resp, ferr := a.fetcher.Get(ctx, st.URL, Types...)
	check := store.LiveCheck{SourceID: sourceID, URL: st.URL, CheckedAt: time.Now().UTC()}
	if ferr != nil {
		check.Reason, check.Error = failure(ferr)
		if resp != nil {
			check.Status = resp.Status
		}
	} else {
		check.Status, check.SHA256, check.CheckedAt = resp.Status, resp.SHA256, resp.FetchedAt
		check.TextSHA256 = TextSHA256(resp.ContentType, resp.Body)
	}
	if _, err := a.db.RecordCheck(ctx, check); err != nil {
		return err
	}
	return nil
}

func (a *Archiver) capture(ctx context.Context, st *models.Archive) error {
	resp, ferr := a.fetcher.Get(ctx, st.URL, Types...)
	if ferr != nil {
		check := store.LiveCheck{SourceID: st.SourceID, URL: st.URL, CheckedAt: time.Now().UTC()}
		check.Reason, check.Error = failure(ferr)
		if resp != nil {
			check.Status = resp.Status
		}
		if _, err := a.db.RecordCheck(ctx, check); err != nil {
			return err
		}
		if Transient(ferr) {
			return ferr
		}
		return nil
	}
	snap := &models.Snapshot{SourceID: st.SourceID, URL: st.URL, FinalURL: resp.FinalURL, Status: resp.Status,
		ContentType: resp.ContentType, SHA256: resp.SHA256, TextSHA256: TextSHA256(resp.ContentType, resp.Body), FetchedAt: resp.FetchedAt}
	if _, _, err := a.db.SaveSnapshot(ctx, snap, resp.Charset, resp.Body); err != nil {
		return fmt.Errorf("archive source %d: %w", st.SourceID, err)
	}
	return nil
}

// Transient reports whether a failed fetch may work if tried again later:
// a timeout, an unreachable site, or a server error or rate limit.
func Transient(err error) bool {
	var fe *fetch.Error
	if !errors.As(err, &fe) {
		return err != nil
	}
	return fe.Retryable()
}

func failure(err error) (reason, message string) {
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return string(fe.Reason), fe.Message()
	}
	return string(fetch.ReasonNetwork), "the fetch failed"
}

// SnapshotPending takes the copies every pending source waits for, at most
// limit, and returns how many it tried. Transient failures are recorded and
// left for the next re-check.
func (a *Archiver) SnapshotPending(ctx context.Context, limit int) (int, error) {
	pending, err := a.db.ListArchives(ctx, store.ArchiveFilter{States: []models.ArchiveState{models.ArchivePending}, Limit: limit})
	if err != nil {
		return 0, err
	}
	return eachSource(ctx, pending, a.Snapshot)
}

// RecheckDue re-checks every source last checked more than RecheckAfter
// ago (failed ones included: they are tried again), at most limit, and
// returns how many it checked.
func (a *Archiver) RecheckDue(ctx context.Context, limit int) (int, error) {
	due, err := a.db.ListArchives(ctx, store.ArchiveFilter{
		States:        []models.ArchiveState{models.ArchiveArchived, models.ArchiveChanged, models.ArchiveLiveFails, models.ArchiveFailed},
		CheckedBefore: time.Now().UTC().Add(-a.cfg.RecheckAfter), Limit: limit})
	if err != nil {
		return 0, err
	}
	return eachSource(ctx, due, a.Recheck)
}

// eachSource runs do on the source of each archive state, stopping at the
// first failure that is not transient (a transient one is recorded and
// left for the next re-check), and returns how many it ran.
func eachSource(ctx context.Context, states []models.Archive, do func(context.Context, int64) error) (int, error) {
	for _, st := range states {
		if err := do(ctx, st.SourceID); err != nil && !Transient(err) {
			return 0, err
		}
	}
	return len(states), nil
}
