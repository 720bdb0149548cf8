package store

import (
	"context"

	"factdesk/models"
)

// listByDue reads up to n claims matching f, the nearest due date first and
// claims without one last, after cursor k: a query on the dated claims in
// (due_on, id) order, then one on the undated in ID order. Two queries keep
// both engines on an index and on one cursor (NULLs sort apart in each).
func (db *DB) listByDue(ctx context.Context, f models.ClaimFilter, k cursorKey, n int) ([]models.Claim, error) {
	out := make([]models.Claim, 0, n)
	if k.id == 0 || !k.time.IsZero() {
		q, ok := db.claimQuery(ctx, f)
		if !ok {
			return nil, nil
		}
		q = q.Where("due_on IS NOT NULL")
		if k.id > 0 {
			q = q.Where("(due_on > ? OR (due_on = ? AND id > ?))", k.time, k.time, k.id)
		}
		if err := q.Order("due_on, id").Limit(n).Find(&out).Error; err != nil {
			return nil, err
		}
		if len(out) >= n {
			return out, nil
		}
		k = cursorKey{}
	}
	q, ok := db.claimQuery(ctx, f)
	if !ok {
		return out, nil
	}
	q = q.Where("due_on IS NULL")
	if k.id > 0 {
		q = q.Where("id > ?", k.id)
	}
	var rest []models.Claim
	if err := q.Order("id").Limit(n - len(out)).Find(&rest).Error; err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}
