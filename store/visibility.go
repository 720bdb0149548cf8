package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

// publicDocumentSQL is models.DocumentPublicWith as SQL, for a query over
// documents aliased d: a document is public while one of its claims is in a
// public status and not orphaned, or it holds an appearance of a claim in
// a public status. TestVisibilityRules holds the two together.
const publicDocumentSQL = `(EXISTS (SELECT 1 FROM claims pc WHERE pc.document_id = d.id AND pc.orphaned = ? AND pc.status IN ?)
	OR EXISTS (SELECT 1 FROM appearances pa JOIN claims ac ON ac.id = pa.claim_id WHERE pa.document_id = d.id AND ac.status IN ?))`

func publicDocumentArgs() []any {
	return []any{false, models.PublicStatuses(), models.PublicStatuses()}
}

// GetPublicDocument returns a document readers may see; one that is not
// public is not found, exactly as one that does not exist.
func (db *DB) GetPublicDocument(ctx context.Context, id int64) (*models.Document, error) {
	var d models.Document
	err := db.gorm.WithContext(ctx).Table("documents AS d").
		Where("d.id = ? AND "+publicDocumentSQL, append([]any{id}, publicDocumentArgs()...)...).Take(&d).Error
	if err != nil {
		return nil, notFound(err, "document %d not found", id)
	}
	return &d, nil
}

// onlyPublicDocuments keeps a query over documents AS d to the public ones.
func onlyPublicDocuments(q *gorm.DB) *gorm.DB {
	return q.Where(publicDocumentSQL, publicDocumentArgs()...)
}

// PublicDocumentIDs returns which of ids readers may see.
func (db *DB) PublicDocumentIDs(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var got []int64
	if err := onlyPublicDocuments(db.gorm.WithContext(ctx).Table("documents AS d").Where("d.id IN ?", ids)).Pluck("d.id", &got).Error; err != nil {
		return nil, fmt.Errorf("public documents: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}
