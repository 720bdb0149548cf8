package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/models"
)

const (
	snapshotsTable = "source_snapshots"
	archivesTable  = "source_archives"
)

// snapshotColumns are the columns of a snapshot without its bytes.
var snapshotColumns = []string{"id", "source_id", "url", "final_url", "status", "content_type", "charset", "size", "sha256", "text_sha256", "fetched_at"}

// snapshotRow is a snapshot as stored, bytes included.
type snapshotRow struct {
	models.Snapshot
	Charset string
	Body    []byte
}

// wantArchive marks a source's URL for archiving, inside the write that
// set it; a source without a URL has nothing to archive.
func (db *DB) wantArchive(tx *gorm.DB, sourceID int64, url string) error {
	if url == "" {
		return tx.Table(archivesTable).Where("source_id = ?", sourceID).Delete(nil).Error
	}
	a := models.Archive{SourceID: sourceID, URL: url, State: models.ArchivePending, UpdatedAt: db.Now()}
	err := tx.Table(archivesTable).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "source_id"}},
		DoUpdates: clause.Assignments(map[string]any{"url": url, "state": models.ArchivePending, "reason": "", "error": "", "attempts": 0,
			"snapshot_id": nil, "updated_at": a.UpdatedAt}),
	}).Create(&a).Error
	if err != nil {
		return fmt.Errorf("archive source %d: %w", sourceID, err)
	}
	return nil
}

// GetArchive returns the archiving state of a source; a source without a
// URL has none (not found).
func (db *DB) GetArchive(ctx context.Context, sourceID int64) (*models.Archive, error) {
	var a models.Archive
	if err := db.gorm.WithContext(ctx).Table(archivesTable).Where("source_id = ?", sourceID).Take(&a).Error; err != nil {
		return nil, notFound(err, "source %d has no archive", sourceID)
	}
	return &a, nil
}

// Archives returns the archiving state of each of sourceIDs that has one.
func (db *DB) Archives(ctx context.Context, sourceIDs []int64) (map[int64]models.Archive, error) {
	return archivesOfSources(db.gorm.WithContext(ctx), sourceIDs)
}

func archivesOf(g *gorm.DB, evidence []EvidenceDetail) (map[int64]models.Archive, error) {
	return archivesOfSources(g, idsOf(evidence, func(e EvidenceDetail) int64 { return e.SourceID }))
}

func archivesOfSources(g *gorm.DB, sourceIDs []int64) (map[int64]models.Archive, error) {
	out, err := byKey(g.Table(archivesTable), "source_id", sourceIDs, func(a models.Archive) int64 { return a.SourceID })
	if err != nil {
		return nil, fmt.Errorf("archives: %w", err)
	}
	return out, nil
}

// ArchiveFilter selects archive states to work on.
type ArchiveFilter struct {
	States []models.ArchiveState
	// CheckedBefore keeps states never checked or checked before it.
	CheckedBefore time.Time
	Limit         int
}

// ListArchives returns archive states, least recently checked first.
func (db *DB) ListArchives(ctx context.Context, f ArchiveFilter) ([]models.Archive, error) {
	q := db.gorm.WithContext(ctx).Table(archivesTable)
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	if !f.CheckedBefore.IsZero() {
		q = q.Where("checked_at IS NULL OR checked_at < ?", f.CheckedBefore)
	}
	var out []models.Archive
	if err := q.Order("checked_at IS NOT NULL, checked_at, source_id").Limit(limitOf(f.Limit)).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list archives: %w", err)
	}
	return out, nil
}

