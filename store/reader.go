package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"factdesk/models"
)

// Reads for the public reader pages. The stamps below are what the page
// cache validates against on every request: the database, not any one
// process, says whether a cached page is still current, so an edit made
// through another replica is seen at once.

// ClaimStamp is everything a verdict page shows, reduced to counters that
// change whenever what it shows changes: the claim (its version moves with
// every edit, transition and correction), its document, its evidence links
// (IDs are never reused, so count and highest ID change on any add or
// delete) and the sources they cite (versions only grow).
type ClaimStamp struct {
	Status          models.Status
	Version         int
	UpdatedAt       time.Time
	DocumentVersion int
	EvidenceCount   int
	EvidenceMaxID   int64
	SourceVersions  int64
	// SnapshotIDs sums the newest copy of each cited source: a new copy
	// (whose link the page shows) changes it.
	SnapshotIDs int64
	// ScaleVersion moves when the rating scale changes: the page shows
	// the rating's label, value and description.
	ScaleVersion int64
	// Checker and Reviewer are the names the bylines show.
	Checker, Reviewer string
	// Appearances, AppearanceMaxID and AppearanceDocVersions change when
	// an appearance is linked or unlinked (IDs are never reused) or a
	// document it stands in is edited: the page lists where the claim was
	// said again.
	Appearances           int
	AppearanceMaxID       int64
	AppearanceDocVersions int64
	// LastModified is the newest change among all of the above.
	LastModified time.Time
}

// Key is the stamp as a short string, for an ETag.
func (s ClaimStamp) Key() string {
	return fmt.Sprintf("%s.%d.%d.%d.%d.%d.%d.%d.%q.%q.a%d.%d.%d", s.Status, s.Version, s.DocumentVersion, s.EvidenceCount, s.EvidenceMaxID, s.SourceVersions, s.SnapshotIDs, s.ScaleVersion, s.Checker, s.Reviewer,
		s.Appearances, s.AppearanceMaxID, s.AppearanceDocVersions)
}

// StampOf computes the stamp of a claim detail read with GetClaimDetail, so
// a page rendered from it carries the stamp ClaimStamp returns for the same
// state.
func StampOf(d *ClaimDetail) ClaimStamp {
	s := ClaimStamp{Status: d.Claim.Status, Version: d.Claim.Version, UpdatedAt: d.Claim.UpdatedAt, LastModified: d.Claim.UpdatedAt, ScaleVersion: d.Scale.Version,
		Checker: d.Bylines.Checker, Reviewer: d.Bylines.Reviewer}
	if d.Document != nil {
		s.DocumentVersion = d.Document.Version
		s.LastModified = later(s.LastModified, d.Document.UpdatedAt)
	}
	for _, e := range d.Evidence {
		s.EvidenceCount++
		s.EvidenceMaxID = max(s.EvidenceMaxID, e.ID)
		s.SourceVersions += int64(e.Source.Version)
		if a, ok := d.Archives[e.SourceID]; ok && a.SnapshotID != nil {
			s.SnapshotIDs += *a.SnapshotID
		}
		s.LastModified = later(later(s.LastModified, e.CreatedAt), e.Source.UpdatedAt)
	}
	for _, a := range d.Appearances {
		s.Appearances++
		s.AppearanceMaxID = max(s.AppearanceMaxID, a.ID)
		doc := d.AppearanceDocuments[a.DocumentID]
		s.AppearanceDocVersions += int64(doc.Version)
		s.LastModified = later(later(s.LastModified, a.CreatedAt), doc.UpdatedAt)
	}
	return s
}

// One pass over the claim's evidence rows (its index), not one per figure.
const claimStampSQL = `SELECT c.status, c.version, c.updated_at, COALESCE(d.version, 0), d.updated_at,
	COUNT(e.id), COALESCE(MAX(e.id), 0), COALESCE(SUM(s.version), 0), COALESCE(SUM(a.snapshot_id), 0), MAX(e.created_at), MAX(s.updated_at),
	(SELECT version FROM rating_scales WHERE id = 1),
	COALESCE((SELECT u.name FROM users u WHERE u.id = c.submitter_id), ''),
	COALESCE((SELECT u.name FROM users u WHERE u.id = c.reviewer_id AND (c.submitter_id IS NULL OR c.reviewer_id <> c.submitter_id)), ''),
	(SELECT COUNT(*) FROM appearances pa WHERE pa.claim_id = c.id),
	(SELECT COALESCE(MAX(pa.id), 0) FROM appearances pa WHERE pa.claim_id = c.id),
	(SELECT COALESCE(SUM(ad.version), 0) FROM appearances pa JOIN documents ad ON ad.id = pa.document_id WHERE pa.claim_id = c.id),
	(SELECT MAX(pa.created_at) FROM appearances pa WHERE pa.claim_id = c.id),
	(SELECT MAX(ad.updated_at) FROM appearances pa JOIN documents ad ON ad.id = pa.document_id WHERE pa.claim_id = c.id)
FROM claims c
LEFT JOIN documents d ON d.id = c.document_id
LEFT JOIN evidences e ON e.claim_id = c.id
LEFT JOIN sources s ON s.id = e.source_id
LEFT JOIN source_archives a ON a.source_id = e.source_id
WHERE c.id = ?
GROUP BY c.id, c.status, c.version, c.updated_at, c.submitter_id, c.reviewer_id, d.version, d.updated_at`

