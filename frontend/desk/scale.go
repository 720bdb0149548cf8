package desk

import (
	"io"

	"factdesk/models"
)

// ScalePage is /desk/scale: the admin's editor of the rating scale, a
// plain form (one row per rating, blank rows to add one) and the presets.
type ScalePage struct {
	Chrome
	Version     int64
	Best, Worst string
	Rows        []ScaleRow
	Mode        models.RelabelMode
	Note        string
	Presets     []models.Preset
	Errors      Errors
	// Conflict is set when the scale changed since the form was opened:
	// the form keeps what was typed, on the current version.
	Conflict bool
}

// ScaleRow is one rating in the form. N numbers the row's fields
// (key_N, label_N, …) and its error keys (row-N-label, …).
type ScaleRow struct {
	N                                      int
	Key, Label, Description, Colour, Value string
	Order                                  string
	Retired, Remove                        bool
	New                                    bool // a blank row for a new rating
	Claims, Published                      int  // how many claims hold it
}

// Colours is the palette a rating may take.
func (ScalePage) Colours() []models.Colour { return models.Colours }

// Modes are the ways a change of published verdicts is published.
func (ScalePage) Modes() []ScaleMode {
	return []ScaleMode{
		{models.RelabelReview, "Propose a correction of each verdict, for a second editor to approve"},
		{models.RelabelApplyAll, "Apply to all verdicts at once, with one public note on each"},
	}
}

// ScaleMode is a choice of RelabelMode with its explanation.
type ScaleMode struct {
	Mode  models.RelabelMode
	Label string
}

// Scale renders the scale editor.
func (r *Renderer) Scale(w io.Writer, p *ScalePage) error { return r.render(w, pageScale, p) }
