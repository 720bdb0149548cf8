package models

// Rating is the verdict on a claim. The empty rating means none was given.
type Rating string

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

// Ratings is the scale in the order readers see it in "how we check".
var Ratings = []Rating{RatingTrue, RatingMostlyTrue, RatingMixed, RatingMostlyFalse, RatingFalse, RatingMisleading, RatingUnproven}

var ratingLabels = map[Rating]string{
	RatingTrue:        "True",
	RatingMostlyTrue:  "Mostly true",
	RatingMixed:       "Half true",
	RatingMostlyFalse: "Mostly false",
	RatingFalse:       "False",
	RatingMisleading:  "Misleading",
	RatingUnproven:    "Unproven",
}

var ratingDescriptions = map[Rating]string{
	RatingTrue:        "The statement is accurate and nothing significant is missing.",
	RatingMostlyTrue:  "The statement is accurate but needs clarification or additional information.",
	RatingMixed:       "The statement is partially accurate but leaves out important details or takes things out of context.",
	RatingMostlyFalse: "The statement contains an element of truth but ignores critical facts that would give a different impression.",
	RatingFalse:       "The statement is not accurate.",
	RatingMisleading:  "The statement uses accurate facts in a way that gives a false impression.",
	RatingUnproven:    "The evidence available does not allow the statement to be confirmed or refuted.",
}

// schema.org ClaimReview ratingValue on 1..5; unproven has none.
var ratingValues = map[Rating]int{
	RatingTrue:        5,
	RatingMostlyTrue:  4,
	RatingMixed:       3,
	RatingMostlyFalse: 2,
	RatingFalse:       1,
	RatingMisleading:  2,
}

// Valid reports whether r is on the scale (the empty rating is not).
func (r Rating) Valid() bool { _, ok := ratingLabels[r]; return ok }

// Label is the reader-facing name of the rating.
func (r Rating) Label() string { return ratingLabels[r] }

// Description says what the rating means, for the "how we check" section.
func (r Rating) Description() string { return ratingDescriptions[r] }

// Value is the ClaimReview ratingValue; ok is false for ratings without one.
func (r Rating) Value() (value int, ok bool) { v, ok := ratingValues[r]; return v, ok }

// Best and worst ClaimReview rating values.
const (
	RatingBestValue  = 5
	RatingWorstValue = 1
)
