package models

import (
	"slices"
	"strings"
	"time"
)

// The two-person rule: a verdict, and every change readers would see of a
// published one, reaches readers only when an editor who did not write it
// approves it. This file decides who may approve what; the store feeds it
// the record and applies what it returns.

// TwoPersonRule says whether an admin may publish what they wrote.
type TwoPersonRule string

const (
	// TwoPersonOverride lets an admin approve their own work with a reason,
	// recorded and printed on the verdict page.
	TwoPersonOverride TwoPersonRule = "override"
	// TwoPersonStrict refuses every override.
	TwoPersonStrict TwoPersonRule = "strict"
)

// Valid reports whether r is a known rule.
func (r TwoPersonRule) Valid() bool { return r == TwoPersonOverride || r == TwoPersonStrict }

// Review is what the record says of the work waiting for a second editor.
type Review struct {
	// Authors wrote or changed, in this round, what is to be approved
	// (VerdictAuthors).
	Authors []int64
	// Pending is the correction waiting on a published claim, nil for none.
	Pending *PendingCorrection
	Rule    TwoPersonRule
}

// PendingCorrection is a change to what readers see of a published claim,
// waiting for a second editor. Nil fields are left as published. Readers
// see none of it until it is approved.
type PendingCorrection struct {
	Text        *string `json:"text,omitempty"`
	Claimant    *string `json:"claimant,omitempty"`
	Rating      *Rating `json:"rating,omitempty"`
	Explanation *string `json:"explanation,omitempty"`
	// Evidence are changes to the verdict's sources, applied in order.
	Evidence []EvidenceChange `json:"evidence,omitempty"`
	// Appearances are links and unlinks of the claim's appearances.
	Appearances []AppearanceChange `json:"appearances,omitempty"`
	// Note is the public note printed with the correction.
	Note      string    `json:"note"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Evidence operations of a correction.
const (
	EvidenceAdd    = "add"
	EvidenceEdit   = "edit"
	EvidenceRemove = "remove"
)

// EvidenceChange is a change to a published verdict's sources, waiting in
// its correction: a source to cite (SourceID, with stance, excerpt and
// notes), or the stance, excerpt and public note of a link to set
// (EvidenceID), or a link to remove (EvidenceID).
type EvidenceChange struct {
	Op           string `json:"op"`
	EvidenceID   int64  `json:"evidence_id,omitempty"`
	SourceID     int64  `json:"source_id,omitempty"`
	Stance       Stance `json:"stance,omitempty"`
	Excerpt      string `json:"excerpt,omitempty"`
	PublicNote   string `json:"public_note,omitempty"`
	ResearchNote string `json:"research_note,omitempty"`
}

// Empty reports whether p would change nothing.
func (p *PendingCorrection) Empty() bool {
	return p == nil || (p.Text == nil && p.Claimant == nil && p.Rating == nil && p.Explanation == nil && len(p.Evidence) == 0 && len(p.Appearances) == 0)
}

// ProposeEvidence folds a change of a published claim's sources into the
// pending correction (nil for none yet). A later change of the same link
// replaces an earlier one; removing a link drops its edit.
func ProposeEvidence(published *Claim, pending *PendingCorrection, ch EvidenceChange, note string, now time.Time) (*PendingCorrection, error) {
	next := pending.continued(note, now)
	next.Evidence = nil
	f := FieldErrors{}
	if ch.Op != EvidenceRemove {
		e := Evidence{Stance: ch.Stance, Excerpt: ch.Excerpt, PublicNote: ch.PublicNote, ResearchNote: ch.ResearchNote}
		if err := e.Validate(); err != nil {
			return nil, err
		}
	}
	if next.Note == "" {
		f.Add("note", "a correction needs a public note")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if pending != nil {
		for _, old := range pending.Evidence {
			if ch.Op != EvidenceAdd && old.Op != EvidenceAdd && old.EvidenceID == ch.EvidenceID {
				continue
			}
			next.Evidence = append(next.Evidence, old)
		}
	}
	next.Evidence = append(next.Evidence, ch)
	return &next, nil
}

// continued is the pending correction (nil for none yet) as a new change
// finds it: every change it waits with, and the new note unless that is
// blank, so an editor adding to a correction need not type its note again.
func (p *PendingCorrection) continued(note string, now time.Time) PendingCorrection {
	next := PendingCorrection{}
	if p != nil {
		next = *p
	}
	if n := strings.TrimSpace(note); n != "" {
		next.Note = n
	}
	next.UpdatedAt = now
	return next
}

// Applied returns c with the correction applied.
func (p *PendingCorrection) Applied(c Claim) Claim {
	if p == nil {
		return c
	}
	setIf(&c.Text, p.Text)
	setIf(&c.Claimant, p.Claimant)
	setIf(&c.Rating, p.Rating)
	setIf(&c.Explanation, p.Explanation)
	return c
}

// Propose folds a change of a published claim's reader-visible fields into
// the pending correction (nil for none yet) and returns the result, nil when
// it would change nothing. A field set back to its published value drops
// out. The note is kept when the new one is blank.
func Propose(published *Claim, pending *PendingCorrection, text, claimant *string, rating *Rating, explanation *string, note string, now time.Time) (*PendingCorrection, error) {
	next := pending.continued(note, now)
	fold := func(dst **string, v *string, published string) {
		if v == nil {
			return
		}
		s := strings.TrimSpace(*v)
		if s == published {
			*dst = nil
			return
		}
		*dst = &s
	}
	fold(&next.Text, text, published.Text)
	fold(&next.Claimant, claimant, published.Claimant)
	fold(&next.Explanation, explanation, published.Explanation)
	if rating != nil {
		next.Rating = rating
		if *rating == published.Rating {
			next.Rating = nil
		}
	}
	if next.Empty() {
		return nil, nil
	}
	f := FieldErrors{}
	if next.Note == "" {
		f.Add("note", "a correction needs a public note")
	}
	c := next.Applied(*published)
	requireVerdict(f, &c)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &next, nil
}

// verdictFields are the fields of a claim readers see on its verdict page.
var verdictFields = map[string]bool{"text": true, "claimant": true, "rating": true, "explanation": true}

// publicEvidenceFields are the fields of an evidence link readers see.
var publicEvidenceFields = map[string]bool{"source_id": true, "stance": true, "excerpt": true, "public_note": true}

// Revision actions the two-person rule reads.
const (
	RevisionProposeCorrection = "propose_correction"
)

// ChangesVerdict reports whether r changed something readers would see of
// the claim's verdict.
func (r *Revision) ChangesVerdict() bool {
	switch r.Entity {
	case EntityAppearance:
		return r.Action == "create" || r.Action == "delete"
	case EntityEvidence:
		if r.Action == "create" || r.Action == "delete" {
			return true
		}
		for _, ch := range r.Changes() {
			if publicEvidenceFields[ch.Field] {
				return true
			}
		}
	case EntityClaim:
		if r.Action == RevisionProposeCorrection || r.Action == string(ActionSubmit) {
			return true
		}
		for _, ch := range r.Changes() {
			if verdictFields[ch.Field] {
				return true
			}
		}
	}
	return false
}

// VerdictAuthors lists the people who wrote what now waits for approval:
// for a claim in review, its submitter and everyone who changed a
// reader-visible field or its evidence since it was last published (taking
// a span of a document as a claim writes no verdict); for a published claim,
// everyone who proposed its pending correction. revs are the claim's revisions (its own
// and its evidence's), newest first.
func VerdictAuthors(c *Claim, revs []Revision) []int64 {
	var out []int64
	add := func(id *int64) {
		if id != nil && !slices.Contains(out, *id) {
			out = append(out, *id)
		}
	}
	// A round of writing opens at the last publication (or the claim's
	// creation): whoever wrote any of the verdict since, before the
	// submission too, is not its second editor. A correction's round opens
	// when the verdict or the last correction was published or dropped.
	opens := map[string]bool{string(ActionApprove): true, string(ActionRetract): true}
	switch c.Status {
	case StatusInReview:
		add(c.SubmitterID)
	case StatusPublished:
		opens[string(ActionApprove)], opens[string(ActionSendBack)], opens[string(ActionRetract)] = true, true, true
	default:
		return nil
	}
	for i := range revs {
		r := &revs[i]
		if r.ChangesVerdict() && r.Action != "create" || (r.Entity == EntityEvidence || r.Entity == EntityAppearance) && r.Action == "create" {
			add(r.UserID)
		}
		if r.Entity == EntityClaim && opens[r.Action] {
			break
		}
	}
	return out
}

// MayApprove decides whether actor may approve what waits on c (the verdict
// in review, or the pending correction of a published claim): not if they
// wrote any of it, unless they are an admin who gives a reason under the
// override rule. override reports that the two-person rule was set aside.
func MayApprove(c *Claim, actor *User, rv Review, reason string) (override bool, err error) {
	if !slices.Contains(rv.Authors, actor.ID) {
		return false, nil
	}
	what := "this verdict"
	if c.Status == StatusPublished {
		what = "this correction"
	}
	if !actor.IsAdmin() {
		return false, Errorf(EFORBIDDEN, "a second editor must approve: you wrote or changed %s", what)
	}
	if rv.Rule == TwoPersonStrict {
		return false, Errorf(EFORBIDDEN, "a second editor must approve: you wrote or changed %s, and this newsroom allows no override", what)
	}
	if strings.TrimSpace(reason) == "" {
		return false, &Error{Code: EINVALID, Message: "approving your own work overrides the two-person rule and needs a reason",
			Fields: map[string]string{"override_reason": "say why no second editor approves it"}}
	}
	return true, nil
}