// ClaimStamp reads the stamp of claim id with one small indexed query: it
// runs on every page view.
func (db *DB) ClaimStamp(ctx context.Context, id int64) (ClaimStamp, error) {
	var (
		s                                  ClaimStamp
		docUpdated, evAdded, sourceUpdated flexTime
		updated, appAdded, appDocUpdated   flexTime
	)
	found, err := db.row(ctx, claimStampSQL, []any{id}, &s.Status, &s.Version, &updated, &s.DocumentVersion, &docUpdated,
		&s.EvidenceCount, &s.EvidenceMaxID, &s.SourceVersions, &s.SnapshotIDs, &evAdded, &sourceUpdated, &s.ScaleVersion, &s.Checker, &s.Reviewer,
		&s.Appearances, &s.AppearanceMaxID, &s.AppearanceDocVersions, &appAdded, &appDocUpdated)
	if err != nil {
		return ClaimStamp{}, fmt.Errorf("claim stamp: %w", err)
	}
	if !found {
		return ClaimStamp{}, models.Errorf(models.ENOTFOUND, "claim %d not found", id)
	}
	s.UpdatedAt = updated.t
	s.LastModified = later(later(later(later(later(updated.t, docUpdated.t), evAdded.t), sourceUpdated.t), appAdded.t), appDocUpdated.t)
	return s, nil
}

// DocumentStamp changes whenever the document or any of its claims changes
// (claim versions only grow; a claim leaving the document changes the count),
// and whenever an appearance in it is linked or unlinked or the claim it
// repeats changes (the page marks the quote with that claim's verdict).
type DocumentStamp struct {
	Version       int
	PublicClaims  int // claims readers may see
	ClaimCount    int
	ClaimVersions int64
	ScaleVersion  int64
	// PublicAppearances counts the appearances here of claims readers may
	// see; with PublicClaims, none of either: the document is not public.
	PublicAppearances int
	Appearances       int
	AppearanceMaxID   int64
	// RepeatedVersions sums the versions of the claims repeated here.
	RepeatedVersions int64
	LastModified     time.Time
}

// Public reports whether readers may see the document
// (models.DocumentPublicWith).
func (s DocumentStamp) Public() bool { return s.PublicClaims+s.PublicAppearances > 0 }

// Key is the stamp as a short string, for an ETag.
func (s DocumentStamp) Key() string {
	return fmt.Sprintf("%d.%d.%d.%d.a%d.%d.%d", s.Version, s.ClaimCount, s.ClaimVersions, s.ScaleVersion, s.Appearances, s.AppearanceMaxID, s.RepeatedVersions)
}

const documentStampSQL = `SELECT d.version, d.updated_at,
	(SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id),
	(SELECT COALESCE(SUM(c.version), 0) FROM claims c WHERE c.document_id = d.id),
	(SELECT MAX(c.updated_at) FROM claims c WHERE c.document_id = d.id),
	(SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id AND c.orphaned = ? AND c.status IN ?),
	(SELECT version FROM rating_scales WHERE id = 1),
	(SELECT COUNT(*) FROM appearances pa JOIN claims ac ON ac.id = pa.claim_id WHERE pa.document_id = d.id AND ac.status IN ?),
	(SELECT COUNT(*) FROM appearances pa WHERE pa.document_id = d.id),
	(SELECT COALESCE(MAX(pa.id), 0) FROM appearances pa WHERE pa.document_id = d.id),
	(SELECT COALESCE(SUM(ac.version), 0) FROM appearances pa JOIN claims ac ON ac.id = pa.claim_id WHERE pa.document_id = d.id),
	(SELECT MAX(ac.updated_at) FROM appearances pa JOIN claims ac ON ac.id = pa.claim_id WHERE pa.document_id = d.id)
FROM documents d WHERE d.id = ?`

