package extract

import (
	"strings"
	"unicode"
)

// segment is a sentence found in the text: code-point offsets into the
// original runes, and whether its line reads as a heading.
type segment struct {
	start, end int
	heading    bool
}

// Abbreviations. Titles always precede a name, so a full stop after them
// never ends a sentence. The others can end one ("made in the U.S."), so
// they end it only when a typical sentence opener follows.
var (
	titleAbbrevs = set("mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt",
		"sgt", "capt", "cmdr", "adm", "maj", "st", "rev", "hon", "pres", "messrs", "mme", "mt", "ft",
		"fr", "supt", "insp", "amb", "atty", "brig", "cpl", "pvt", "mlle")
	otherAbbrevs = set("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
		"dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "no", "nos", "vol", "vols", "vs",
		"etc", "inc", "ltd", "co", "corp", "fig", "figs", "approx", "dept", "est", "univ", "ave",
		"blvd", "rd", "pp", "p", "ch", "art", "sec", "jr", "sr", "bros", "op", "cf", "al", "ca",
		"govt", "assn", "intl", "natl", "min", "max", "mln", "bn", "pct")
)

// segmentText finds the sentences of text. Lines are the first cut: a line
// that does not end in a stop is a heading or a list item, never glued to
// its neighbours, except a long line followed by a line that continues it
// in lower case (hard-wrapped prose).
func segmentText(r []rune) []segment {
	var out []segment
	n := len(r)
	lineStart := 0
	blockStart := -1
	for i := 0; i <= n; i++ {
		if i < n && !isLineBreak(r[i]) {
			continue
		}
		ls, le := trimSpace(r, lineStart, i)
		lineStart = i + 1
		if ls == le {
			continue
		}
		if blockStart < 0 {
			blockStart = ls
		}
		// Look ahead: does the next line continue this one?
		if i < n && continues(r, blockStart, le, i+1) {
			continue
		}
		out = splitBlock(r, blockStart, le, out)
		blockStart = -1
	}
	return out
}

func isLineBreak(c rune) bool {
	return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\v' || c == '\f'
}

func trimSpace(r []rune, s, e int) (int, int) {
	for s < e && unicode.IsSpace(r[s]) {
		s++
	}
	for e > s && unicode.IsSpace(r[e-1]) {
		e--
	}
	return s, e
}

// continues reports whether the line starting at next carries on the block
// ending at end: the block does not end in a stop, and the next line opens
// in lower case, or the block is long enough to be wrapped prose.
func continues(r []rune, start, end, next int) bool {
	if endsInStop(r, start, end) {
		return false
	}
	j := next
	for j < len(r) && (r[j] == ' ' || r[j] == '\t' || r[j] == '\r') {
		j++
	}
	if j >= len(r) || isLineBreak(r[j]) {
		return false // blank line or end of text
	}
	if _, m := listMarker(r, j, len(r)); m {
		return false
	}
	if unicode.IsLower(r[j]) {
		return true
	}
	_, m := listMarker(r, start, end)
	return !m && end-start >= 60 && (unicode.IsLetter(r[end-1]) || r[end-1] == ',')
}

// endsInStop reports whether [s,e) ends in sentence-final punctuation,
// allowing closing quotes and brackets after it.
func endsInStop(r []rune, s, e int) bool {
	for e > s && isCloser(r[e-1]) {
		e--
	}
	if e == s {
		return false
	}
	switch r[e-1] {
	case ':', ';':
		return true
	}
	return isStop(r[e-1])
}

func isWideStop(c rune) bool { return c == '。' || c == '！' || c == '？' }

func isStop(c rune) bool {
	switch c {
	case '.', '!', '?', '…', '。', '！', '？':
		return true
	}
	return false
}

// titleCase reports whether a short line capitalises most of its longer
// words, as titles do and sentences do not.
func titleCase(r []rune, s, e int) bool {
	words, caps := 0, 0
	for i := s; i < e; {
		if !unicode.IsLetter(r[i]) {
			i++
			continue
		}
		j := i
		for j < e && (unicode.IsLetter(r[j]) || r[j] == '\'' || r[j] == '’') {
			j++
		}
		if j-i >= 4 {
			words++
			if unicode.IsUpper(r[i]) {
				caps++
			}
		}
		i = j
	}
	return words >= 2 && words <= 12 && caps*4 >= words*3
}

func isCloser(c rune) bool {
	switch c {
	case '"', '\'', '”', '’', ')', ']', '}', '»', '›':
		return true
	}
	return false
}

func isOpener(c rune) bool {
	switch c {
	case '"', '\'', '“', '‘', '(', '[', '{', '«', '‹', '„':
		return true
	}
	return false
}

