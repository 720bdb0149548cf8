package models

import (
	"fmt"
	"slices"
	"strings"
)

// Changing what a published verdict's rating says to readers (its label or
// its ClaimReview value) changes the verdict: it is a correction. The
// admin chooses how it is published.
type RelabelMode string

const (
	// RelabelReview proposes a correction of each verdict, approved one by
	// one by a second editor; until then each keeps the old wording, kept
	// on the scale as a retired copy of the rating.
	RelabelReview RelabelMode = "review"
	// RelabelApplyAll changes every verdict at once and prints one public
	// note on each as a correction.
	RelabelApplyAll RelabelMode = "apply_all"
)

// ScaleEdit is an admin's change of the scale.
type ScaleEdit struct {
	Scale Scale `json:"scale"`
	// Version is the version of the scale the edit was based on.
	Version int64       `json:"version"`
	Mode    RelabelMode `json:"mode"`
	Note    string      `json:"note"`
}

// RatingUse is how many claims hold a rating: any claim (or pending
// correction), and published verdicts.
type RatingUse struct {
	Claims    int
	Published int
}

// ScalePlan is what an edit does.
type ScalePlan struct {
	// Next is the scale to store.
	Next Scale
	// Changed are the ratings published verdicts use whose label or value
	// changes.
	Changed []Rating
	// Archive maps, in review mode, each changed rating to the retired copy
	// of its old wording that its published verdicts keep until their
	// correction is approved.
	Archive map[Rating]Rating
	Mode    RelabelMode
	Note    string
}

// PlanScale decides what edit does to the scale old, given the ratings in
// use: a rating in use cannot leave the scale (retire it), and a change of
// what published verdicts say needs a mode and a public note.
func PlanScale(old Scale, edit ScaleEdit, use map[Rating]RatingUse) (ScalePlan, error) {
	next := edit.Scale
	next.Ratings = slices.Clone(next.Ratings)
	next.Tidy()
	if err := next.Validate(); err != nil {
		return ScalePlan{}, err
	}
	f := FieldErrors{}
	for _, r := range old.Ratings {
		if _, ok := next.Find(r.Key); !ok && use[r.Key].Claims > 0 {
			f.Add("ratings", fmt.Sprintf("%s (%s) is used by %d claims: retire it instead of removing it", r.Label, r.Key, use[r.Key].Claims))
		}
	}
	if err := f.Err(); err != nil {
		return ScalePlan{}, err
	}
	plan := ScalePlan{Next: next, Note: strings.TrimSpace(edit.Note)}
	boundsMoved := old.BestRating != next.BestRating || old.WorstRating != next.WorstRating
	for _, was := range old.Ratings {
		now, ok := next.Find(was.Key)
		if !ok || use[was.Key].Published == 0 {
			continue
		}
		valued := was.Value != nil || now.Value != nil
		if was.Label != now.Label || !sameValue(was.Value, now.Value) || boundsMoved && valued {
			plan.Changed = append(plan.Changed, was.Key)
		}
	}
	if len(plan.Changed) == 0 {
		return plan, nil
	}
	n := 0
	for _, k := range plan.Changed {
		n += use[k].Published
	}
	switch edit.Mode {
	case RelabelReview, RelabelApplyAll:
		plan.Mode = edit.Mode
	default:
		f.Add("mode", fmt.Sprintf("%d published verdicts say what changes: choose review (a correction of each, approved by a second editor) or apply_all (one public note on all)", n))
	}
	if plan.Note == "" {
		f.Add("note", "changing what published verdicts say is a correction: it needs a public note")
	}
	if err := f.Err(); err != nil {
		return ScalePlan{}, err
	}
	if plan.Mode == RelabelReview {
		plan.Archive = map[Rating]Rating{}
		for _, k := range plan.Changed {
			was, _ := old.Find(k)
			was.Key = archiveKey(&plan.Next, k, old.Version)
			was.Retired = true
			if boundsMoved && was.Value != nil {
				// The old value meant something only on the old bounds.
				was.Value = nil
			}
			was.Label = uniqueLabel(&plan.Next, was.Label)
			plan.Next.Ratings = append(plan.Next.Ratings, was)
			plan.Archive[k] = was.Key
		}
		if err := plan.Next.Validate(); err != nil {
			return ScalePlan{}, err
		}
	}
	return plan, nil
}

func sameValue(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// archiveKey is a free key for the old wording of k: k_v<version>.
func archiveKey(s *Scale, k Rating, version int64) Rating {
	base := string(k)
	if len(base) > 30 {
		base = base[:30]
	}
	for i := 0; ; i++ {
		key := Rating(fmt.Sprintf("%s_v%d", base, version))
		if i > 0 {
			key = Rating(fmt.Sprintf("%s_v%d_%d", base, version, i))
		}
		if _, taken := s.Find(key); !taken {
			return key
		}
	}
}

// uniqueLabel keeps the old label unless the new scale gave it to another
// rating, in which case it says it is the earlier wording.
func uniqueLabel(s *Scale, label string) string {
	taken := func(l string) bool {
		for _, r := range s.Ratings {
			if strings.EqualFold(r.Label, l) {
				return true
			}
		}
		return false
	}
	if !taken(label) {
		return label
	}
	// Readers see it on a verdict until its correction is approved: it
	// says plainly that the word is the earlier scale's.
	for i := 1; ; i++ {
		l := label + " (earlier scale)"
		if i > 1 {
			l = fmt.Sprintf("%s (earlier scale %d)", label, i)
		}
		if !taken(l) {
			return l
		}
	}
}

// FromPreset is the scale an admin gets by applying preset p to the scale
// old: the preset's ratings, then every rating of old that claims still
// use and the preset lacks, kept retired (a rating in use never leaves the
// scale), its label made unique on the new scale.
func FromPreset(old Scale, p Preset, use map[Rating]RatingUse) Scale {
	next := p.Scale
	next.Ratings = slices.Clone(p.Scale.Ratings)
	next.Version = old.Version
	for _, r := range old.Ratings {
		if _, ok := next.Find(r.Key); ok || use[r.Key].Claims == 0 {
			continue
		}
		r.Retired = true
		r.Label = uniqueLabel(&next, r.Label)
		if r.Value != nil && (*r.Value < next.WorstRating || *r.Value > next.BestRating) {
			r.Value = nil
		}
		next.Ratings = append(next.Ratings, r)
	}
	return next
}
