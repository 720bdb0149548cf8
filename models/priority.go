package models

import "time"

// Priority is how much a claim matters to the desk, 0 (none) to 4 (urgent).
type Priority int

const (
	PriorityNone Priority = iota
	PriorityLow
	PriorityNormal
	PriorityHigh
	PriorityUrgent
)

// Priorities lists the priorities in the order forms show them.
var Priorities = []Priority{PriorityNone, PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

var priorityLabels = []string{"None", "Low", "Normal", "High", "Urgent"}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p >= PriorityNone && p <= PriorityUrgent }

// Label is the name editors see.
func (p Priority) Label() string {
	if !p.Valid() {
		return ""
	}
	return priorityLabels[p]
}

// DueDay keeps the day of a due date, at midnight UTC: a due date is a day,
// wherever the editor sits.
func DueDay(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// Overdue reports whether c is past its due day at now and not yet done.
func (c *Claim) Overdue(now time.Time) bool {
	return c.DueOn != nil && c.Status != StatusPublished && c.Status != StatusDismissed &&
		now.UTC().After(c.DueOn.Add(24*time.Hour))
}
