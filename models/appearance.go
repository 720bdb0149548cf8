package models

import (
	"sort"
	"time"
)

// EntityAppearance is the entity of an appearance's revisions.
const EntityAppearance = "appearance"

// Appearance is one more place a claim was made: a span of a document that
// says what the claim says, linked by an editor instead of checking it
// again. The claim's own anchor is its first appearance; these are the
// repeats.
type Appearance struct {
	ID         int64 `json:"id"`
	ClaimID    int64 `json:"claim_id"`
	DocumentID int64 `json:"document_id"`
	Anchor
	// SaidAt is when the claim was made there: the document's published
	// date, or the time it was linked when the document has none.
	SaidAt time.Time `json:"said_at"`
	// FromClaimID is the triage proposal this appearance replaced, if any.
	FromClaimID *int64    `json:"from_claim_id"`
	LinkedBy    *int64    `json:"linked_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// Appearance operations of a correction.
const (
	AppearanceLink   = "link"
	AppearanceUnlink = "unlink"
)

// AppearanceChange is a link or unlink of a published claim's appearance,
// waiting in its correction: readers see where a verdict says the claim was
// made, so that changes with a second editor's approval like the rest.
type AppearanceChange struct {
	Op           string    `json:"op"`
	AppearanceID int64     `json:"appearance_id,omitempty"`
	DocumentID   int64     `json:"document_id,omitempty"`
	Anchor       *Anchor   `json:"anchor,omitempty"`
	SaidAt       time.Time `json:"said_at,omitempty"`
	FromClaimID  *int64    `json:"from_claim_id,omitempty"`
	LinkedBy     *int64    `json:"linked_by,omitempty"`
}

// ProposeAppearance folds a link or unlink of a published claim's
// appearance into its pending correction (nil for none yet). Unlinking an
// appearance the same correction links drops the link.
func ProposeAppearance(pending *PendingCorrection, ch AppearanceChange, note string, now time.Time) (*PendingCorrection, error) {
	next := pending.continued(note, now)
	if next.Note == "" {
		f := FieldErrors{}
		f.Add("note", "a correction needs a public note")
		return nil, f.Err()
	}
	next.Appearances = append([]AppearanceChange(nil), next.Appearances...)
	next.Appearances = append(next.Appearances, ch)
	return &next, nil
}

// SaidTimes is what a verdict page says of a claim's appearances: how many
// times it was made (its own document counts once) and the earliest date.
func SaidTimes(c *Claim, docPublished *time.Time, apps []Appearance) (n int, since time.Time) {
	var dates []time.Time
	if c.DocumentID != nil {
		d := c.CreatedAt
		if docPublished != nil && !docPublished.IsZero() {
			d = *docPublished
		}
		dates = append(dates, d)
	}
	for _, a := range apps {
		dates = append(dates, a.SaidAt)
	}
	if len(dates) == 0 {
		return 0, time.Time{}
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	return len(dates), dates[0]
}
