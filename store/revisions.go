package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

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
	before, after, err := diff(c.before, c.after)
	if err != nil {
		return err
	}
	return db.recordFields(tx, c, before, after)
}

func (db *DB) recordFields(tx *gorm.DB, c change, before, after map[string]json.RawMessage) error {
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

// diff returns the fields of before and after by their JSON names; when
// both are given, only those whose JSON differs.
func diff(before, after any) (b, a map[string]json.RawMessage, err error) {
	if b, err = fieldsOf(before); err != nil {
		return nil, nil, err
	}
	if a, err = fieldsOf(after); err != nil {
		return nil, nil, err
	}
	if before != nil && after != nil {
		for k, v := range b {
			if w, ok := a[k]; ok && string(v) == string(w) {
				delete(b, k)
				delete(a, k)
			}
		}
		// The version and time stamps change with every write; they say nothing.
		for _, k := range []string{"version", "updated_at"} {
			delete(b, k)
			delete(a, k)
		}
	}
	return b, a, nil
}

// update writes next over old, both pointers to a row of the same model
// read in tx, if nobody wrote the row since old was read (its version), and
// records the change, c.before and c.after aside. Only the columns whose
// fields differ are named (the search index's triggers fire on any UPDATE
// naming the text columns, changed or not): a field added to a model is
// stored, compared and recorded with no list of columns to edit (a field
// kept out of JSON, `json:"-"`, is never written here). next gets
// the next version and the update time. A stale version is a conflict
// carrying the row as it now stands.
func (db *DB) update(tx *gorm.DB, old, next any, c change) error {
	stmt := &gorm.Statement{DB: tx}
	if err := stmt.Parse(next); err != nil {
		return fmt.Errorf("update %s: %w", c.entity, err)
	}
	sch, ctx := stmt.Schema, tx.Statement.Context
	versionField := sch.LookUpField("version")
	version := versionField.ReflectValueOf(ctx, reflect.ValueOf(old)).Int()
	nv := reflect.ValueOf(next)
	if err := versionField.Set(ctx, nv, version+1); err != nil {
		return fmt.Errorf("update %s: %w", c.entity, err)
	}
	if err := sch.LookUpField("updated_at").Set(ctx, nv, db.Now()); err != nil {
		return fmt.Errorf("update %s: %w", c.entity, err)
	}
	before, after, err := diff(old, next)
	if err != nil {
		return err
	}
	var columns []string
	for name := range after {
		f := fieldByJSON(sch, name)
		if f == nil {
			return fmt.Errorf("update %s: field %q is not a column", c.entity, name)
		}
		columns = append(columns, f.DBName)
	}
	slices.Sort(columns) // the same edit, the same statement
	columns = append(columns, "version", "updated_at")
	// UpdateColumns: no hooks, so updated_at is the store's clock.
	res := tx.Model(next).Where("id = ? AND version = ?", c.entityID, version).Select(columns).UpdateColumns(next)
	if res.Error != nil {
		return fmt.Errorf("update %s: %w", c.entity, res.Error)
	}
	if res.RowsAffected != 1 {
		current := reflect.New(nv.Elem().Type()).Interface()
		if err := tx.Take(current, c.entityID).Error; err != nil {
			return notFound(err, "%s %d not found", c.entity, c.entityID)
		}
		return models.Conflict(current, "the %s was changed by someone else since you opened it", c.entity)
	}
	return db.recordFields(tx, c, before, after)
}

// fieldByJSON finds the field of a model that JSON names name.
func fieldByJSON(sch *schema.Schema, name string) *schema.Field {
	for _, f := range sch.Fields {
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n == "" {
			n = f.Name
		}
		if n == name && f.DBName != "" {
			return f
		}
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
	q = whereGiven(q, "entity", f.Entity)
	q = whereGiven(q, "entity_id", f.EntityID)
	q = whereGiven(q, "claim_id", f.ClaimID)
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