// SaveSnapshot keeps a copy of a source's URL as fetched. A copy with the
// same bytes as one already kept for the source is not stored again: the
// one kept is returned with created false, so a repeated job has no second
// effect. The archive state becomes archived when url is still the
// source's.
func (db *DB) SaveSnapshot(ctx context.Context, s *models.Snapshot, charset string, body []byte) (out *models.Snapshot, created bool, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		src, err := getSource(tx, s.SourceID)
		if err != nil {
			return err
		}
		row := snapshotRow{Snapshot: *s, Charset: charset, Body: body}
		row.ID, row.Size = 0, int64(len(body))
		res := tx.Table(snapshotsTable).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("save snapshot: %w", res.Error)
		}
		created = res.RowsAffected == 1
		var kept models.Snapshot
		if err := tx.Table(snapshotsTable).Select(snapshotColumns).
			Where("source_id = ? AND sha256 = ?", s.SourceID, s.SHA256).Take(&kept).Error; err != nil {
			return fmt.Errorf("save snapshot: %w", err)
		}
		out = &kept
		if src.URL == s.URL {
			if err := tx.Table(archivesTable).Where("source_id = ?", s.SourceID).Updates(map[string]any{
				"url": s.URL, "state": models.ArchiveArchived, "reason": "", "error": "", "attempts": 0,
				"live_status": s.Status, "live_sha256": s.SHA256, "checked_at": s.FetchedAt, "snapshot_id": kept.ID, "updated_at": db.Now(),
			}).Error; err != nil {
				return fmt.Errorf("save snapshot: %w", err)
			}
		}
		if !created {
			return nil
		}
		return db.record(tx, change{entity: models.EntitySource, entityID: s.SourceID, action: "snapshot", after: &kept,
			summary: "archived copy taken of " + s.URL})
	})
	return out, created, err
}

// LiveCheck is what a fetch of a source's live page found.
type LiveCheck struct {
	SourceID int64
	URL      string
	// Status, SHA256 and TextSHA256 (models.Snapshot) of a fetch that
	// worked; Reason and Error of one that failed.
	Status     int
	SHA256     string
	TextSHA256 string
	Reason     string
	Error      string
	CheckedAt  time.Time
}

// RecordCheck records a fetch of a source's live page that kept no copy:
// a failure, or a re-check. It never changes a snapshot. Against the newest
// copy of the URL the state becomes archived (same bytes), changed
// (different bytes) or live_fails (the fetch failed); with no copy, a
// failure is failed. A check of a URL the source no longer has is dropped.
func (db *DB) RecordCheck(ctx context.Context, c LiveCheck) (*models.Archive, error) {
	var out *models.Archive
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var a models.Archive
		if err := tx.Table(archivesTable).Where("source_id = ?", c.SourceID).Take(&a).Error; err != nil {
			return notFound(err, "source %d has no archive", c.SourceID)
		}
		if a.URL != c.URL {
			out = &a
			return nil
		}
		var newest models.Snapshot
		err := tx.Table(snapshotsTable).Select(snapshotColumns).Where("source_id = ? AND url = ?", c.SourceID, c.URL).
			Order("fetched_at DESC, id DESC").Take(&newest).Error
		haveCopy := err == nil
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("record check: %w", err)
		}
		switch {
		case c.Reason != "" && !haveCopy:
			a.State, a.Attempts = models.ArchiveFailed, a.Attempts+1
		case c.Reason != "":
			a.State, a.Attempts = models.ArchiveLiveFails, a.Attempts+1
		case !haveCopy:
			return models.Errorf(models.EINVALID, "a check that worked on a source without a copy must save one")
		case c.SHA256 == newest.SHA256, c.TextSHA256 != "" && c.TextSHA256 == newest.TextSHA256:
			a.State, a.Attempts = models.ArchiveArchived, 0
		default:
			a.State, a.Attempts = models.ArchiveChanged, 0
		}
		checked := c.CheckedAt
		a.Reason, a.Error, a.LiveStatus, a.LiveSHA256, a.CheckedAt, a.UpdatedAt = c.Reason, c.Error, c.Status, c.SHA256, &checked, db.Now()
		if err := tx.Table(archivesTable).Where("source_id = ?", c.SourceID).Select("*").Omit("source_id").Updates(&a).Error; err != nil {
			return fmt.Errorf("record check: %w", err)
		}
		out = &a
		return nil
	})
	return out, err
}

