// Package extract finds the check-worthy claims of a text: it cuts the text
// into sentences, scores each for check-worthiness with a small learned
// model plus newsroom rules, names its kind and marks its key spans. It
// also finds an anchored quote again after an edit (Reanchor) and compares
// claims (Similarity). Everything is a pure function of its input; all
// offsets are Unicode code points into the original text.
package extract

import "factdesk/models"

// Span is a key part of a sentence: a figure with its noun, a named actor,
// quoted words. Start and End are code points into the original text.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Role says what the span is: RoleFigure, RoleActor, RoleQuote or
	// RolePhrase (the checkable noun phrase of a claim without figures).
	// Spans of Sentences carry the first three.
	Role string `json:"role,omitempty"`
}

// Roles of a Span.
const (
	RoleFigure = "figure"
	RoleActor  = "actor"
	RoleQuote  = "quote"
	RolePhrase = "phrase"
)

// Sentence is one sentence of the text with its check-worthiness Score in
// [0,1], its Kind and its key Spans. Start and End are code points into the
// original text. Claimant is who the sentence credits its claim to, when
// it names someone (see SuggestClaimant); detection does not know the
// document, so it never proposes the author.
type Sentence struct {
	Start    int                 `json:"start"`
	End      int                 `json:"end"`
	Text     string              `json:"text"`
	Score    float64             `json:"score"`
	Kind     models.Kind         `json:"kind"`
	Spans    []Span              `json:"spans"`
	Claimant *ClaimantSuggestion `json:"claimant,omitempty"`
}

// DefaultThreshold is the cut between a candidate and the rest: the
// calibrated score with the best F1 on the latest debates of the
// CheckThat! training set, held out from a model trained on the others
// (BuildModel; the embedded model records it too).
const DefaultThreshold = 0.33

// Sentences returns every sentence of text, scored, in text order.
func Sentences(text string) []Sentence {
	return sentencesWith(defaultModel, text)
}

// Detect returns the sentences whose score reaches threshold, in text order.
func Detect(text string, threshold float64) []Sentence {
	all := Sentences(text)
	out := all[:0]
	for _, s := range all {
		if s.Score >= threshold {
			out = append(out, s)
		}
	}
	return out
}

func sentencesWith(m *Model, text string) []Sentence {
	r := []rune(text)
	segs := segmentText(r)
	out := make([]Sentence, 0, len(segs))
	sc := scorer{m: m}
	previous := ""
	for _, g := range segs {
		st := string(r[g.start:g.end])
		score, cues := sc.score(st, g.heading)
		spans, quoted := findSpans(st, g.start, sc.toks, g.heading)
		s := Sentence{
			Start: g.start, End: g.end, Text: st,
			Score: round4(score), Kind: kindOf(cues, quoted), Spans: spans,
		}
		if !g.heading { // a title credits no one
			if c := claimantIn(st, sc.toks, previous); c != nil {
				c.Start += g.start
				c.End += g.start
				s.Claimant = c
			}
			previous = st
		} else {
			previous = ""
		}
		out = append(out, s)
	}
	return out
}
