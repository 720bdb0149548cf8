package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/models"
)

// Candidate weights, as Hypothesis scores them (client/src/annotator/anchoring/
// match-quote.ts): the quote itself matters most, then its context, and the
// old position only breaks ties.
const (
	weightQuote    = 50
	weightPrefix   = 20
	weightSuffix   = 20
	weightPosition = 2
)

// maxFuzzyCells bounds the fuzzy search (quote length × text searched), so
// that a very long quote in a very long body stays fast: beyond it the
// search is limited to a window around the old position.
const maxFuzzyCells = 40_000_000

// Reanchor finds the quote of old in an edited body: first as an exact
// match (the best-fitting occurrence when there are several), then between
// its unchanged prefix and suffix, then as a fuzzy match with up to half
// the quote's length in edits. An inexact match must keep every figure of
// the quote: the figure is what gets checked, so "23,000 fighters" edited to
// "23,500 fighters" (or to "thousands of fighters") is for an editor to
// judge, not a match. ok is false when none is found: the anchor is an
// orphan and must not be moved.
func Reanchor(old models.Anchor, body string) (models.Anchor, bool) {
	if old.Exact == "" {
		return models.Anchor{}, false
	}
	a := anchorSearch{
		text:   []rune(body),
		quote:  []rune(old.Exact),
		prefix: []rune(old.Prefix),
		suffix: []rune(old.Suffix),
		hint:   old.Start,
	}
	best, ok := a.exact()
	if !ok {
		best, ok = a.between()
	}
	if !ok {
		best, ok = a.fuzzy()
	}
	if !ok {
		return models.Anchor{}, false
	}
	na, err := models.NewAnchor(body, best.start, best.end)
	if err != nil {
		return models.Anchor{}, false
	}
	return na, true
}

type anchorSearch struct {
	text, quote, prefix, suffix []rune
	hint                        int
}

// figures are the numbers of a text, separators dropped ("23,000" and
// "23000" are one figure), sorted, so two texts can be compared for them.
func figures(rs []rune) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsDigit(r):
			cur = append(cur, r)
		case (r == ',' || r == '.') && len(cur) > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			// a thousands separator or a decimal point inside the figure
			if r == '.' {
				cur = append(cur, r)
			}
		default:
			flush()
		}
	}
	flush()
	slices.Sort(out)
	return out
}

type candidate struct {
	start, end, errs int
	score            float64
}

// score rates a candidate the way Hypothesis does, in [0,1].
func (a *anchorSearch) score(c candidate) float64 {
	q := 1 - float64(c.errs)/float64(len(a.quote))
	p := contextFit(a.prefix, a.text[max(0, c.start-len(a.prefix)):c.start])
	s := contextFit(a.suffix, a.text[c.end:min(len(a.text), c.end+len(a.suffix))])
	pos := 1.0
	if len(a.text) > 0 {
		pos = 1 - float64(abs(c.start-a.hint))/float64(len(a.text))
	}
	return (weightQuote*q + weightPrefix*p + weightSuffix*s + weightPosition*pos) /
		(weightQuote + weightPrefix + weightSuffix + weightPosition)
}

// contextFit is how well the text around a candidate matches the stored
// context: 1 - edit distance / length. An empty context fits only the edge
// of the text, where it was empty too.
func contextFit(want, got []rune) float64 {
	if len(want) == 0 {
		if len(got) == 0 {
			return 1
		}
		return 0.5
	}
	d := levenshtein(want, got)
	return max(0, 1-float64(d)/float64(len(want)))
}

func (a *anchorSearch) pick(cs []candidate) (candidate, bool) {
	var best candidate
	found := false
	var want []string
	if len(cs) > 0 {
		want = figures(a.quote)
	}
	for _, c := range cs {
		if c.errs > 0 && !slices.Equal(figures(a.text[c.start:c.end]), want) {
			continue
		}
		c.score = a.score(c)
		if !found || c.score > best.score ||
			c.score == best.score && abs(c.start-a.hint) < abs(best.start-a.hint) {
			best, found = c, true
		}
	}
	return best, found
}

// exact collects every occurrence of the quote.
func (a *anchorSearch) exact() (candidate, bool) {
	body, q := string(a.text), string(a.quote)
	var cs []candidate
	pos, runes := 0, 0
	for {
		i := strings.Index(body[pos:], q)
		if i < 0 {
			break
		}
		runes += utf8.RuneCountInString(body[pos : pos+i])
		cs = append(cs, candidate{start: runes, end: runes + len(a.quote)})
		_, w := utf8.DecodeRuneInString(body[pos+i:])
		pos += i + w
		runes++
	}
	return a.pick(cs)
}

