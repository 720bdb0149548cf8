package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

const originalsTable = "document_originals"

// originalsSchema keeps the page a document was imported from, bytes and
// all, beside the document (one backup holds both); deleting the document
// deletes it.
const originalsSchemaTemplate = `
CREATE TABLE document_originals (
	document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	final_url TEXT NOT NULL,
	status INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	charset TEXT NOT NULL DEFAULT '',
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	body {{blob}} NOT NULL,
	fetched_at {{time}} NOT NULL,
	import_key TEXT
)
--;
CREATE UNIQUE INDEX document_originals_import_key ON document_originals (import_key)
`

var (
	originalsSchemaSQLite   = replaceBlob(originalsSchemaTemplate, "BLOB")
	originalsSchemaPostgres = replaceBlob(originalsSchemaTemplate, "BYTEA")
)

type originalRow struct {
	models.Original
	ImportKey *string // NULL for none: the unique index allows many
	Body      []byte
}

// CreateImportedDocument stores a document imported from a page, with the
// page as its archived original and the candidates detection finds, in one
// transaction: a failure leaves neither. key names the request (a job) so
// that one run twice (a job rerun after a crash) stores one document: with
// a key already stored, nothing is written and d becomes the document that
// import made; created says which happened. An empty key names nothing.
func (db *DB) CreateImportedDocument(ctx context.Context, d *models.Document, orig *models.Original, page []byte, key string, actor *models.User) (created bool, err error) {
	d.Normalize()
	if err := d.Validate(); err != nil {
		return false, err
	}
	if done, err := db.importedBy(ctx, d, key); done || err != nil {
		return false, err
	}
	props := propose(d.Body)
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.insertDocument(tx, d, nil, props, actor, "document imported from "+orig.URL); err != nil {
			return err
		}
		orig.DocumentID, orig.Size = d.ID, int64(len(page))
		row := originalRow{Original: *orig, Body: page}
		if key != "" {
			row.ImportKey = &key
		}
		if err := tx.Table(originalsTable).Create(&row).Error; err != nil {
			return fmt.Errorf("store the original of document %d: %w", d.ID, err)
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// The same import, run at the same moment elsewhere, won.
		if done, err := db.importedBy(ctx, d, key); done || err != nil {
			return false, err
		}
	}
	if err == nil {
		db.matchAtImport(ctx, d.ID)
	}
	return err == nil, err
}

// importedBy loads into d the document an import key made, if any.
func (db *DB) importedBy(ctx context.Context, d *models.Document, key string) (bool, error) {
	got, err := db.ImportedBy(ctx, key)
	if got == nil || err != nil {
		return false, err
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
	if err := db.gorm.WithContext(ctx).Table(originalsTable).Where("import_key = ?", key).Pluck("document_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("import %s: %w", key, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return db.GetDocument(ctx, ids[0])
}

// GetOriginal returns the page document id was imported from, with its
// bytes; a document pasted or uploaded has none (not found).
func (db *DB) GetOriginal(ctx context.Context, id int64) (*models.Original, []byte, error) {
	var row originalRow
	if err := db.gorm.WithContext(ctx).Table(originalsTable).Where("document_id = ?", id).Take(&row).Error; err != nil {
		return nil, nil, notFound(err, "document %d was not imported from a page", id)
	}
	return &row.Original, row.Body, nil
}

// OriginalInfo returns what is known of the page document id was imported
// from, without its bytes; nil when it was pasted or uploaded.
func (db *DB) OriginalInfo(ctx context.Context, id int64) (*models.Original, error) {
	var rows []models.Original
	err := db.gorm.WithContext(ctx).Table(originalsTable).
		Select("document_id, url, final_url, status, content_type, charset, size, sha256, fetched_at").
		Where("document_id = ?", id).Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("original of document %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}
