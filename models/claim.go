package models

import (
	"slices"
	"strings"
	"time"

	"github.com/gosimple/slug"
)

// Status is where a claim stands in the workflow.
type Status string

const (
	StatusCandidate   Status = "candidate"
	StatusOpen        Status = "open"
	StatusResearching Status = "researching"
	StatusInReview    Status = "in_review"
	StatusPublished   Status = "published"
	StatusDismissed   Status = "dismissed"
)

// Statuses lists the statuses in workflow order.
var Statuses = []Status{StatusCandidate, StatusOpen, StatusResearching, StatusInReview, StatusPublished, StatusDismissed}

var statusLabels = map[Status]string{
	StatusCandidate:   "Candidate",
	StatusOpen:        "Open",
	StatusResearching: "Researching",
	StatusInReview:    "In review",
	StatusPublished:   "Published",
	StatusDismissed:   "Dismissed",
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label is the name editors see.
func (s Status) Label() string { return statusLabels[s] }

// Public reports whether readers may see a claim in this status at all.
func (s Status) Public() bool {
	return s == StatusOpen || s == StatusResearching || s == StatusInReview || s == StatusPublished
}

// Kind says what sort of statement a claim is.
type Kind string

const (
	KindStatistic   Kind = "statistic"
	KindAttribution Kind = "attribution"
	KindEvent       Kind = "event"
	KindCausal      Kind = "causal"
	KindComparison  Kind = "comparison"
	KindQuote       Kind = "quote"
	KindOther       Kind = "other"
)

// Kinds lists the kinds in the order forms show them.
var Kinds = []Kind{KindStatistic, KindAttribution, KindEvent, KindCausal, KindComparison, KindQuote, KindOther}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Origin says who proposed a claim.
type Origin string

const (
	OriginDetected Origin = "detected"
	OriginManual   Origin = "manual"
	OriginReader   Origin = "reader" // a reader's suggestion, accepted in the desk
)

// Claim is a factual statement to check. A claim taken from a document
// carries its Anchor; a free-standing one has DocumentID nil and an empty
// anchor. Orphaned is set when an edit of the document's body left the quote
// nowhere to be found: an editor must place it again.
type Claim struct {
	ID          int64   `json:"id"`
	DocumentID  *int64  `json:"document_id"`
	Anchor              // start, end, exact, prefix, suffix
	Orphaned    bool    `json:"orphaned"`
	Text        string  `json:"text"`
	Claimant    string  `json:"claimant"`
	Kind        Kind    `json:"kind"`
	Score       float64 `json:"score"`
	Origin      Origin  `json:"origin"`
	Status      Status  `json:"status"`
	Rating      Rating  `json:"rating"`
	Explanation string  `json:"explanation"`
	// DismissReason says why a claim was triaged out; it is never public.
	DismissReason string     `json:"dismiss_reason"`
	AssigneeID    *int64     `json:"assignee_id"`
	SubmitterID   *int64     `json:"submitter_id"`
	ReviewerID    *int64     `json:"reviewer_id"`
	PublishedAt   *time.Time `json:"published_at"`
	// OverrideReason is set when an admin published their own work without
	// a second editor; readers are told, with the reason.
	OverrideReason string `json:"override_reason"`
	// DueOn is the day the assignee should be done by, Priority how much
	// it matters: the queue sorts by them (orders "due" and "-priority").
	DueOn     *time.Time `json:"due_on"`
	Priority  Priority   `json:"priority"`
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// MaxClaimRunes bounds the claim as stated.
const MaxClaimRunes = 5000

// Normalize trims the editable text fields and defaults the kind.
func (c *Claim) Normalize() {
	trimSpace(&c.Text, &c.Claimant)
	if c.Kind == "" {
		c.Kind = KindOther
	}
}

// Validate checks a claim's own fields.
func (c *Claim) Validate() error {
	f := FieldErrors{}
	if c.Text == "" {
		f.Add("text", "is required")
	}
	checkText(f, "text", c.Text, MaxClaimRunes)
	checkText(f, "claimant", c.Claimant, 200)
	checkText(f, "explanation", c.Explanation, 50000)
	checkText(f, "dismiss_reason", c.DismissReason, 1000)
	oneOf(f, "kind", c.Kind, Kinds)
	if !c.Status.Valid() {
		f.Add("status", "is not a known status")
	}
	if c.Rating != RatingNone && !c.Rating.Valid() {
		f.Add("rating", "must be a rating key: lower-case letters, digits and _")
	}
	if !c.Priority.Valid() {
		f.Add("priority", "must be 0 (none), 1 (low), 2 (normal), 3 (high) or 4 (urgent)")
	}
	if c.Score < 0 || c.Score > 1 {
		f.Add("score", "must be between 0 and 1")
	}
	return f.Err()
}

// ClaimUpdate is a partial edit of a claim: nil fields are left as they are.
// Version is the version the edit was based on.
type ClaimUpdate struct {
	Version     int
	Text        *string
	Claimant    *string
	Kind        *Kind
	AssigneeID  **int64
	Rating      *Rating
	Explanation *string
	DueOn       **time.Time
	Priority    *Priority
	Summary     string
	// Note is the public note of the correction an edit of a published
	// claim's reader-visible fields proposes.
	Note string
}

// Apply copies the set fields onto c. On a published claim it leaves what
// readers see (claim as stated, claimant, rating, explanation) as it is:
// the store folds those into a pending correction with Propose.
func (u ClaimUpdate) Apply(c *Claim) error {
	if c.Status == StatusPublished {
		u.Text, u.Claimant, u.Rating, u.Explanation = nil, nil, nil, nil
	}
	setIf(&c.Text, u.Text)
	setIf(&c.Claimant, u.Claimant)
	setIf(&c.Kind, u.Kind)
	setIf(&c.AssigneeID, u.AssigneeID)
	setIf(&c.Rating, u.Rating)
	setIf(&c.Explanation, u.Explanation)
	if u.DueOn != nil {
		c.DueOn = DueDay(*u.DueOn)
	}
	setIf(&c.Priority, u.Priority)
	c.Normalize()
	return c.Validate()
}

// setIf sets *dst to *v when an edit gives v (a partial update's field).
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// ClaimFilter selects claims for a list. Zero fields do not filter.
type ClaimFilter struct {
	Statuses   []Status
	Rating     Rating
	DocumentID int64
	AssigneeID int64
	Kind       Kind
	Query      string
	// After is the cursor of the ID orders: the ID of the last claim of the
	// previous page.
	After int64
	// Cursor is the cursor of any order: the Cursor of the previous page,
	// opaque. When set it takes the place of After.
	Cursor string
	Limit  int
	Order  string // one of ClaimOrders; "" is "id"
}

// ClaimOrders are the orders a claim list can be paged through. Ties are
// broken by ID, in the direction of the order: "-updated" and "-score" put
// the newest first among equals, "status" (the workflow order of Statuses)
// the oldest.
// "due" puts the nearest due date first and claims without one last;
// "-priority" the most urgent first.
var ClaimOrders = []string{"id", "-id", "-updated", "-score", "status", "due", "-priority"}

// slugLength bounds a slug, in bytes (a slug is ASCII).
const slugLength = 80

// apostrophes part words in a slug, as they did before the library made
// slugs ("moscow-s-warning"): the library drops them ("moscows"), which
// would move the verdicts of every possessive.
var apostrophes = strings.NewReplacer("’", " ", "'", " ")

// Slug is the readable part of a verdict URL, made from the claim text by
// gosimple/slug: ASCII (letters transliterated), lowercase, words joined
// by hyphens, at most slugLength bytes and one letter. Plain English texts
// keep the slugs the hand-made version gave; a claim whose slug changed
// (accented or non-Latin letters, "&", "@") is still found by its old
// link, as the verdict page redirects any slug to the canonical one.
func Slug(text string) string {
	s := strings.ReplaceAll(slug.Make(apostrophes.Replace(text)), "_", "-") // the library keeps "_"
	if len(s) > slugLength {
		n := slugLength
		if s[n-1] == '-' {
			n++ // a cut never ends on a hyphen: it keeps the next word's letter
		}
		s = s[:n]
	}
	if s = strings.Trim(s, "-"); s == "" {
		return "claim"
	}
	return s
}
