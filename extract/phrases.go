package extract

import (
	"strings"
	"unicode/utf8"
)

// The checkable noun phrase of a claim without figures: what it says
// exists or happened ("safe havens for TTP and other terrorist factions",
// "travel waivers to Muttaqi", "ultimatums to militants"). Without a
// part-of-speech tagger a phrase is a run of content words that ends on a
// noun-like word, extended by "of/for/against/to + name" and "and other
// …"; a light head ("the presence of", "a number of") is skipped.

var (
	lightNouns = set("presence", "number", "kind", "type", "sort", "matter", "question", "lot",
		"range", "series", "part", "level", "case", "issue", "form", "host", "wave", "spate",
		"array", "handful", "variety", "set", "group", "amount", "use", "role", "existence", "scale", "extent")
	phraseLinks = set("of", "for", "against", "to")
	notNouns    = set("also", "even", "now", "very", "just", "only", "still", "already", "not",
		"never", "once", "again", "often", "always", "routinely", "deliberately", "publicly",
		"formally", "actively", "certain", "other", "own", "such", "every", "many", "several",
		"few", "various", "like", "more", "less")
)

// phraseWord reports whether token i can sit inside a noun phrase.
func phraseWord(toks []token, i int) bool {
	t := toks[i]
	if t.kind == tokNumber {
		return true
	}
	if t.kind != tokWord {
		return false
	}
	w := t.norm
	if t.is(bStop | bNotNoun | bFinite | bModal | bReport | bIrregular) {
		return false
	}
	if strings.HasSuffix(w, "ly") && !t.upper {
		return false
	}
	return true
}

// nounHead reports whether token i may end a noun phrase.
func nounHead(toks []token, i int) bool {
	t := toks[i]
	if t.kind != tokWord {
		return false
	}
	w := t.norm
	if t.upper {
		return true
	}
	return !strings.HasSuffix(w, "ing") && !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ive") &&
		!strings.HasSuffix(w, "ous") && !strings.HasSuffix(w, "al") && !strings.HasSuffix(w, "ful") &&
		!evaluativeWords[w]
}

// nounPhrases returns the phrase spans of a clause: the object after its
// first verb, and its subject when that is a phrase of two words or more.
func nounPhrases(ct string, base int, toks []token) []Span {
	var out []Span
	add := func(s, e int) {
		if s >= e {
			return
		}
		cp := base + utf8.RuneCountInString(ct[:toks[s].start])
		txt := ct[toks[s].start:toks[e-1].end]
		out = append(out, Span{Start: cp, End: cp + utf8.RuneCountInString(txt), Text: txt, Role: RolePhrase})
	}
	verb := -1
	for i := range toks {
		if finite(toks, i) || toks[i].kind == tokWord && (reportVerbs[toks[i].norm] || speechVerbs[toks[i].norm] || strings.HasSuffix(toks[i].norm, "ing") && i > 0 && !toks[i-1].upper && verb < 0 && i > 1) {
			verb = i
			break
		}
	}
	// The subject: the first phrase before the verb.
	if verb > 0 {
		if s, e := phraseAt(toks, 0, verb); e-s >= 2 && lowerIn(toks, s, e) {
			add(s, e)
		}
	}
	if verb < 0 {
		verb = -1
	}
	found := 0
	for i := verb + 1; i < len(toks) && found < 2; i++ {
		if !phraseWord(toks, i) {
			continue
		}
		if i == 0 {
			// no verb: the clause is one phrase
		} else if p := toks[i-1].norm; p == "to" || strings.HasSuffix(p, "ly") && !toks[i-1].upper || modalWords[p] || finiteWords[p] && strings.HasSuffix(toks[i].norm, "ed") {
			continue // a verb: "to acknowledge", "must realise"
		}
		s, e := phraseAt(toks, i, len(toks))
		if e > s && lowerIn(toks, s, e) && (e-s >= 2 || plural(toks[s].norm)) {
			add(s, e)
			found++
		}
		if e > i {
			i = e - 1
		}
	}
	return out
}

func plural(w string) bool {
	return len(w) > 7 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "ous")
}

// lowerIn reports whether the phrase holds a lower-case content word: a
// run of names is an actor span already.
func lowerIn(toks []token, s, e int) bool {
	for k := s; k < e; k++ {
		if toks[k].kind == tokWord && !toks[k].upper && !stopWords[toks[k].norm] {
			return true
		}
	}
	return false
}

// phraseAt is the noun phrase starting at or after token i, before limit,
// as a token range.
func phraseAt(toks []token, i, limit int) (int, int) {
	for i < limit && !phraseWord(toks, i) {
		i++
	}
	s := i
	e := i
	for e < limit && phraseWord(toks, e) {
		e++
	}
	// Back off to a noun-like last word.
	for e > s && !nounHead(toks, e-1) {
		e--
	}
	if e == s {
		return s, s
	}
	// "the presence of X": X is the phrase.
	if e-s == 1 && lightNouns[toks[s].norm] && e+1 < limit && toks[e].norm == "of" {
		return phraseAt(toks, e+1, limit)
	}
	for e < limit {
		switch {
		case e+1 < limit && phraseLinks[toks[e].norm]:
			if toks[e].norm == "to" && !toks[e+1].upper || strings.HasSuffix(toks[e+1].norm, "ing") {
				return s, e
			}
			_, e2 := phraseAt(toks, e+1, min(limit, e+6))
			if e2 <= e+1 || e2 > e+6 {
				return s, e
			}
			e = e2
		case e+2 < limit && toks[e].norm == "and" && toks[e+1].norm == "other":
			_, e2 := phraseAt(toks, e+2, min(limit, e+6))
			if e2 <= e+2 {
				return s, e
			}
			e = e2
		default:
			return s, e
		}
	}
	return s, e
}
