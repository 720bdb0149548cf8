package store

import (
	"context"
	"fmt"

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
	Body []byte
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
