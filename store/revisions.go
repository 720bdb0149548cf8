package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

// change is one write to record as a Revision.
type change struct {
	entity   string
	entityID int64
	claimID  *int64
	action   string
	actor    *models.User
	before   any // nil for a creation
	after    any // nil for a deletion
	summary  string
}

// record writes the Revision of a change inside the transaction of the
// write itself. For an update only the fields that differ are kept.
func (db *DB) record(tx *gorm.DB, c change) error {
	before, err := fieldsOf(c.before)
	if err != nil {
		return err
	}
	after, err := fieldsOf(c.after)
	if err != nil {
		return err
	}
	if c.before != nil && c.after != nil {
		for k, v := range before {
			if w, ok := after[k]; ok && string(v) == string(w) {
				delete(before, k)
				delete(after, k)
			}
		}
		// The version and time stamps change with every write; they say nothing.
		for _, k := range []string{"version", "updated_at"} {
			delete(before, k)
			delete(after, k)
		}
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	rev := models.Revision{
		Entity:    c.entity,
		EntityID:  c.entityID,
		ClaimID:   c.claimID,
		Action:    c.action,
		UserID:    userID(c.actor),
		Before:    string(b),
		After:     string(a),
		Summary:   c.summary,
		CreatedAt: db.Now(),
	}
	if err := tx.Create(&rev).Error; err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

func fieldsOf(v any) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if v == nil {
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("record revision: %w", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("record revision: %w", err)
	}
	return out, nil
}

// RevisionFilter selects revisions; zero fields do not filter.
type RevisionFilter struct {
	Entity   string
	EntityID int64
	// ClaimID selects the claim's own revisions and those of its evidence.
	ClaimID int64
	Limit   int
}

// ListRevisions returns revisions newest first.
func (db *DB) ListRevisions(ctx context.Context, f RevisionFilter) ([]models.Revision, error) {
	q := db.gorm.WithContext(ctx).Model(&models.Revision{})
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ClaimID != 0 {
		q = q.Where("claim_id = ?", f.ClaimID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	var revs []models.Revision
	if err := q.Order("id DESC").Limit(limit).Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	return revs, nil
}