// DocumentStamp reads the stamp of document id.
func (db *DB) DocumentStamp(ctx context.Context, id int64) (DocumentStamp, error) {
	var (
		s                          DocumentStamp
		updated, claimUp, repeatUp flexTime
	)
	found, err := db.row(ctx, documentStampSQL, []any{false, models.PublicStatuses(), models.PublicStatuses(), id},
		&s.Version, &updated, &s.ClaimCount, &s.ClaimVersions, &claimUp, &s.PublicClaims, &s.ScaleVersion,
		&s.PublicAppearances, &s.Appearances, &s.AppearanceMaxID, &s.RepeatedVersions, &repeatUp)
	if err != nil {
		return DocumentStamp{}, fmt.Errorf("document stamp: %w", err)
	}
	if !found {
		return DocumentStamp{}, models.Errorf(models.ENOTFOUND, "document %d not found", id)
	}
	s.LastModified = later(later(updated.t, claimUp.t), repeatUp.t)
	return s, nil
}

// SiteStamp changes with any write at all: every write records a Revision
// in its own transaction, and revision IDs only grow. The count of the
// newest revisions guards against a transaction that took a lower ID but
// committed after a higher one (possible on PostgreSQL).
type SiteStamp struct {
	LastRevision int64
	Recent       int
	// Users and UsersUpdated follow the accounts, which write no
	// revision: the feeds name checkers and reviewers.
	Users        int
	UsersUpdated time.Time
	LastModified time.Time
}

// Key is the stamp as a short string, for an ETag.
func (s SiteStamp) Key() string {
	return fmt.Sprintf("%d.%d.%d.%d", s.LastRevision, s.Recent, s.Users, s.UsersUpdated.UnixNano())
}

const siteStampSQL = `SELECT r.id, r.created_at,
	(SELECT COUNT(*) FROM revisions x WHERE x.id > r.id - 256),
	(SELECT COUNT(*) FROM users), (SELECT MAX(updated_at) FROM users)
FROM revisions r ORDER BY r.id DESC LIMIT 1`

// SiteStamp reads the stamp of the whole site, for the home page, search
// results, feeds and the sitemap.
func (db *DB) SiteStamp(ctx context.Context) (SiteStamp, error) {
	var (
		s                SiteStamp
		created, userUpd flexTime
	)
	if _, err := db.row(ctx, siteStampSQL, nil, &s.LastRevision, &created, &s.Recent, &s.Users, &userUpd); err != nil {
		return SiteStamp{}, fmt.Errorf("site stamp: %w", err)
	}
	s.UsersUpdated = userUpd.t
	s.LastModified = later(created.t, userUpd.t)
	return s, nil
}

// VerdictFilter selects published verdicts for the home page and feeds.
// After is the cursor: the ID of the last verdict of the previous page.
type VerdictFilter struct {
	Rating     models.Rating
	DocumentID int64
	After      int64
	Limit      int
}

// LatestVerdicts returns published claims, the most recently published
// first, a page at a time; Next is 0 on the last page.
func (db *DB) LatestVerdicts(ctx context.Context, f VerdictFilter) (ClaimPage, error) {
	q := db.gorm.WithContext(ctx).Model(&models.Claim{}).Where("status = ?", models.StatusPublished)
	q = whereGiven(q, "rating", f.Rating)
	q = whereGiven(q, "document_id", f.DocumentID)
	if f.After > 0 {
		q = q.Where("(published_at < (SELECT a.published_at FROM claims a WHERE a.id = ?) OR (published_at = (SELECT a.published_at FROM claims a WHERE a.id = ?) AND id < ?))",
			f.After, f.After, f.After)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 50
	}
	var claims []models.Claim
	if err := q.Order("published_at DESC, id DESC").Limit(limit + 1).Find(&claims).Error; err != nil {
		return ClaimPage{}, fmt.Errorf("latest verdicts: %w", err)
	}
	page := ClaimPage{Claims: claims}
	if len(claims) > limit {
		page.Claims = claims[:limit]
		page.Next = claims[limit-1].ID
	}
	return page, nil
}

// PublicClaims returns every claim readers may see (published or being
// checked), oldest first, for the sitemap.
func (db *DB) PublicClaims(ctx context.Context, limit int) ([]models.Claim, error) {
	var claims []models.Claim
	err := db.gorm.WithContext(ctx).Select("id, document_id, text, status, updated_at, published_at").
		Where("status IN ?", models.PublicStatuses()).Order("id").Limit(limit).Find(&claims).Error
	if err != nil {
		return nil, fmt.Errorf("public claims: %w", err)
	}
	return claims, nil
}

