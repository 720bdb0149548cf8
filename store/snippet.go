package store

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// snippetTokens is how many tokens a snippet shows at most, as FTS4's
// snippet(…, 24) did.
const snippetTokens = 24

// snippet returns the passage of the best of columns for the query terms:
// the column matching the most distinct terms (then the most hits), cut to
// snippetTokens tokens around its matches, with each match between
// MarkStart and MarkEnd and "…" where text was cut. It is made in Go from
// the rows already read for the page: FTS4's snippet() needs a second
// full-text query, which reads a common word's whole doclist again.
func snippet(terms [][]string, columns ...string) string {
	folded := make([][]string, len(terms))
	for i, t := range terms {
		folded[i] = make([]string, len(t))
		for j, tok := range t {
			folded[i][j] = foldToken(tok)
		}
	}
	best, bestScore := -1, 0
	var bestToks []token
	var bestHits []hit
	columns = slices.Clone(columns)
	cut := make([][2]bool, len(columns)) // text left out before, after
	for c := range columns {
		columns[c], cut[c] = snippetRegion(columns[c], folded)
	}
	for c, text := range columns {
		toks := tokenize(text)
		hits := findHits(toks, folded)
		if s := hitScore(hits, 0, len(toks)); s > bestScore {
			best, bestScore, bestToks, bestHits = c, s, toks, hits
		}
	}
	if best < 0 {
		// No column holds the words as tokens (a stray match): the start
		// of the first non-empty column.
		for c, text := range columns {
			if toks := tokenize(text); len(toks) > 0 {
				return withCuts(cutSnippet(text, toks, nil, 0, min(len(toks), snippetTokens)), cut[c])
			}
		}
		return ""
	}
	toks, hits := bestToks, bestHits
	start, end := 0, len(toks)
	if len(toks) > snippetTokens {
		// The window with the best score; the first match of it a little
		// in from its start, so the words before it give context.
		start, bestScore = 0, -1
		for i, h := range hits {
			s := max(0, min(h.first-2, len(toks)-snippetTokens))
			from := sort.Search(i+1, func(k int) bool { return hits[k].first >= s })
			if sc := hitScore(hits[from:], s, s+snippetTokens); sc > bestScore {
				start, bestScore = s, sc
			}
		}
		end = start + snippetTokens
	}
	return withCuts(cutSnippet(columns[best], toks, hits, start, end), cut[best])
}

// snippetScan bounds the text of one column a snippet reads: a document
// body may be 2 MB, and tokenizing twenty of them for one page of results
// took seconds (review finding 3). A longer column is read from a little
// before its first match, found by a plain search of the lower-cased text.
const snippetScan = 16 << 10

// snippetRegion returns the part of text a snippet reads, and whether text
// was left out before and after it.
func snippetRegion(text string, terms [][]string) (string, [2]bool) {
	if len(text) <= snippetScan {
		return text, [2]bool{}
	}
	from := len(text)
	lower := strings.ToLower(text) // ASCII case changes keep byte offsets; others may shift a little
	for _, t := range terms {
		if len(t) > 0 {
			if i := strings.Index(lower, t[0]); i >= 0 && i < from {
				from = i
			}
		}
	}
	if from == len(text) || from >= len(lower) {
		from = 0 // matched through folding only: read from the start
	}
	from = max(0, from-snippetScan/8)
	to := min(len(text), from+snippetScan)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return text[from:to], [2]bool{from > 0, to < len(text)}
}

// withCuts marks text left out around a snippet's region.
func withCuts(s string, cut [2]bool) string {
	if cut[0] && !strings.HasPrefix(s, "…") {
		s = "…" + s
	}
	if cut[1] && !strings.HasSuffix(s, "…") {
		s += "…"
	}
	return s
}

// token is a run of letters, digits and marks: bytes [start, end) of its
// column, and its folded form.
type token struct {
	start, end int
	folded     string
}

// hit is a match of query term term at tokens [first, last].
type hit struct{ term, first, last int }

func tokenize(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, token{start, i, foldToken(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start, len(text), foldToken(text[start:])})
	}
	return out
}

func findHits(toks []token, terms [][]string) []hit {
	var out []hit
	for i := range toks {
		for t, phrase := range terms {
			if len(phrase) == 0 || i+len(phrase) > len(toks) {
				continue
			}
			ok := true
			for k, p := range phrase {
				if toks[i+k].folded != p {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, hit{t, i, i + len(phrase) - 1})
			}
		}
	}
	return out
}

// hitScore rates the hits inside tokens [start, end): distinct terms first,
// then hits. hits are in text order, so it stops at the first past end.
func hitScore(hits []hit, start, end int) int {
	var seen [16]bool // searchTerms keeps 16 terms at most
	distinct, n := 0, 0
	for _, h := range hits {
		if h.first >= end {
			break
		}
		if h.first >= start && h.last < end {
			if h.term < len(seen) && !seen[h.term] {
				seen[h.term] = true
				distinct++
			}
			n++
		}
	}
	return 1000*distinct + n
}

// cutSnippet writes tokens [start, end) of text with the hits inside them
// marked; a window at the start or end of the column keeps what lies
// before or after its tokens (a closing full stop).
func cutSnippet(text string, toks []token, hits []hit, start, end int) string {
	var b strings.Builder
	from, to := 0, len(text)
	if start > 0 {
		b.WriteString("…")
		from = toks[start].start
	}
	if end < len(toks) {
		to = toks[end-1].end
	}
	at := from
	for _, h := range hits {
		if h.first < start || h.last >= end {
			continue
		}
		s, e := toks[h.first].start, toks[h.last].end
		if s < at {
			continue // overlaps a match already marked
		}
		b.WriteString(text[at:s])
		b.WriteString(MarkStart)
		b.WriteString(text[s:e])
		b.WriteString(MarkEnd)
		at = e
	}
	b.WriteString(text[at:to])
	if end < len(toks) {
		b.WriteString("…")
	}
	return b.String()
}

// foldToken lower-cases a token and takes the diacritics off its letters
// (decomposed, combining marks dropped), as the full-text tokenizer
// (unicode61, remove_diacritics=2) does, so that "naive" marks "naïve".
func foldToken(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || ('A' <= s[i] && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	// A transformer keeps state: one per call, as snippets are made by
	// many requests at once.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	bare, _, err := transform.String(t, s)
	if err != nil {
		bare = s
	}
	return strings.ToLower(bare)
}
