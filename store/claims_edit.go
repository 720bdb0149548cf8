package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// The edit path (UpdateClaim, TransitionClaim) reads and writes the claim
// and its revision with plain SQL on the transaction, through statements
// prepared once per connection: gorm's callbacks, reflection and a fresh
// prepare per statement (the UPDATE compiles the search index's triggers)
// cost more than the writes themselves.

// readClaim reads one claim inside tx.
func (db *DB) readClaim(ctx context.Context, tx *gorm.DB, id int64) (*models.Claim, error) {
	rows, err := db.query(ctx, tx, "SELECT "+claimColumns+" FROM claims WHERE id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("read claim: %w", err)
	}
	claims, err := scanClaims(rows, 1)
	if err != nil {
		return nil, fmt.Errorf("read claim: %w", err)
	}
	if len(claims) == 0 {
		return nil, models.Errorf(models.ENOTFOUND, "claim %d not found", id)
	}
	return &claims[0], nil
}

// claimChange is one column of a claim that an edit changes.
type claimChange struct {
	column        string
	before, after any
}

// claimChanges lists the columns whose values differ between a and b,
// version and time stamps aside. Column names are the JSON names too.
func claimChanges(a, b *models.Claim) []claimChange {
	var out []claimChange
	add := func(column string, same bool, before, after any) {
		if !same {
			out = append(out, claimChange{column, before, after})
		}
	}
	add("document_id", sameID(a.DocumentID, b.DocumentID), a.DocumentID, b.DocumentID)
	add("start", a.Start == b.Start, a.Start, b.Start)
	add("end", a.End == b.End, a.End, b.End)
	add("exact", a.Exact == b.Exact, a.Exact, b.Exact)
	add("prefix", a.Prefix == b.Prefix, a.Prefix, b.Prefix)
	add("suffix", a.Suffix == b.Suffix, a.Suffix, b.Suffix)
	add("orphaned", a.Orphaned == b.Orphaned, a.Orphaned, b.Orphaned)
	add("text", a.Text == b.Text, a.Text, b.Text)
	add("claimant", a.Claimant == b.Claimant, a.Claimant, b.Claimant)
	add("kind", a.Kind == b.Kind, a.Kind, b.Kind)
	add("score", a.Score == b.Score, a.Score, b.Score)
	add("origin", a.Origin == b.Origin, a.Origin, b.Origin)
	add("status", a.Status == b.Status, a.Status, b.Status)
	add("rating", a.Rating == b.Rating, a.Rating, b.Rating)
	add("explanation", a.Explanation == b.Explanation, a.Explanation, b.Explanation)
	add("dismiss_reason", a.DismissReason == b.DismissReason, a.DismissReason, b.DismissReason)
	add("assignee_id", sameID(a.AssigneeID, b.AssigneeID), a.AssigneeID, b.AssigneeID)
	add("submitter_id", sameID(a.SubmitterID, b.SubmitterID), a.SubmitterID, b.SubmitterID)
	add("reviewer_id", sameID(a.ReviewerID, b.ReviewerID), a.ReviewerID, b.ReviewerID)
	add("published_at", sameTime(a.PublishedAt, b.PublishedAt), a.PublishedAt, b.PublishedAt)
	add("override_reason", a.OverrideReason == b.OverrideReason, a.OverrideReason, b.OverrideReason)
	return out
}

func sameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// sameTime compares as the revision's JSON does: the same instant written
// in another zone is a change there.
func sameTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Format(time.RFC3339Nano) == b.Format(time.RFC3339Nano))
}

// writeClaim writes c over old, checking that nobody wrote in between, and
// records the revision of the change. Only the changed columns are named:
// the search index's triggers fire on any UPDATE naming the text columns,
// changed or not.
func (db *DB) writeClaim(ctx context.Context, tx *gorm.DB, old, c *models.Claim, action string, actor *models.User, summary string) error {
	c.Version, c.UpdatedAt = old.Version+1, db.Now()
	changes := claimChanges(old, c)
	var set strings.Builder
	args := make([]any, 0, len(changes)+4)
	for _, ch := range changes {
		set.WriteString(strconv.Quote(ch.column) + " = ?, ")
		args = append(args, ch.after)
	}
	set.WriteString("version = ?, updated_at = ?")
	args = append(args, c.Version, c.UpdatedAt, old.ID, old.Version)
	res, err := db.exec(ctx, tx, "UPDATE claims SET "+set.String()+" WHERE id = ? AND version = ?", args...)
	if err != nil {
		return fmt.Errorf("update claim: %w", translate(tx, err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		current, err := db.readClaim(ctx, tx, old.ID)
		if err != nil {
			return err
		}
		return models.Conflict(current, "the claim was changed by someone else since you opened it")
	}
	before, after := make(map[string]any, len(changes)), make(map[string]any, len(changes))
	for _, ch := range changes {
		before[ch.column], after[ch.column] = ch.before, ch.after
	}
	b, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	a, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	_, err = db.exec(ctx, tx, `INSERT INTO revisions (entity, entity_id, claim_id, action, user_id, "before", "after", summary, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		models.EntityClaim, c.ID, c.ID, action, userID(actor), string(b), string(a), summary, db.Now())
	if err != nil {
		return fmt.Errorf("record revision: %w", translate(tx, err))
	}
	return nil
}

// translate turns a driver's error into gorm's, as gorm's own calls do
// with TranslateError, so that errors.Is finds gorm.ErrForeignKeyViolated.
func translate(tx *gorm.DB, err error) error {
	if t, ok := tx.Dialector.(gorm.ErrorTranslator); ok {
		return t.Translate(err)
	}
	return err
}

// exec runs a statement, written with ? placeholders, on tx's connection,
// prepared once.
func (db *DB) exec(ctx context.Context, tx *gorm.DB, query string, args ...any) (sql.Result, error) {
	if st, ok := tx.Statement.ConnPool.(*sql.Tx); ok {
		if p := db.preparedInTx(ctx, query); p != nil {
			return st.StmtContext(ctx, p).ExecContext(ctx, args...)
		}
	}
	return tx.Statement.ConnPool.ExecContext(ctx, db.placeholders(query), args...)
}

// query runs a query, written with ? placeholders, on tx's connection,
// prepared once.
func (db *DB) query(ctx context.Context, tx *gorm.DB, query string, args ...any) (*sql.Rows, error) {
	if st, ok := tx.Statement.ConnPool.(*sql.Tx); ok {
		if p := db.preparedInTx(ctx, query); p != nil {
			return st.StmtContext(ctx, p).QueryContext(ctx, args...)
		}
	}
	return tx.Statement.ConnPool.QueryContext(ctx, db.placeholders(query), args...)
}

// preparedInTx is db.prepared for a caller inside a transaction, nil when
// the statement should run unprepared. Preparing takes a connection of the
// pool while the transaction holds one: with a pool of one that would wait
// forever, and with a busy pool it may wait long.
func (db *DB) preparedInTx(ctx context.Context, query string) *sql.Stmt {
	if db.sql.Stats().MaxOpenConnections == 1 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	st, err := db.prepared(ctx, query)
	if err != nil {
		return nil
	}
	return st
}

func (db *DB) placeholders(query string) string {
	if db.dialect == Postgres {
		return numberPlaceholders(query)
	}
	return query
}
