package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/extract"
	"factdesk/models"
)

type importRow struct {
	ImportKey  string `gorm:"primaryKey"`
	DocumentID int64
	CreatedAt  time.Time
}

func (importRow) TableName() string { return "document_imports" }

// Import says how ImportDocument stores a document.
type Import struct {
	// Key, when set, makes the import idempotent: a second import under
	// the same key stores nothing and returns the document the first made.
	Key string
	// Summary is the document's first revision's ("document imported").
	Summary string
	// Original is the page the document was extracted from, with its
	// bytes, kept as the archived original; nil for pasted text.
	Original *models.Original
	Page     []byte
	// DetectLater leaves detection out of the import's transaction: the
	// caller runs DetectInBatches afterwards, or queues it in Then. A large
	// body is detected so, in short transactions.
	DetectLater bool
	// Then, when set, runs in the import's transaction once the document
	// has its ID (package jobs enqueues the detection there), so what it
	// starts exists if and only if the document does.
	Then func(d *models.Document) AfterWrite
}

// CreateDocument stores a document, the claims given with it (anchored by
// start and end) and the candidates detection finds, in one transaction.
func (db *DB) CreateDocument(ctx context.Context, d *models.Document, claims []models.Claim, actor *models.User) error {
	_, err := db.ImportDocument(ctx, d, claims, actor, Import{})
	return err
}

// ImportDocument stores a document with the claims given with it and, as
// imp says, its original page, its idempotency key and its detection. The
// document, claims, original and key are one transaction: a failure leaves
// none of them. created is false when the key was already used: d is then
// the document that import made. A key used for another text is a
// conflict.
func (db *DB) ImportDocument(ctx context.Context, d *models.Document, claims []models.Claim, actor *models.User, imp Import) (created bool, err error) {
	d.Normalize()
	if err := d.Validate(); err != nil {
		return false, err
	}
	if done, err := db.importedBy(ctx, d, imp.Key); done || err != nil {
		return false, err
	}
	var props []extract.Proposal
	if !imp.DetectLater {
		props = propose(d.Body)
	}
	summary := imp.Summary
	if summary == "" {
		summary = "document imported"
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.insertDocument(tx, d, claims, props, actor, summary); err != nil {
			return err
		}
		if imp.Original != nil {
			o := imp.Original
			o.DocumentID, o.Size = d.ID, int64(len(imp.Page))
			if err := tx.Table(originalsTable).Create(&originalRow{Original: *o, Body: imp.Page}).Error; err != nil {
				return fmt.Errorf("store the original of document %d: %w", d.ID, err)
			}
		}
		if imp.Key != "" {
			if err := tx.Create(&importRow{ImportKey: imp.Key, DocumentID: d.ID, CreatedAt: db.Now()}).Error; err != nil {
				return fmt.Errorf("import %s: %w", imp.Key, err)
			}
		}
		if imp.Then != nil {
			return imp.Then(d)(ctx, sqlTx(tx))
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) && imp.Key != "" {
		// The same import, run at the same moment elsewhere, won.
		if done, err := db.importedBy(ctx, d, imp.Key); done || err != nil {
			return false, err
		}
	}
	if err == nil && !imp.DetectLater {
		db.matchAtImport(ctx, d.ID) // DetectInBatches does it after its proposals
	}
	return err == nil, err
}

// importedBy loads into d the document an import key made, if any. The
// same key with another text is a conflict: the key was reused.
func (db *DB) importedBy(ctx context.Context, d *models.Document, key string) (bool, error) {
	got, err := db.ImportedBy(ctx, key)
	if got == nil || err != nil {
		return false, err
	}
	if d.Body != "" && got.ContentHash != d.ContentHash {
		return false, models.Errorf(models.ECONFLICT, "the idempotency key %q was used for another text (document %d)", key, got.ID)
	}
	*d = *got
	return true, nil
}

// ImportedBy returns the document the import named key made, nil if none
// did (or key is empty).
func (db *DB) ImportedBy(ctx context.Context, key string) (*models.Document, error) {
	if key == "" {
		return nil, nil
	}
	var ids []int64
	if err := db.gorm.WithContext(ctx).Model(&importRow{}).Where("import_key = ?", key).Pluck("document_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("import %s: %w", key, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return db.GetDocument(ctx, ids[0])
}
