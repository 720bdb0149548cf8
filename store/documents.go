package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/extract"
	"factdesk/models"
)

// DocumentUpdate is a partial edit of a document; nil fields stay as they are.
type DocumentUpdate struct {
	Version     int
	Title       *string
	Author      *string
	Publisher   *string
	URL         *string
	PublishedOn **time.Time
	Language    *string
	Body        *string
	Summary     string
}

// insertDocument stores d, normalized and valid, with its claims and the
// proposals of detection.
func (db *DB) insertDocument(tx *gorm.DB, d *models.Document, claims []models.Claim, props []extract.Proposal, actor *models.User, summary string) error {
	now := db.Now()
	d.ID, d.Version, d.CreatedAt, d.UpdatedAt, d.CreatedBy = 0, 1, now, now, userID(actor)
	if err := tx.Create(d).Error; err != nil {
		return fmt.Errorf("create document: %w", err)
	}
	if err := db.record(tx, change{entity: models.EntityDocument, entityID: d.ID, action: "create", actor: actor, after: d, summary: summary}); err != nil {
		return err
	}
	body := []rune(d.Body)
	for i := range claims {
		c := claims[i]
		c.DocumentID = &d.ID
		if err := db.createClaim(tx, body, &c, actor, "claim listed with its document"); err != nil {
			return err
		}
	}
	_, err := db.detect(tx, d, props)
	return err
}

// GetDocument returns one document.
func (db *DB) GetDocument(ctx context.Context, id int64) (*models.Document, error) {
	return getDocument(db.gorm.WithContext(ctx), id)
}

func getDocument(tx *gorm.DB, id int64) (*models.Document, error) {
	return get[models.Document](tx, models.EntityDocument, id)
}

// DocumentFilter selects documents for a list.
type DocumentFilter struct {
	After int64 // cursor: the last ID of the previous page (newest first)
	Limit int
	// PublicOnly keeps to the documents readers may see (models.DocumentPublic).
	PublicOnly bool
}

// ListDocuments returns documents, newest first, without their bodies.
func (db *DB) ListDocuments(ctx context.Context, f DocumentFilter) ([]models.Document, error) {
	q := db.gorm.WithContext(ctx).Table("documents AS d").
		Select("d.id, d.title, d.author, d.publisher, d.url, d.published_on, d.language, d.content_hash, d.version, d.created_by, d.created_at, d.updated_at")
	if f.After > 0 {
		q = q.Where("d.id < ?", f.After)
	}
	if f.PublicOnly {
		q = onlyPublicDocuments(q)
	}
	var docs []models.Document
	if err := q.Order("d.id DESC").Limit(limitOf(f.Limit)).Find(&docs).Error; err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return docs, nil
}

// DocumentWork is what waits for an editor in one document.
type DocumentWork struct {
	Candidates int // proposals in place, not yet accepted or dismissed
	Orphaned   int // claims whose words an edit removed, proposals too, to be placed again
}

// WorkByDocument counts the open work of each document of ids, in one query;
// a document with none is absent from the map.
func (db *DB) WorkByDocument(ctx context.Context, ids []int64) (map[int64]DocumentWork, error) {
	out := make(map[int64]DocumentWork, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		DocumentID int64
		Candidates int
		Orphaned   int
	}
	err := db.gorm.WithContext(ctx).Raw(`SELECT document_id,
			SUM(CASE WHEN status = ? AND NOT orphaned THEN 1 ELSE 0 END) AS candidates,
			SUM(CASE WHEN orphaned THEN 1 ELSE 0 END) AS orphaned
		FROM claims WHERE document_id IN ? GROUP BY document_id`, models.StatusCandidate, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("work by document: %w", err)
	}
	for _, r := range rows {
		if r.Candidates > 0 || r.Orphaned > 0 {
			out[r.DocumentID] = DocumentWork{Candidates: r.Candidates, Orphaned: r.Orphaned}
		}
	}
	return out, nil
}

// UpdateDocument edits a document. A changed body re-anchors every claim of
// the document from its quote; a claim whose quote cannot be found again is
// flagged as orphaned, never silently moved. orphaned is how many claims
// this edit left without a place.
func (db *DB) UpdateDocument(ctx context.Context, id int64, u DocumentUpdate, actor *models.User) (out *models.Document, orphaned int, err error) {
	// Detection of a new body runs before the write lock is taken, on the
	// body as it will be stored.
	var props []extract.Proposal
	if u.Body != nil {
		nd := models.Document{Body: *u.Body}
		nd.Normalize()
		props = propose(nd.Body)
		u.Body = &nd.Body
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		old, err := toEdit(tx, models.EntityDocument, id, u.Version, func(d *models.Document) int { return d.Version })
		if err != nil {
			return err
		}
		d := *old
		setIf(&d.Title, u.Title)
		setIf(&d.Author, u.Author)
		setIf(&d.Publisher, u.Publisher)
		setIf(&d.URL, u.URL)
		setIf(&d.Language, u.Language)
		setIf(&d.Body, u.Body)
		if u.PublishedOn != nil {
			d.PublishedOn = *u.PublishedOn
		}
		d.Normalize()
		if err := d.Validate(); err != nil {
			return err
		}
		if err := db.update(tx, old, &d, change{entity: models.EntityDocument, entityID: id, action: "update", actor: actor, summary: u.Summary}); err != nil {
			return err
		}
		if d.Body != old.Body {
			if u.Body == nil || *u.Body != d.Body {
				props = propose(d.Body) // not expected: d.Body is the normalized u.Body
			}
			if orphaned, err = db.reanchor(tx, &d, props, actor); err != nil {
				return err
			}
		}
		out = &d
		return nil
	})
	return out, orphaned, err
}

// DeleteDocument removes a document and its claims. A document with a
// published verdict is kept: readers link to it.
func (db *DB) DeleteDocument(ctx context.Context, id int64, actor *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		d, err := getDocument(tx, id)
		if err != nil {
			return err
		}
		var published int64
		if err := tx.Model(&models.Claim{}).Where("document_id = ? AND status = ?", id, models.StatusPublished).Count(&published).Error; err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		if published > 0 {
			return models.Errorf(models.ECONFLICT, "the document has %d published verdicts: retract them before deleting it", published)
		}
		if err := tx.Delete(&models.Document{}, id).Error; err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		return db.record(tx, change{entity: models.EntityDocument, entityID: id, action: "delete", actor: actor, before: d, summary: "document deleted"})
	})
}

// CountDocuments returns how many documents there are.
func (db *DB) CountDocuments(ctx context.Context) (int64, error) {
	return countRows[models.Document](db.gorm.WithContext(ctx), "documents")
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// limitOf bounds a page size: 50 by default, 200 at most.
func limitOf(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// ImportOnce creates a document with its claims unless key is already set in
// the database's meta table, and sets key in the same transaction. It says
// whether it imported. Deleting the document later does not bring it back.
func (db *DB) ImportOnce(ctx context.Context, key string, d *models.Document, claims []models.Claim, summary string) (bool, error) {
	d.Normalize()
	if err := d.Validate(); err != nil {
		return false, err
	}
	props := propose(d.Body)
	imported := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		// Claim the key first: a replica starting at the same moment waits
		// on it and then finds it taken, instead of importing a second copy.
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&meta{Key: key, Value: db.Now().Format(time.RFC3339)})
		if res.Error != nil {
			return fmt.Errorf("import: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		if err := db.insertDocument(tx, d, claims, props, nil, summary); err != nil {
			return err
		}
		imported = true
		return nil
	})
	return imported, err
}
