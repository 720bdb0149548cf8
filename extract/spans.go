package extract

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// nameJoiners may sit inside a name between capitalised words
// ("Bank of England", "Osama bin Laden").
var nameJoiners = set("de", "la", "du", "von", "van", "bin", "al", "ul", "e", "da", "di", "der")

// ofNames are the capitalised words that take "of" inside a name: "Bank of
// England", "Secretary of State". After a plain name "of" starts a phrase
// ("Afghanistan of TTP").
var ofNames = set("bank", "department", "ministry", "secretary", "minister", "university",
	"house", "state", "states", "republic", "council", "office", "court", "chamber", "bureau",
	"institute", "school", "church", "party", "union", "league", "federation", "association",
	"board", "commission", "committee", "army", "navy", "museum", "city", "kingdom", "district",
	"province", "government", "sea", "gulf", "isle", "isles", "cape", "lake", "mount", "duke",
	"prince", "king", "queen", "president", "governor", "mayor", "chief", "chairman", "director",
	"head", "college", "academy", "society", "organisation", "organization", "agency", "embassy",
	"assembly", "people's", "bay", "straits", "strait", "gate", "port", "county", "tower")

// findSpans marks the key parts of a sentence: figures with their noun,
// named actors and quoted words. st is the sentence, base its code-point
// offset in the text, toks its tokens. It also returns the word count of
// the longest quotation, which decides the kind "quote".
func findSpans(st string, base int, toks []token, heading bool) ([]Span, int) {
	type bspan struct {
		s, e int
		role string
	}
	var bs []bspan
	role := RoleFigure
	add := func(s, e int) {
		if s < e {
			bs = append(bs, bspan{s, e, role})
		}
	}

	// Figures: [$] number [scale words] [one noun], or "thousands of
	// [adjective] noun".
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		start := i
		switch {
		case t.kind == tokNumber && t.norm != "<year>":
		case t.kind == tokWord && quantityWords[t.norm] && i+1 < len(toks) &&
			(scaleWords[toks[i+1].norm] || toks[i+1].norm == "of"):
		default:
			continue
		}
		if start > 0 && isCurrency(toks[start-1].norm) {
			start--
		}
		j := i + 1
		for j < len(toks) && (scaleWords[toks[j].norm] || toks[j].norm == "%" || toks[j].norm == "cent") {
			j++
		}
		if j < len(toks) && toks[j].norm == "of" && t.kind == tokWord {
			// "thousands of foreign terrorists"
			k := j + 1
			for k < len(toks) && k < j+3 && toks[k].kind == tokWord && !stopWords[toks[k].norm] {
				k++
			}
			if k > j+1 {
				j = k
			}
		} else if j < len(toks) && toks[j].kind == tokWord && !stopWords[toks[j].norm] && !toks[j].upper {
			j++ // "23,000 terrorists", "9 million jobs"
		}
		if t.kind == tokWord && j == i+1 {
			continue // a lone number word is not a figure
		}
		add(toks[start].start, toks[j-1].end)
		i = j - 1
	}

	role = RoleActor
	// Named actors: runs of capitalised words. The opening word of a
	// sentence or clause is capitalised anyway, so there it counts only in
	// a longer run, as an acronym, or with a possessive ("Moscow’s").
	clauseStart := true
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if heading {
			break // a title capitalises every word
		}
		if t.kind != tokWord || !t.upper || t.norm == "i" || t.norm == "i'm" || monthWords[t.norm] {
			clauseStart = t.kind == tokPunct && (t.norm == ":" || t.norm == "\"" || t.norm == "(") ||
				clauseStart && t.kind == tokPunct
			continue
		}
		j := i + 1
		for j < len(toks) {
			if toks[j].kind == tokWord && toks[j].upper {
				j++
				continue
			}
			if toks[j].kind == tokWord && j+1 < len(toks) && toks[j+1].kind == tokWord && toks[j+1].upper &&
				(nameJoiners[toks[j].norm] || (toks[j].norm == "of" || toks[j].norm == "for") && ofNames[toks[j-1].norm]) {
				j += 2
				continue
			}
			break
		}
		s := i
		if clauseStart && j-i > 1 && (starterWords[t.norm] || stopWords[t.norm] || strings.HasSuffix(t.norm, "ly")) {
			s++ // "The Taliban": the article is not part of the name
		}
		if s < j {
			w0 := toks[s]
			single := j-s == 1
			keep := !(single && (stopWords[w0.norm] || starterWords[w0.norm]))
			if clauseStart && s == i && single && !isAcronym(st[w0.start:w0.end]) && !leadingName(toks, i) {
				keep = false
			}
			if keep {
				e := toks[j-1].end
				add(w0.start, e-possessiveLen(st[toks[j-1].start:e]))
			}
		}
		clauseStart = false
		i = j - 1
	}

	role = RoleQuote
	// Quoted words: the text between a pair of quotation marks. One pass,
	// remembering the pending opening mark of each style, so that a text
	// full of unmatched marks stays linear.
	longest := 0
	openAt := [3]int{-1, -1, -1} // “…”, "…", ‘…’
	for i, t := range toks {
		if t.kind != tokPunct {
			continue
		}
		style, opens, closes := -1, false, false
		switch st[t.start:t.end] {
		case "“":
			style, opens = 0, true
		case "”":
			style, closes = 0, true
		case "\"":
			style = 1
			opens, closes = openAt[1] < 0, openAt[1] >= 0
		case "‘":
			style, opens = 2, true
		case "’":
			style, closes = 2, true
		}
		switch {
		case style < 0:
		case closes && openAt[style] >= 0:
			o := openAt[style]
			openAt[style] = -1
			if i > o+1 {
				add(toks[o+1].start, toks[i-1].end)
				words := 0
				for _, u := range toks[o+1 : i] {
					if u.kind != tokPunct {
						words++
					}
				}
				longest = max(longest, words)
			}
		case opens:
			openAt[style] = i
		}
	}

	slices.SortFunc(bs, func(a, b bspan) int {
		if a.s != b.s {
			return a.s - b.s
		}
		if a.e != b.e {
			return a.e - b.e
		}
		return roleRank[a.role] - roleRank[b.role]
	})
	// One span per range: a quoted figure is a figure.
	bs = slices.CompactFunc(bs, func(a, b bspan) bool { return a.s == b.s && a.e == b.e })
	if len(bs) == 0 {
		return []Span{}, longest
	}
	// Spans are sorted by start, so one cursor converts byte offsets to
	// code points without recounting the sentence for each span.
	out := make([]Span, len(bs))
	bytePos, runePos := 0, base
	for k, b := range bs {
		runePos += utf8.RuneCountInString(st[bytePos:b.s])
		bytePos = b.s
		out[k] = Span{Start: runePos, End: runePos + utf8.RuneCountInString(st[b.s:b.e]), Text: st[b.s:b.e], Role: b.role}
	}
	return out, longest
}

