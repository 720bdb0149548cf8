package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/models"
)

// EntityExternalReview is the entity of an imported review's revisions.
const EntityExternalReview = "external_review"

// ReviewImport counts what an import did.
type ReviewImport struct {
	Added, Updated, Unchanged int
}

// ImportReviews stores other fact-checkers' reviews, one transaction for
// the batch. The review URL is the key: a review imported again updates the
// stored one, never duplicates it. Every review is validated first; one bad
// review rejects the batch, with nothing written.
func (db *DB) ImportReviews(ctx context.Context, reviews []models.ExternalReview, actor *models.User) (ReviewImport, error) {
	var out ReviewImport
	for i := range reviews {
		reviews[i].Normalize()
		if err := reviews[i].Validate(); err != nil {
			return out, fmt.Errorf("review %d: %w", i+1, err)
		}
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		out = ReviewImport{}
		now := db.Now()
		for _, r := range reviews {
			var old models.ExternalReview
			err := tx.Where("url = ?", r.URL).Limit(1).Find(&old).Error
			if err != nil {
				return fmt.Errorf("import review: %w", err)
			}
			r.ImportedAt, r.UpdatedAt = now, now
			if old.ID == 0 {
				r.ID = 0
				if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "url"}}, DoNothing: true}).Create(&r).Error; err != nil {
					return fmt.Errorf("import review: %w", err)
				}
				out.Added++
				if err := db.record(tx, change{entity: EntityExternalReview, entityID: r.ID, action: "create", actor: actor, after: &r, summary: "review imported: " + r.Publisher}); err != nil {
					return err
				}
				continue
			}
			r.ID, r.ImportedAt = old.ID, old.ImportedAt
			r.UpdatedAt = old.UpdatedAt
			if sameReview(&old, &r) {
				out.Unchanged++
				continue
			}
			r.UpdatedAt = now
			if err := tx.Model(&models.ExternalReview{}).Where("id = ?", old.ID).Select("*").Omit("id", "imported_at").Updates(&r).Error; err != nil {
				return fmt.Errorf("import review: %w", err)
			}
			if err := db.record(tx, change{entity: EntityExternalReview, entityID: old.ID, action: "update", actor: actor, before: &old, after: &r, summary: "review imported again: " + r.Publisher}); err != nil {
				return err
			}
			out.Updated++
		}
		return db.mergeReviewSegments(tx)
	})
	return out, err
}

// mergeReviewSegments does a little of the reviews' full-text merging
// with every import. FTS4's automerge (migration 17) keeps up with large
// imports but not with small ones: 100 imports of 10 reviews left 25
// segments, each read by every query, where this leaves 4.
func (db *DB) mergeReviewSegments(tx *gorm.DB) error {
	if db.dialect == Postgres {
		return nil
	}
	if err := tx.Exec(`INSERT INTO external_reviews_fts (external_reviews_fts) VALUES ('merge=16,4')`).Error; err != nil {
		return fmt.Errorf("import review: %w", err)
	}
	return nil
}

func sameReview(a, b *models.ExternalReview) bool {
	x, y := *a, *b
	x.UpdatedAt, x.ImportedAt = y.UpdatedAt, y.ImportedAt
	eqTime := func(p, q *time.Time) bool { return (p == nil) == (q == nil) && (p == nil || p.Equal(*q)) }
	if !eqTime(x.ClaimDate, y.ClaimDate) || !eqTime(x.ReviewDate, y.ReviewDate) {
		return false
	}
	x.ClaimDate, y.ClaimDate, x.ReviewDate, y.ReviewDate = nil, nil, nil, nil
	return x == y
}

// ListReviews returns imported reviews, the newest imported first, for
// editors only.
func (db *DB) ListReviews(ctx context.Context, limit int) ([]models.ExternalReview, error) {
	var out []models.ExternalReview
	if err := db.gorm.WithContext(ctx).Order("id DESC").Limit(limitOf(limit)).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	return out, nil
}

// CountReviews returns how many reviews are stored.
func (db *DB) CountReviews(ctx context.Context) (int64, error) {
	return countRows[models.ExternalReview](db.gorm.WithContext(ctx), "reviews")
}
