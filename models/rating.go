package models

import "regexp"

// Rating is the key of a verdict's rating on the newsroom's scale (see
// Scale). The empty rating means none was given.
type Rating string

// The keys of the default scale. Claims rated before a newsroom changed
// its scale keep these keys.
const (
	RatingNone        Rating = ""
	RatingTrue        Rating = "true"
	RatingMostlyTrue  Rating = "mostly_true"
	RatingMixed       Rating = "mixed"
	RatingMostlyFalse Rating = "mostly_false"
	RatingFalse       Rating = "false"
	RatingMisleading  Rating = "misleading"
	RatingUnproven    Rating = "unproven"
)

var ratingKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Valid reports whether r is well formed as a key. Whether the scale
// offers it is Scale.Offer's question: a claim keeps a key its scale has
// since retired.
func (r Rating) Valid() bool { return ratingKey.MatchString(string(r)) }
