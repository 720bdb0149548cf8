package models

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Entities whose changes are recorded.
const (
	EntityClaim    = "claim"
	EntityDocument = "document"
	EntitySource   = "source"
	EntityEvidence = "evidence"
	EntityScale    = "scale"
)

// Revision records one change: who, when, what, the fields before and after
// (JSON objects, "{}" for a creation or a deletion) and an edit summary.
type Revision struct {
	ID        int64     `json:"id"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	ClaimID   *int64    `json:"claim_id"`
	Action    string    `json:"action"`
	UserID    *int64    `json:"user_id"`
	Before    string    `json:"-"`
	After     string    `json:"-"`
	Summary   string    `json:"summary"`
	CreatedAt time.Time `json:"created_at"`
}

// FieldChange is one field of a revision, for a readable history.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Changes lists the fields whose value differs between Before and After.
func (r *Revision) Changes() []FieldChange {
	var before, after map[string]any
	_ = json.Unmarshal([]byte(r.Before), &before)
	_ = json.Unmarshal([]byte(r.After), &after)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []FieldChange
	for k := range keys {
		b, a := display(before[k]), display(after[k])
		if b != a {
			out = append(out, FieldChange{Field: k, Before: b, After: a})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func display(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// Correction is a public note on a published claim: a changed rating or
// explanation, or a retraction.
type Correction struct {
	ID        int64     `json:"id"`
	ClaimID   int64     `json:"claim_id"`
	Note      string    `json:"note"`
	UserID    *int64    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}