// between looks for the stored prefix and suffix still standing together,
// with an edited quote between them. Only the prefix occurrences nearest
// the old position are tried, and for each the suffix nearest the quote's
// old length, so a repetitive text cannot make this quadratic.
func (a *anchorSearch) between() (candidate, bool) {
	if len(a.prefix) < 4 || len(a.suffix) < 4 {
		return candidate{}, false
	}
	limit := len(a.quote) / 2
	starts := indexRunes(a.text, a.prefix)
	slices.SortStableFunc(starts, func(x, y int) int { return abs(x-a.hint) - abs(y-a.hint) })
	var cs []candidate
	for _, ps := range starts[:min(len(starts), 4)] {
		s := ps + len(a.prefix)
		for d := 0; d <= limit; d++ {
			e := s + len(a.quote) + d
			if !hasAt(a.text, a.suffix, e) {
				e = s + len(a.quote) - d
				if d == 0 || e <= s || !hasAt(a.text, a.suffix, e) {
					continue
				}
			}
			if dist := levenshteinWithin(a.quote, a.text[s:e], limit); dist <= limit {
				cs = append(cs, candidate{start: s, end: e, errs: dist})
			}
			break
		}
	}
	return a.pick(cs)
}

// fuzzy finds the substrings of the text within half the quote's length
// in edits (Sellers' algorithm, tracking where each alignment starts) and
// keeps the best-scored one.
func (a *anchorSearch) fuzzy() (candidate, bool) {
	m := len(a.quote)
	limit := m / 2
	if m == 0 || len(a.text) == 0 {
		return candidate{}, false
	}
	lo, hi := 0, len(a.text)
	if m*len(a.text) > maxFuzzyCells {
		half := maxFuzzyCells / m / 2
		lo, hi = max(0, a.hint-half), min(len(a.text), a.hint+half)
	}
	prev, cur := make([]int, m+1), make([]int, m+1)
	prevS, curS := make([]int, m+1), make([]int, m+1)
	for i := range prev {
		prev[i], prevS[i] = i, lo
	}
	var cs []candidate
	inRun := false // the previous end position matched too
	for j := lo + 1; j <= hi; j++ {
		c := a.text[j-1]
		cur[0], curS[0] = 0, j
		for i := 1; i <= m; i++ {
			sub := prev[i-1]
			if a.quote[i-1] != c {
				sub++
			}
			v, s := sub, prevS[i-1]
			if d := prev[i] + 1; d < v {
				v, s = d, prevS[i]
			}
			if d := cur[i-1] + 1; d < v {
				v, s = d, curS[i-1]
			}
			cur[i], curS[i] = v, s
		}
		if cur[m] <= limit && curS[m] < j {
			cd := candidate{start: curS[m], end: j, errs: cur[m]}
			// Neighbouring ends describe the same match: keep the cheapest.
			if n := len(cs); inRun && n > 0 {
				if cd.errs < cs[n-1].errs {
					cs[n-1] = cd
				}
			} else {
				cs = append(cs, cd)
			}
			inRun = true
		} else {
			inRun = false
		}
		prev, cur = cur, prev
		prevS, curS = curS, prevS
	}
	return a.pick(cs)
}

func indexRunes(text, pat []rune) []int {
	var out []int
	for i := 0; i+len(pat) <= len(text); i++ {
		if hasAt(text, pat, i) {
			out = append(out, i)
		}
	}
	return out
}

func hasAt(text, pat []rune, i int) bool {
	if i < 0 || i+len(pat) > len(text) {
		return false
	}
	for k, r := range pat {
		if text[i+k] != r {
			return false
		}
	}
	return true
}

// levenshtein is the edit distance between two rune slices.
func levenshtein(a, b []rune) int { return levenshteinWithin(a, b, len(a)+len(b)) }

// levenshteinWithin is the edit distance, or limit+1 as soon as every
// alignment of a prefix of a already costs more than limit.
func levenshteinWithin(a, b []rune, limit int) int {
	if len(a) == 0 {
		return len(b)
	}
	if len(b) == 0 {
		return len(a)
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		best := i
		for j := 1; j <= len(b); j++ {
			up := row[j]
			v := diag
			if a[i-1] != b[j-1] {
				v++
			}
			v = min(v, up+1, row[j-1]+1)
			row[j] = v
			diag = up
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
	}
	return row[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
