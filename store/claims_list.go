package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// ClaimPage is one page of a claim list. Next is the ID of its last claim
// when another page follows, 0 on the last page; Cursor is the cursor of
// the next page in any order, "" on the last page.
type ClaimPage struct {
	Claims []models.Claim
	Next   int64
	Cursor string
}

// claimOrder is how one of models.ClaimOrders sorts and pages: ORDER BY,
// and the condition that selects what comes after a cursor's claim.
type claimOrder struct {
	by    string
	after func(k cursorKey) (string, []any)
	key   func(c *models.Claim) string
}

// statusRank sorts statuses in workflow order inside the database.
var statusRank = func() string {
	var b strings.Builder
	b.WriteString("CASE status")
	for i, st := range models.Statuses {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", st, i)
	}
	b.WriteString(" END")
	return b.String()
}()

var claimOrders = map[string]claimOrder{
	"id": {
		by:    "id",
		after: func(k cursorKey) (string, []any) { return "id > ?", []any{k.id} },
		key:   func(*models.Claim) string { return "" },
	},
	"-id": {
		by:    "id DESC",
		after: func(k cursorKey) (string, []any) { return "id < ?", []any{k.id} },
		key:   func(*models.Claim) string { return "" },
	},
	// A row value comparison walks the (updated_at) index from the cursor
	// on both engines; SQLite's index holds the ID after the key.
	"-updated": {
		by:    "updated_at DESC, id DESC",
		after: func(k cursorKey) (string, []any) { return "(updated_at, id) < (?, ?)", []any{k.time, k.id} },
		key:   func(c *models.Claim) string { return c.UpdatedAt.UTC().Format(time.RFC3339Nano) },
	},
	"-score": {
		by:    "score DESC, id DESC",
		after: func(k cursorKey) (string, []any) { return "(score, id) < (?, ?)", []any{k.score, k.id} },
		key:   func(c *models.Claim) string { return strconv.FormatFloat(c.Score, 'g', -1, 64) },
	},
	// The statuses after the cursor's, or the same status and a later ID:
	// each part can use the (status, id) index.
	"status": {
		by: statusRank + ", id",
		after: func(k cursorKey) (string, []any) {
			later := models.Statuses[k.rank+1:]
			if len(later) == 0 {
				return "status = ? AND id > ?", []any{k.status, k.id}
			}
			return "(status IN ? OR (status = ? AND id > ?))", []any{later, k.status, k.id}
		},
		key: func(c *models.Claim) string { return string(c.Status) },
	},
}

// cursorKey is a decoded cursor: the ID of the last claim of a page and its
// sort key in the page's order.
type cursorKey struct {
	id     int64
	time   time.Time
	score  float64
	status models.Status
	rank   int
}

// encodeCursor makes the opaque cursor of the page after claim c.
func encodeCursor(order string, o claimOrder, c *models.Claim) string {
	return base64.RawURLEncoding.EncodeToString([]byte(order + "\n" + o.key(c) + "\n" + strconv.FormatInt(c.ID, 10)))
}

// decodeCursor reads a cursor made by encodeCursor for the same order.
func decodeCursor(order, s string) (cursorKey, error) {
	bad := &models.Error{Code: models.EINVALID, Message: "the cursor is not one of this list's",
		Fields: map[string]string{"cursor": "is not a cursor from a previous page"}}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursorKey{}, bad
	}
	parts := strings.Split(string(b), "\n")
	if len(parts) != 3 || parts[0] != order {
		return cursorKey{}, bad
	}
	var k cursorKey
	if k.id, err = strconv.ParseInt(parts[2], 10, 64); err != nil || k.id < 1 {
		return cursorKey{}, bad
	}
	switch order {
	case "-updated":
		if k.time, err = time.Parse(time.RFC3339Nano, parts[1]); err != nil {
			return cursorKey{}, bad
		}
	case "-score":
		if k.score, err = strconv.ParseFloat(parts[1], 64); err != nil {
			return cursorKey{}, bad
		}
	case "status":
		k.status, k.rank = models.Status(parts[1]), -1
		for i, st := range models.Statuses {
			if st == k.status {
				k.rank = i
			}
		}
		if k.rank < 0 {
			return cursorKey{}, bad
		}
	}
	return k, nil
}

// ListClaims returns the claims matching f, a page at a time, in f.Order:
// a stable order (ties broken by ID) that pages through every match.
func (db *DB) ListClaims(ctx context.Context, f models.ClaimFilter) (ClaimPage, error) {
	order := f.Order
	if order == "" {
		order = "id"
	}
	o, ok := claimOrders[order]
	if !ok {
		return ClaimPage{}, &models.Error{Code: models.EINVALID, Message: "unknown order " + strconv.Quote(f.Order),
			Fields: map[string]string{"order": "must be one of " + strings.Join(models.ClaimOrders, ", ")}}
	}
	q, ok := db.claimQuery(ctx, f)
	if !ok {
		return ClaimPage{}, nil
	}
	switch {
	case f.Cursor != "":
		k, err := decodeCursor(order, f.Cursor)
		if err != nil {
			return ClaimPage{}, err
		}
		cond, args := o.after(k)
		q = q.Where(cond, args...)
	case f.After > 0 && (order == "id" || order == "-id"):
		cond, args := o.after(cursorKey{id: f.After})
		q = q.Where(cond, args...)
	}
	limit := limitOf(f.Limit)
	rows, err := q.Select(claimColumns).Order(o.by).Limit(limit + 1).Rows()
	if err != nil {
		return ClaimPage{}, fmt.Errorf("list claims: %w", err)
	}
	claims, err := scanClaims(rows, limit+1)
	if err != nil {
		return ClaimPage{}, fmt.Errorf("list claims: %w", err)
	}
	page := ClaimPage{Claims: claims}
	if len(claims) > limit {
		page.Claims = claims[:limit]
		last := &claims[limit-1]
		page.Next, page.Cursor = last.ID, encodeCursor(order, o, last)
	}
	return page, nil
}

// CountClaims returns how many claims match f (its cursor and limit aside).
func (db *DB) CountClaims(ctx context.Context, f models.ClaimFilter) (int64, error) {
	q, ok := db.claimQuery(ctx, f)
	if !ok {
		return 0, nil
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count claims: %w", err)
	}
	return n, nil
}

// claimQuery selects the claims matching f's filters; ok is false when the
// query has no searchable words, so nothing can match.
func (db *DB) claimQuery(ctx context.Context, f models.ClaimFilter) (q *gorm.DB, ok bool) {
	q = db.gorm.WithContext(ctx).Model(&models.Claim{})
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.Rating != "" {
		q = q.Where("rating = ?", f.Rating)
	}
	if f.DocumentID != 0 {
		q = q.Where("document_id = ?", f.DocumentID)
	}
	if f.AssigneeID != 0 {
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if strings.TrimSpace(f.Query) != "" {
		match, ok := db.claimMatch(f.Query)
		if !ok {
			return nil, false
		}
		q = q.Where(match)
	}
	return q, true
}
