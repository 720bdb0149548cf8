package extract

import (
	"unicode"
	"unicode/utf8"
)

// tokKind tells the scorer and the span finder what a token is without
// re-reading its bytes.
type tokKind uint8

const (
	tokWord tokKind = iota
	tokNumber
	tokPunct
)

// token is a piece of a sentence. Offsets are bytes into the sentence text:
// the hot loop stays in bytes and only spans are converted to code points.
type token struct {
	start, end int
	kind       tokKind
	norm       string // lower case, curly apostrophes straightened, numbers classed
	upper      bool   // first letter is upper case
	cues       uint16 // findCues' word lists it is in (lexicon)
	bits       uint32 // the word lists it is in (wordBits)
	vec        int32  // 1 + its row in the word vectors; 0: none
}

// tokenize splits a sentence into words, numbers and punctuation marks.
// Words keep inner apostrophes and hyphens ("don't", "Tehreek-e-Taliban");
// numbers keep inner separators ("23,000", "3.5") so a figure stays whole.
func tokenize(s string, buf []token) []token { return tokenizeWith(s, buf, wordLexicon()) }

// Words returns the words of s as detection reads them: lower case, curly
// apostrophes straightened, numbers and punctuation left out. cmd/vectors
// keeps a vector for every word of the training sentences by it.
func Words(s string) []string {
	var out []string
	for _, t := range tokenizeWith(s, nil, nil) {
		if t.kind == tokWord {
			out = append(out, t.norm)
		}
	}
	return out
}

// tokenizeWith is tokenize with the word lists of lex (none when nil).
func tokenizeWith(s string, buf []token, lex map[string]lexEntry) []token {
	toks := buf[:0]
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case unicode.IsDigit(r):
			j := i + w
			for j < len(s) {
				c := s[j]
				if c >= '0' && c <= '9' {
					j++
					continue
				}
				// A separator belongs to the number only between digits.
				if (c == ',' || c == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j += 2
					continue
				}
				break
			}
			toks = append(toks, token{start: i, end: j, kind: tokNumber, norm: numberClass(s[i:j])})
			i = j
		case unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.IsMark(r2) {
					j += w2
					continue
				}
				if r2 == '\'' || r2 == '’' || r2 == '-' {
					if k := j + w2; k < len(s) {
						r3, _ := utf8.DecodeRuneInString(s[k:])
						if unicode.IsLetter(r3) {
							j = k
							continue
						}
					}
				}
				break
			}
			n := lowerWord(s[i:j])
			e := lex[n]
			toks = append(toks, token{start: i, end: j, kind: tokWord, norm: n, upper: unicode.IsUpper(r), cues: e.cues, bits: e.bits, vec: e.vec})
			i = j
		default:
			toks = append(toks, token{start: i, end: i + w, kind: tokPunct, norm: punctNorm(r, s[i:i+w])})
			i += w
		}
	}
	return toks
}

// numberClass replaces a number by its shape so that "23,000" and "700,000"
// teach the model the same thing.
func numberClass(n string) string {
	if len(n) == 4 && (n[:2] == "19" || n[:2] == "20") {
		return "<year>"
	}
	for i := 0; i < len(n); i++ {
		if n[i] == '.' {
			return "<dec>"
		}
	}
	if len(n) >= 4 {
		return "<big>"
	}
	return "<num>"
}

// lowerWord lower-cases a word and straightens curly apostrophes. ASCII
// words that are already lower case are returned without allocating.
func lowerWord(w string) string {
	simple := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 || (c >= 'A' && c <= 'Z') {
			simple = false
			break
		}
	}
	if simple {
		return w
	}
	b := make([]rune, 0, len(w))
	for _, r := range w {
		if r == '’' {
			r = '\''
		}
		b = append(b, unicode.ToLower(r))
	}
	return string(b)
}

// punctNorm folds the typographic variants of a mark into one.
func punctNorm(r rune, s string) string {
	switch r {
	case '“', '”', '„', '«', '»':
		return "\""
	case '‘', '’':
		return "'"
	case '–', '—':
		return "-"
	case '…':
		return "..."
	}
	return s
}
