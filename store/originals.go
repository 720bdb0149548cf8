package store

import (
	"context"
	"fmt"

	"factdesk/models"
)

const originalsTable = "document_originals"

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
