package models

import (
	"strings"
	"unicode/utf8"
)

// QuoteContext is how many code points of prefix and suffix an anchor keeps.
const QuoteContext = 32

// Anchor ties a claim to the words of its document, as the W3C Web
// Annotation selectors do: a TextPositionSelector (Start, End in Unicode code
// points of the body) and a TextQuoteSelector (Exact, Prefix, Suffix).
type Anchor struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

// NewAnchor computes the quote of body between code points start and end.
// An empty or out-of-range span is invalid.
func NewAnchor(body string, start, end int) (Anchor, error) {
	return NewAnchorRunes([]rune(body), start, end)
}

// NewAnchorRunes is NewAnchor over a body already decoded to code points, for
// callers anchoring many claims in one document.
func NewAnchorRunes(runes []rune, start, end int) (Anchor, error) {
	f := FieldErrors{}
	switch {
	case start < 0 || start > len(runes):
		f.Add("start", "is outside the document")
	case end < 0 || end > len(runes):
		f.Add("end", "is outside the document")
	case end <= start:
		f.Add("end", "must be after start: the span is empty")
	}
	if err := f.Err(); err != nil {
		return Anchor{}, err
	}
	return Anchor{
		Start:  start,
		End:    end,
		Exact:  string(runes[start:end]),
		Prefix: string(runes[max(0, start-QuoteContext):start]),
		Suffix: string(runes[end:min(len(runes), end+QuoteContext)]),
	}, nil
}

// QuoteAnchor anchors a claim on the first place body holds quote. ok is
// false when body does not hold it (or quote is empty).
func QuoteAnchor(body, quote string) (a Anchor, ok bool) {
	i := strings.Index(body, quote)
	if i < 0 {
		return Anchor{}, false
	}
	start := utf8.RuneCountInString(body[:i])
	a, err := NewAnchor(body, start, start+utf8.RuneCountInString(quote))
	return a, err == nil
}

// RuneOffsets converts code-point offsets of s to byte offsets, for code that
// slices Go strings. Offsets past the end map to len(s).
func RuneOffsets(s string, points ...int) []int {
	out := make([]int, len(points))
	for i := range out {
		out[i] = len(s)
	}
	n := 0
	for b := range s {
		for i, p := range points {
			if p == n {
				out[i] = b
			}
		}
		n++
	}
	return out
}