// ListSnapshots returns the copies kept of a source, newest first.
func (db *DB) ListSnapshots(ctx context.Context, sourceID int64) ([]models.Snapshot, error) {
	if _, err := getSource(db.gorm.WithContext(ctx), sourceID); err != nil {
		return nil, err
	}
	out := []models.Snapshot{}
	if err := db.gorm.WithContext(ctx).Table(snapshotsTable).Select(snapshotColumns).Where("source_id = ?", sourceID).
		Order("fetched_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return out, nil
}

// LatestSnapshots returns the newest copy of each of sourceIDs that has one.
func (db *DB) LatestSnapshots(ctx context.Context, sourceIDs []int64) (map[int64]models.Snapshot, error) {
	// Oldest first: the last of each source, the one kept, is its newest.
	q := db.gorm.WithContext(ctx).Table(snapshotsTable).Select(snapshotColumns).Order("source_id, fetched_at, id")
	out, err := byKey(q, "source_id", sourceIDs, func(s models.Snapshot) int64 { return s.SourceID })
	if err != nil {
		return nil, fmt.Errorf("latest snapshots: %w", err)
	}
	return out, nil
}

// SnapshotContent is a snapshot with its bytes.
type SnapshotContent struct {
	models.Snapshot
	Charset string
	Body    []byte
	// Public is true when readers may see it: its source is cited by a
	// published claim.
	Public bool
}

// GetSnapshot returns a snapshot, with its bytes when withBody.
func (db *DB) GetSnapshot(ctx context.Context, id int64, withBody bool) (*SnapshotContent, error) {
	var row snapshotRow
	g := db.gorm.WithContext(ctx)
	q := g.Table(snapshotsTable).Where("id = ?", id)
	if !withBody {
		q = q.Select(snapshotColumns)
	}
	if err := q.Take(&row).Error; err != nil {
		return nil, notFound(err, "snapshot %d not found", id)
	}
	var public int64
	if err := g.Table("evidences AS e").Joins("JOIN claims c ON c.id = e.claim_id").
		Where("e.source_id = ? AND c.status = ?", row.SourceID, models.StatusPublished).Count(&public).Error; err != nil {
		return nil, fmt.Errorf("get snapshot: %w", err)
	}
	return &SnapshotContent{Snapshot: row.Snapshot, Charset: row.Charset, Body: row.Body, Public: public > 0}, nil
}

// RequestSnapshot asks for a new copy of a source's URL (after its page
// changed, or a failure), keeping every copy taken before.
func (db *DB) RequestSnapshot(ctx context.Context, sourceID int64, actor *models.User) (*models.Archive, error) {
	var out *models.Archive
	err := db.tx(ctx, func(tx *gorm.DB) error {
		src, err := getSource(tx, sourceID)
		if err != nil {
			return err
		}
		if src.URL == "" {
			return &models.Error{Code: models.EINVALID, Message: "the source has no URL to archive", Fields: map[string]string{"url": "the source has no URL"}}
		}
		if err := tx.Table(archivesTable).Where("source_id = ?", sourceID).Updates(map[string]any{
			"url": src.URL, "state": models.ArchivePending, "attempts": 0, "updated_at": db.Now(),
		}).Error; err != nil {
			return fmt.Errorf("request snapshot: %w", err)
		}
		var a models.Archive
		if err := tx.Table(archivesTable).Where("source_id = ?", sourceID).Take(&a).Error; err != nil {
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("request snapshot: %w", err)
			}
			if err := db.wantArchive(tx, sourceID, src.URL); err != nil {
				return err
			}
			if err := tx.Table(archivesTable).Where("source_id = ?", sourceID).Take(&a).Error; err != nil {
				return fmt.Errorf("request snapshot: %w", err)
			}
		}
		out = &a
		return db.recordFields(tx, change{entity: models.EntitySource, entityID: sourceID, action: "archive", actor: actor,
			summary: "a new archived copy requested"}, nil, nil)
	})
	return out, err
}

// MarkedSource is a cited source whose archiving needs a look: no copy
// could be taken, or its live page changed or fails.
type MarkedSource struct {
	SourceID  int64
	Title     string
	URL       string
	State     models.ArchiveState
	Error     string
	CheckedAt *time.Time
	// ClaimID is a claim that cites it (the oldest), nil for none.
	ClaimID *int64
}

// MarkedSources returns the marked sources, most recently marked first.
func (db *DB) MarkedSources(ctx context.Context, limit int) ([]MarkedSource, error) {
	var out []MarkedSource
	err := db.gorm.WithContext(ctx).Table(archivesTable+" AS a").
		Select("a.source_id, s.title, s.url, a.state, a.error, a.checked_at, (SELECT MIN(e.claim_id) FROM evidences e WHERE e.source_id = a.source_id) AS claim_id").
		Joins("JOIN sources s ON s.id = a.source_id").
		Where("a.state IN ?", []models.ArchiveState{models.ArchiveFailed, models.ArchiveChanged, models.ArchiveLiveFails}).
		Order("a.updated_at DESC, a.source_id DESC").Limit(limitOf(limit)).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("marked sources: %w", err)
	}
	return out, nil
}
