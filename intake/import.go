package intake

import (
	"context"
	"errors"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/store"
)

// DefaultMaxBytes is the largest page imported (5 MB): far above any
// article's HTML, far below what would strain a job.
const DefaultMaxBytes = 5 << 20

// Importer imports articles by URL into a database.
type Importer struct {
	db      *store.DB
	fetcher *fetch.Fetcher
}

// NewImporter builds an Importer that fetches with cfg; a zero MaxBytes is
// DefaultMaxBytes.
func NewImporter(db *store.DB, cfg fetch.Config) *Importer {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	return &Importer{db: db, fetcher: fetch.New(cfg)}
}

// Import fetches rawURL through the safe fetcher, extracts its article and
// stores it as a document, with the page as its archived original, in one
// transaction. A failure (the fetcher's reasons: refused address, timeout,
// too large, an HTTP error status, a type that is not a page; intake's: not
// HTML, unreadable, no article text) stores nothing and is an EINVALID
// error whose message says why; Transient reports whether trying again may
// help.
func (im *Importer) Import(ctx context.Context, rawURL string, actor *models.User) (*models.Document, error) {
	return im.importKeyed(ctx, rawURL, "", actor)
}

// importKeyed is Import under an idempotency key (store.Import.Key). The
// page's proposals are stored in short transactions after the document
// (store.DetectInBatches); a rerun under the same key stores only those
// still missing.
func (im *Importer) importKeyed(ctx context.Context, rawURL, key string, actor *models.User) (*models.Document, error) {
	d, err := im.db.ImportedBy(ctx, key)
	if err != nil {
		return nil, err
	}
	if d == nil { // not done before: fetch it
		resp, err := im.fetcher.Get(ctx, rawURL, HTMLTypes...)
		if err != nil {
			return nil, err
		}
		art, err := Extract(resp.Body, resp.ContentType, resp.Charset, resp.FinalURL)
		if err != nil {
			return nil, err
		}
		d = art.Document()
		orig := &models.Original{URL: rawURL, FinalURL: resp.FinalURL, Status: resp.Status, ContentType: resp.ContentType,
			Charset: resp.Charset, SHA256: resp.SHA256, FetchedAt: resp.FetchedAt}
		imp := store.Import{Key: key, Summary: "document imported from " + rawURL, Original: orig, Page: resp.Body, DetectLater: true}
		if _, err := im.db.ImportDocument(ctx, d, nil, actor, imp); err != nil {
			return nil, err
		}
	}
	if _, err := im.db.DetectInBatches(ctx, d.ID, nil); err != nil {
		return nil, err
	}
	return d, nil
}

// Failure is the reason and message of a failed import, for the job's
// record and the desk.
func Failure(err error) (reason, message string) {
	var fe *fetch.Error
	var ie *Error
	switch {
	case errors.As(err, &fe):
		return string(fe.Reason), fe.Message()
	case errors.As(err, &ie):
		return string(ie.Reason), ie.Message()
	case models.ErrorCode(err) == models.EINVALID:
		return "invalid", models.ErrorMessage(err)
	}
	return "internal", "the import failed"
}

// Transient reports whether a failed import may work if tried again: a
// timeout, an unreachable site, a server error or rate limit, or a failure
// of the database. A page that is not an article stays one.
func Transient(err error) bool {
	var fe *fetch.Error
	var ie *Error
	switch {
	case errors.As(err, &fe):
		return fe.Retryable()
	case errors.As(err, &ie):
		return false
	}
	return err != nil && models.ErrorCode(err) == models.EINTERNAL
}
