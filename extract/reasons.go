package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchScore is the least similarity worth offering an editor as "already
// checked".
const MatchScore = 0.3

// Reasons says why two claims match, in the words of the first: the figures
// and actors they share, then the other words.
type Reasons struct {
	Figures []string `json:"figures"`
	Actors  []string `json:"actors"`
	Words   []string `json:"words"`
}

// Empty reports whether nothing is shared.
func (r Reasons) Empty() bool { return len(r.Figures)+len(r.Actors)+len(r.Words) == 0 }

// String is the reasons as one line for a page: "23,000 · Russia · terrorists".
func (r Reasons) String() string {
	var parts []string
	parts = append(parts, r.Figures...)
	parts = append(parts, r.Actors...)
	parts = append(parts, r.Words...)
	return strings.Join(parts, " · ")
}

// Match says whether claim b states what claim a states, how strongly
// (Similarity) and why. A figure is the claim: when both state figures and
// share none ("23,000 terrorists", "2,300 refugees"), they are not the same
// claim however many words they share.
func Match(a, b string) (score float64, why Reasons, ok bool) { return MatcherOf(a).Match(b) }

// A Matcher is one claim read once, to be matched against many: matching a
// proposal against its 400 candidates read it 1,600 times before.
type Matcher struct{ terms claimTerms }

// MatcherOf reads claim a for Match.
func MatcherOf(a string) Matcher { return Matcher{termsOf(a)} }

// Similarity is Similarity(a, b) for the claim m was made of.
func (m Matcher) Similarity(b string) float64 { return similarity(m.terms, termsOf(b)) }

// Match is Match(a, b) for the claim m was made of.
func (m Matcher) Match(b string) (score float64, why Reasons, ok bool) {
	ta, tb := m.terms, termsOf(b)
	if len(ta.figures) > 0 && len(tb.figures) > 0 && dice(ta.figures, tb.figures) == 0 {
		return 0, Reasons{}, false
	}
	score = similarity(ta, tb)
	if score < MatchScore {
		return score, Reasons{}, false
	}
	for _, k := range sortedShared(ta.figures, tb.figures) {
		why.Figures = append(why.Figures, ta.said[k])
	}
	for _, k := range sortedShared(ta.names, tb.names) {
		if ta.figures[k] {
			continue
		}
		why.Actors = append(why.Actors, titleWords(ta.said[k]))
	}
	for _, k := range sortedShared(ta.words, tb.words) {
		if ta.figures[k] || ta.names[k] {
			continue
		}
		why.Words = append(why.Words, ta.said[k])
	}
	return score, why, true
}

func sortedShared(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func titleWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}
