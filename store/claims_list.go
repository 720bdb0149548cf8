package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
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
	"-priority": {
		by:    "priority DESC, id DESC",
		after: func(k cursorKey) (string, []any) { return "(priority, id) < (?, ?)", []any{k.priority, k.id} },
		key:   func(c *models.Claim) string { return strconv.Itoa(int(c.Priority)) },
	},
	// Read by listByDue: the dated claims on the (due_on, id) index, then
	// the undated ones in ID order; the key of an undated claim is "".
	"due": {
		key: func(c *models.Claim) string {
			if c.DueOn == nil {
				return ""
			}
			return c.DueOn.UTC().Format(time.RFC3339Nano)
		},
	},
	// Read by listByStatus, one status after another, each in ID order
	// on the (status, id) index: a CASE in ORDER BY sorted every match.
	"status": {
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
	// priority is the key of "-priority"; time, zero for an undated claim, of "due".
	priority int
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
	case "due":
		if parts[1] != "" {
			if k.time, err = time.Parse(time.RFC3339Nano, parts[1]); err != nil {
				return cursorKey{}, bad
			}
		}
	case "-priority":
		if k.priority, err = strconv.Atoi(parts[1]); err != nil {
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
	var (
		k   cursorKey
		err error
	)
	switch {
	case f.Cursor != "":
		if k, err = decodeCursor(order, f.Cursor); err != nil {
			return ClaimPage{}, err
		}
	case f.After > 0 && (order == "id" || order == "-id"):
		k.id = f.After
	}
	limit := limitOf(f.Limit)
	var claims []models.Claim
	switch order {
	case "status":
		claims, err = db.listByStatus(ctx, f, k, limit+1)
	case "due":
		claims, err = db.listByDue(ctx, f, k, limit+1)
	default:
		claims, err = db.listPage(ctx, f, o, k, limit+1)
	}
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

// listPage reads up to n claims matching f in order o after cursor k (none
// when k.id is 0).
func (db *DB) listPage(ctx context.Context, f models.ClaimFilter, o claimOrder, k cursorKey, n int) ([]models.Claim, error) {
	q, ok := db.claimQuery(ctx, f)
	if !ok {
		return nil, nil
	}
	if k.id > 0 {
		cond, args := o.after(k)
		q = q.Where(cond, args...)
	}
	claims := make([]models.Claim, 0, n)
	if err := q.Order(o.by).Limit(n).Find(&claims).Error; err != nil {
		return nil, err
	}
	return claims, nil
}

// listByStatus reads up to n claims matching f in workflow order after
// cursor k: a query per status until the page is full. A claim that moves
// to a later status while the page is read may show twice, as it may on
// the next page of any order.
func (db *DB) listByStatus(ctx context.Context, f models.ClaimFilter, k cursorKey, n int) ([]models.Claim, error) {
	var out []models.Claim
	for rank, st := range models.Statuses {
		if k.id > 0 && rank < k.rank || len(f.Statuses) > 0 && !slices.Contains(f.Statuses, st) {
			continue
		}
		one := f
		one.Statuses = []models.Status{st}
		after := cursorKey{}
		if k.id > 0 && rank == k.rank {
			after.id = k.id
		}
		claims, err := db.listPage(ctx, one, claimOrders["id"], after, n-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, claims...)
		if len(out) >= n {
			break
		}
	}
	return out, nil
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
	q = whereGiven(q, "rating", f.Rating)
	q = whereGiven(q, "document_id", f.DocumentID)
	q = whereGiven(q, "assignee_id", f.AssigneeID)
	q = whereGiven(q, "kind", f.Kind)
	if strings.TrimSpace(f.Query) != "" {
		match, ok := db.claimMatch(f.Query)
		if !ok {
			return nil, false
		}
		q = q.Where(match)
	}
	return q, true
}

// AllClaims follows the cursor of ListClaims to the end: every claim the
// filter selects, for pages that show them all (a document's claims).
func (db *DB) AllClaims(ctx context.Context, f models.ClaimFilter) ([]models.Claim, error) {
	var out []models.Claim
	for {
		page, err := db.ListClaims(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Claims...)
		if page.Next == 0 {
			return out, nil
		}
		f.After = page.Next
	}
}

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