// DocumentsByID returns the documents with the given IDs, without their
// bodies, by ID.
func (db *DB) DocumentsByID(ctx context.Context, ids []int64) (map[int64]models.Document, error) {
	q := db.gorm.WithContext(ctx).Model(&models.Document{}).
		Select("id, title, author, publisher, url, published_on, language, content_hash, version, created_by, created_at, updated_at")
	out, err := byKey(q, "id", ids, func(d models.Document) int64 { return d.ID })
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	return out, nil
}

// row runs query q, which returns at most one row, and scans the row into
// dest; found is false when there is none. The driver keeps the statement
// prepared (see sqliteDSN).
func (db *DB) row(ctx context.Context, q string, args []any, dest ...any) (found bool, err error) {
	rows, err := db.gorm.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	if err := rows.Scan(dest...); err != nil {
		return false, err
	}
	return true, rows.Close()
}

// flexTime scans a time whether the driver gives a time.Time or, for an
// aggregate SQLite cannot type, the text it stored.
type flexTime struct{ t time.Time }

var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
}

func (f *flexTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		f.t = time.Time{}
	case time.Time:
		f.t = v.UTC()
	case string:
		return f.parse(v)
	case []byte:
		return f.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T as a time", v)
	}
	return nil
}

func (f *flexTime) parse(s string) error {
	s = strings.TrimSuffix(s, "Z")
	for _, l := range sqliteTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			f.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// DocumentDetail is what an annotated document page is built from: the
// document, every claim of it, the appearances linked in it with the
// claims they repeat, and the rating scale. The page shows part of it
// (the claims and repeats readers may see); DocumentStampOf covers all of
// it, as the DocumentStamp query does, so a page rendered from a detail
// carries the stamp the query returns for the same state.
type DocumentDetail struct {
	Document models.Document
	// Claims are in text order: start, longest first, then ID.
	Claims []models.Claim
	// Appearances are in text order; Repeated holds the claims they
	// repeat, by ID.
	Appearances []models.Appearance
	Repeated    map[int64]models.Claim
	Scale       models.Scale
}

// GetDocumentDetail reads a document whole, for its reader page.
func (db *DB) GetDocumentDetail(ctx context.Context, id int64) (*DocumentDetail, error) {
	d, err := db.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &DocumentDetail{Document: *d, Repeated: map[int64]models.Claim{}}
	g := db.gorm.WithContext(ctx)
	if err := g.Where("document_id = ?", id).Order("start, \"end\" DESC, id").Find(&out.Claims).Error; err != nil {
		return nil, fmt.Errorf("document claims: %w", err)
	}
	if err := g.Where("document_id = ?", id).Order("start, id").Find(&out.Appearances).Error; err != nil {
		return nil, fmt.Errorf("document appearances: %w", err)
	}
	if len(out.Appearances) > 0 {
		var repeated []models.Claim
		if err := g.Where("id IN ?", idsOf(out.Appearances, func(a models.Appearance) int64 { return a.ClaimID })).Find(&repeated).Error; err != nil {
			return nil, fmt.Errorf("repeated claims: %w", err)
		}
		for _, c := range repeated {
			out.Repeated[c.ID] = c
		}
	}
	if out.Scale, err = db.Scale(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// Public is what readers see of the document: its claims that show it
// (models.Claim.ShowsDocument) and the claims said again in it that they
// may see, each with the anchor of its appearance here, in text order.
func (d *DocumentDetail) Public() (claims, repeats []models.Claim) {
	for _, c := range d.Claims {
		if c.ShowsDocument() {
			claims = append(claims, c)
		}
	}
	for _, a := range d.Appearances {
		if c, ok := d.Repeated[a.ClaimID]; ok && c.ShowsAppearance() {
			c.Anchor, c.Orphaned = a.Anchor, false
			repeats = append(repeats, c)
		}
	}
	return claims, repeats
}

// DocumentStampOf computes the stamp of a document detail, equal to what
// DocumentStamp reads for the same state.
func DocumentStampOf(d *DocumentDetail) DocumentStamp {
	s := DocumentStamp{Version: d.Document.Version, ScaleVersion: d.Scale.Version, LastModified: d.Document.UpdatedAt}
	for _, c := range d.Claims {
		s.ClaimCount++
		s.ClaimVersions += int64(c.Version)
		s.LastModified = later(s.LastModified, c.UpdatedAt)
		if c.ShowsDocument() {
			s.PublicClaims++
		}
	}
	for _, a := range d.Appearances {
		s.Appearances++
		s.AppearanceMaxID = max(s.AppearanceMaxID, a.ID)
		c, ok := d.Repeated[a.ClaimID]
		if !ok {
			continue
		}
		s.RepeatedVersions += int64(c.Version)
		s.LastModified = later(s.LastModified, c.UpdatedAt)
		if c.ShowsAppearance() {
			s.PublicAppearances++
		}
	}
	return s
}