// listMarker recognises a bullet or an enumeration at s ("- ", "• ",
// "3. ", "2) ", "(a) ", "# ") and returns where the item's text starts.
func listMarker(r []rune, s, e int) (int, bool) {
	if s >= e {
		return s, false
	}
	j := s
	switch r[j] {
	case '-', '*', '•', '·', '‣', '◦', '–', '—', '▪', '●', '+', '>':
		j++
	case '#':
		for j < e && r[j] == '#' {
			j++
		}
	case '(':
		k := j + 1
		for k < e && k-j <= 4 && (unicode.IsDigit(r[k]) || unicode.IsLower(r[k])) {
			k++
		}
		if k == j+1 || k >= e || r[k] != ')' {
			return s, false
		}
		j = k + 1
	default:
		k := j
		for k < e && k-j < 3 && unicode.IsDigit(r[k]) {
			k++
		}
		if k == j && k < e && unicode.IsLower(r[k]) {
			k++ // "a) "
			if k < e && r[k] != ')' {
				return s, false
			}
		}
		if k == j || k >= e || (r[k] != '.' && r[k] != ')') {
			return s, false
		}
		j = k + 1
	}
	if j >= e || (r[j] != ' ' && r[j] != '\t') {
		return s, false
	}
	for j < e && (r[j] == ' ' || r[j] == '\t') {
		j++
	}
	return j, j < e
}

// splitBlock cuts one block (a line, or wrapped lines) into sentences.
func splitBlock(r []rune, s, e int, out []segment) []segment {
	heading := false
	if j, ok := listMarker(r, s, e); ok {
		heading = r[s] == '#'
		s = j
	} else if !endsInStop(r, s, e) {
		// A line without a stop that is not a list item is a heading.
		heading = true
	}
	first := len(out)
	cur := s
	for i := s; i < e; i++ {
		if !isStop(r[i]) {
			continue
		}
		j := i + 1
		for j < e && isStop(r[j]) {
			j++
		}
		for j < e && isCloser(r[j]) {
			j++
		}
		// Chinese and Japanese stops need no space after them.
		if j < e && !unicode.IsSpace(r[j]) && !isWideStop(r[j-1]) {
			i = j - 1
			continue // "3.5", "U.S.", "e.g.," and the like
		}
		if j < e && !sentenceBreak(r, s, i, j, e) {
			i = j - 1
			continue
		}
		if a, b := trimSpace(r, cur, j); a < b {
			out = append(out, segment{start: a, end: b})
		}
		cur = j
		i = j - 1
	}
	if a, b := trimSpace(r, cur, e); a < b {
		out = append(out, segment{start: a, end: b})
	}
	if !heading && len(out) == first+1 && r[out[first].end-1] != '.' && titleCase(r, out[first].start, out[first].end) {
		heading = true // "Looking Ahead: A Shared Future or a Shattered One?"
	}
	if heading {
		for k := first; k < len(out); k++ {
			out[k].heading = true
		}
	}
	return out
}

// sentenceBreak decides whether the stop at i (with its closers running to
// j, followed by white space) ends a sentence.
func sentenceBreak(r []rune, s, i, j, e int) bool {
	k := j
	for k < e && unicode.IsSpace(r[k]) {
		k++
	}
	for k < e && isOpener(r[k]) {
		k++
	}
	if k >= e {
		return true
	}
	next := r[k]
	if unicode.IsLower(next) {
		return false // "etc. and", "“Why?” he asked"
	}
	if r[i] != '.' || (i > s && r[i-1] == '.') || j > i+1 && isStop(r[i+1]) {
		return true // ?, !, … and "..." end a sentence before a capital
	}
	// The word before the full stop, with inner full stops ("U.S", "e.g").
	w := i
	for w > s && (unicode.IsLetter(r[w-1]) || (r[w-1] == '.' && w-1 > s && unicode.IsLetter(r[w-2]))) {
		w--
	}
	if w == i {
		return true // after a number, a bracket or a quote
	}
	word := strings.ToLower(string(r[w:i]))
	dotted := strings.ContainsRune(word, '.')
	switch {
	case titleAbbrevs[word]:
		return false
	case !dotted && i-w == 1 && unicode.IsUpper(r[w]) && r[w] != 'I':
		return false // an initial: "J. Smith", "George W. Bush"
	case dotted || otherAbbrevs[word]:
		if unicode.IsDigit(next) {
			return false // "Jan. 5", "No. 10"
		}
		return starterWords[nextWord(r, k, e)]
	}
	return true
}

func nextWord(r []rune, k, e int) string {
	m := k
	for m < e && unicode.IsLetter(r[m]) {
		m++
	}
	return strings.ToLower(string(r[k:m]))
}
