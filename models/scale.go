package models

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Scale is the newsroom's rating scale: the ratings an editor may give, in
// the order readers see them in "how we check", and how each maps to
// schema.org ClaimReview. It is data an admin edits; the store keeps it.
type Scale struct {
	Ratings []ScaleRating `json:"ratings"`
	// BestRating and WorstRating bound the ClaimReview ratingValue of
	// every rating that has one (schema.org: bestRating, worstRating).
	BestRating  int `json:"best_rating"`
	WorstRating int `json:"worst_rating"`
	// Version moves with every change: an edit names the version it was
	// based on, and the reader pages' stamps carry it.
	Version int64 `json:"version"`
}

// ScaleRating is one step of the scale.
type ScaleRating struct {
	Key         Rating `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Colour      Colour `json:"colour"`
	// Value is the ClaimReview ratingValue; nil for a rating that has no
	// place on a numeric scale ("Unproven", or every step of a scale
	// without labels), which ClaimReview then names by alternateName alone.
	Value *int `json:"rating_value"`
	// Retired ratings are not offered for new verdicts; the verdicts
	// that use them keep showing them.
	Retired bool `json:"retired"`
}

// Colour is one of a fixed palette: each pair of text and background was
// checked for contrast (WCAG AA) in the stylesheet, and the reader pages'
// policy allows no inline styles, so a free hex value could not be shown.
type Colour string

// Colours are the palette, from the truest to the falsest.
var Colours = []Colour{"green", "olive", "amber", "orange", "red", "purple", "slate"}

func (c Colour) valid() bool {
	for _, x := range Colours {
		if x == c {
			return true
		}
	}
	return false
}

// Find returns the rating of key k.
func (s *Scale) Find(k Rating) (ScaleRating, bool) {
	for _, r := range s.Ratings {
		if r.Key == k {
			return r, true
		}
	}
	return ScaleRating{}, false
}

// Offered lists the ratings an editor may give a new verdict.
func (s *Scale) Offered() []ScaleRating {
	var out []ScaleRating
	for _, r := range s.Ratings {
		if !r.Retired {
			out = append(out, r)
		}
	}
	return out
}

// Offer refuses a rating the scale does not offer for a new verdict.
func (s *Scale) Offer(k Rating) error {
	r, ok := s.Find(k)
	if !ok {
		return &Error{Code: EINVALID, Message: "the rating is not on the scale",
			Fields: map[string]string{"rating": fmt.Sprintf("%q is not on the newsroom's scale", k)}}
	}
	if r.Retired {
		return &Error{Code: EINVALID, Message: "the rating is retired",
			Fields: map[string]string{"rating": fmt.Sprintf("%s is retired: it is not given to new verdicts", r.Label)}}
	}
	return nil
}

// Validate checks the scale as a whole: keys well formed and unique, labels
// present and unique, colours from the palette, values within best and
// worst, and at least one rating on offer.
func (s *Scale) Validate() error {
	f := FieldErrors{}
	if s.BestRating <= s.WorstRating {
		f.Add("best_rating", "must be greater than worst_rating")
	}
	if len(s.Ratings) == 0 {
		f.Add("ratings", "a scale needs at least one rating")
	}
	if len(s.Ratings) > 40 {
		f.Add("ratings", "a scale has at most 40 ratings")
	}
	keys, labels, offered := map[Rating]bool{}, map[string]bool{}, 0
	for i, r := range s.Ratings {
		at := func(field string) string { return fmt.Sprintf("ratings[%d].%s", i, field) }
		if !r.Key.Valid() {
			f.Add(at("key"), "lower-case letters, digits and _, starting with a letter, at most 40")
		} else if keys[r.Key] {
			f.Add(at("key"), fmt.Sprintf("%q is on the scale twice", r.Key))
		}
		keys[r.Key] = true
		label := strings.TrimSpace(r.Label)
		switch {
		case label == "":
			f.Add(at("label"), "a rating needs a label")
		case utf8.RuneCountInString(label) > 40:
			f.Add(at("label"), "at most 40 characters")
		case labels[strings.ToLower(label)]:
			f.Add(at("label"), fmt.Sprintf("%q is on the scale twice", label))
		}
		labels[strings.ToLower(label)] = true
		if utf8.RuneCountInString(r.Description) > 500 {
			f.Add(at("description"), "at most 500 characters")
		}
		if !r.Colour.valid() {
			f.Add(at("colour"), "must be one of "+joinColours())
		}
		if r.Value != nil && (*r.Value < s.WorstRating || *r.Value > s.BestRating) {
			f.Add(at("rating_value"), fmt.Sprintf("must be between worst_rating %d and best_rating %d", s.WorstRating, s.BestRating))
		}
		if !r.Retired {
			offered++
		}
	}
	if len(s.Ratings) > 0 && offered == 0 {
		f.Add("ratings", "at least one rating must be on offer (not retired)")
	}
	return f.Err()
}

func joinColours() string {
	out := make([]string, len(Colours))
	for i, c := range Colours {
		out[i] = string(c)
	}
	return strings.Join(out, ", ")
}

// Tidy trims the labels and descriptions.
func (s *Scale) Tidy() {
	for i := range s.Ratings {
		s.Ratings[i].Label = strings.TrimSpace(s.Ratings[i].Label)
		s.Ratings[i].Description = strings.TrimSpace(s.Ratings[i].Description)
	}
}

func value(v int) *int { return &v }

// DefaultScale is the scale Factdesk starts with (the migration seeds it).
func DefaultScale() Scale {
	return Scale{BestRating: 5, WorstRating: 1, Version: 1, Ratings: []ScaleRating{
		{Key: RatingTrue, Label: "True", Colour: "green", Value: value(5), Description: "The statement is accurate and nothing significant is missing."},
		{Key: RatingMostlyTrue, Label: "Mostly true", Colour: "olive", Value: value(4), Description: "The statement is accurate but needs clarification or additional information."},
		{Key: RatingMixed, Label: "Half true", Colour: "amber", Value: value(3), Description: "The statement is partially accurate but leaves out important details or takes things out of context."},
		{Key: RatingMostlyFalse, Label: "Mostly false", Colour: "orange", Value: value(2), Description: "The statement contains an element of truth but ignores critical facts that would give a different impression."},
		{Key: RatingFalse, Label: "False", Colour: "red", Value: value(1), Description: "The statement is not accurate."},
		{Key: RatingMisleading, Label: "Misleading", Colour: "purple", Value: value(2), Description: "The statement uses accurate facts in a way that gives a false impression."},
		{Key: RatingUnproven, Label: "Unproven", Colour: "slate", Description: "The evidence available does not allow the statement to be confirmed or refuted."},
	}}
}

// Preset is a ready-made scale an admin may start from.
type Preset struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	About string `json:"about"`
	Scale Scale  `json:"scale"`
}

// Presets are the scales offered as starting points.
func Presets() []Preset {
	return []Preset{
		{Name: "factdesk", Title: "Factdesk (five steps, Misleading, Unproven)", About: "The scale Factdesk starts with.", Scale: DefaultScale()},
		{Name: "six-step", Title: "Six steps, Pants on Fire to True", About: "A Truth-O-Meter-style scale: ratingValue 1 (Pants on Fire) to 6 (True).",
			Scale: Scale{BestRating: 6, WorstRating: 1, Ratings: []ScaleRating{
				{Key: RatingTrue, Label: "True", Colour: "green", Value: value(6), Description: "The statement is accurate and there's nothing significant missing."},
				{Key: RatingMostlyTrue, Label: "Mostly True", Colour: "olive", Value: value(5), Description: "The statement is accurate but needs clarification or additional information."},
				{Key: "half_true", Label: "Half True", Colour: "amber", Value: value(4), Description: "The statement is partially accurate but leaves out important details or takes things out of context."},
				{Key: RatingMostlyFalse, Label: "Mostly False", Colour: "orange", Value: value(3), Description: "The statement contains an element of truth but ignores critical facts that would give a different impression."},
				{Key: RatingFalse, Label: "False", Colour: "red", Value: value(2), Description: "The statement is not accurate."},
				{Key: "pants_on_fire", Label: "Pants on Fire", Colour: "purple", Value: value(1), Description: "The statement is not accurate and makes a ridiculous claim."},
			}}},
		{Name: "no-label", Title: "No label: the explanation says it", About: "Like Full Fact: no rating word and no ratingValue; readers and ClaimReview get the conclusion in words.",
			Scale: Scale{BestRating: 5, WorstRating: 1, Ratings: []ScaleRating{
				{Key: "checked", Label: "Our conclusion", Colour: "slate", Description: "We publish no rating: the explanation gives our conclusion in words."},
			}}},
	}
}

// PresetNamed returns the preset called name.
func PresetNamed(name string) (Preset, bool) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// Labelless reports whether the scale publishes no rating word: no rating
// has a value and there is one to give. Its verdicts are told by their
// explanation (ClaimReview's alternateName carries the conclusion).
func (s *Scale) Labelless() bool {
	if len(s.Offered()) != 1 {
		return false
	}
	for _, r := range s.Ratings {
		if r.Value != nil {
			return false
		}
	}
	return true
}