var roleRank = map[string]int{RoleFigure: 0, RoleActor: 1, RoleQuote: 2}

func isCurrency(s string) bool { return s == "$" || s == "£" || s == "€" || s == "₹" || s == "¥" }

func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		if r < 'A' || r > 'Z' {
			return false
		}
		n++
	}
	return n >= 2
}

func hasPossessive(norm string) bool { return possessiveLen(norm) > 0 }

// possessiveLen is the byte length of a trailing "'s" or "’s".
func possessiveLen(w string) int {
	switch {
	case len(w) > 2 && (w[len(w)-2:] == "'s" || w[len(w)-2:] == "'S"):
		return 2
	case len(w) > 4 && w[len(w)-4:] == "’s":
		return 4
	}
	return 0
}

// commonVerbs often follow a name that opens a sentence ("Russia warned").
var commonVerbs = set("says", "said", "wants",
	"remains", "continues", "denies", "insists", "plans", "faces", "holds", "won", "lost", "became")

// leadingName reports whether the capitalised word opening a clause at i
// is a name rather than an ordinary word: it has a possessive, or a verb
// follows it, or it is coordinated with another capitalised word.
func leadingName(toks []token, i int) bool {
	t := toks[i]
	if hasPossessive(t.norm) {
		return true
	}
	if starterWords[t.norm] || stopWords[t.norm] || strings.HasSuffix(t.norm, "ly") ||
		strings.HasSuffix(t.norm, "ing") || i+1 >= len(toks) {
		return false
	}
	n := toks[i+1]
	switch {
	case n.kind != tokWord && n.norm != ",":
		return false
	case n.norm == "," || n.norm == "and" || n.norm == "or":
		return i+2 < len(toks) && toks[i+2].kind == tokWord && toks[i+2].upper
	case n.upper:
		return false
	}
	return commonVerbs[n.norm] || attributionWords[n.norm] || strings.HasSuffix(n.norm, "ed")
}
