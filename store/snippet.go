package store

import (
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
		for _, text := range columns {
			if toks := tokenize(text); len(toks) > 0 {
				return cutSnippet(text, toks, nil, 0, min(len(toks), snippetTokens))
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
		for _, h := range hits {
			s := max(0, min(h.first-2, len(toks)-snippetTokens))
			if sc := hitScore(hits, s, s+snippetTokens); sc > bestScore {
				start, bestScore = s, sc
			}
		}
		end = start + snippetTokens
	}
	return cutSnippet(columns[best], toks, hits, start, end)
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
// then hits.
func hitScore(hits []hit, start, end int) int {
	seen := map[int]bool{}
	n := 0
	for _, h := range hits {
		if h.first >= start && h.last < end {
			seen[h.term] = true
			n++
		}
	}
	return 1000*len(seen) + n
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
