package extract

import "strings"

// Clause cutting. A sentence of an op-ed often holds two claims
// ("Makeshift peacekeeping forces have emerged, and villagers are arming
// themselves") or wraps one in commentary ("Tribal elders have issued
// ultimatums …, a powerful, yet deeply troubling, sign of …"; "Moscow’s
// warning about … should have been a wake-up call"). cutClauses returns
// the checkable parts of a sentence as byte ranges of it, in order; a
// sentence that is one plain claim gives itself.

var (
	// finiteWords make a group of words a clause.
	finiteWords = set("is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
		"may", "might", "must", "should", "do", "does", "did", "it's", "that's", "there's", "they're",
		"he's", "she's", "we're", "i'm", "won't", "can't", "isn't", "aren't", "wasn't", "weren't",
		"hasn't", "haven't", "didn't", "doesn't", "don't", "remains", "remain")
	// clauseJoiners may open a second clause after a comma.
	clauseJoiners = set("and", "but", "while", "whereas", "yet", "so")
	// commentaryParticiples open a tail that draws a conclusion rather
	// than stating more: ", confirming that …".
	commentaryParticiples = set("confirming", "underscoring", "suggesting", "showing", "proving",
		"highlighting", "signalling", "signaling", "indicating", "demonstrating", "reminding",
		"illustrating", "meaning", "making", "leaving", "raising", "reflecting")
	// discourseOpeners lead a sentence without adding to its claim.
	discourseOpeners = set("today", "meanwhile", "unfortunately", "fortunately", "however", "moreover",
		"furthermore", "indeed", "instead", "still", "yet", "and", "but", "so", "sadly", "clearly",
		"notably", "importantly", "crucially", "ironically", "worse", "nevertheless", "nonetheless",
		"then", "now", "also", "besides", "amid", "rather", "of", "in")
	// inFact-like two-word openers: "in fact", "of course".
	discourseSecond = map[string]string{"in": "fact", "of": "course"}
	// notSubject words cannot open the subject of a new clause.
	notSubject = set("which", "who", "whose", "whom", "not", "most", "especially", "particularly",
		"often", "including", "like", "such", "even", "with", "without", "for", "from", "to", "of",
		"in", "on", "at", "by", "as", "than", "then", "or", "nor", "if", "unless", "whether", "although",
		"though", "because", "where", "when", "whenever")
	// subordinators open a leading clause that sets the scene for the
	// claim after its comma: "Whenever forces strike, the Taliban react".
	subordinators    = set("whenever", "when", "while", "although", "though", "once", "as", "whereas")
	personalPronouns = set("it", "they", "he", "she", "we", "i", "you")
	// subjectPronouns open a clause without a noun.
	subjectPronouns = set("it", "they", "he", "she", "we", "i", "you", "this", "that", "there", "these", "those")
)

// byteRange is a clause; whole means it is its sentence's only claim,
// begun where the sentence begins (commentary may be trimmed off either
// end).
type byteRange struct {
	s, e  int
	whole bool
}

// finite reports whether token i is a finite verb (or a word that
// behaves like one here: a past form, a verb after a subject pronoun).
func finite(toks []token, i int) bool {
	t := toks[i]
	if t.kind != tokWord {
		return false
	}
	w := t.norm
	if t.is(bFinite | bIrregular) {
		return true
	}
	if len(w) > 4 && strings.HasSuffix(w, "ed") {
		// "the UN even granted", "forces have emerged"; not an adjective
		// after an article, a preposition or a possessive ("the banned
		// group", "despite repeated appeals", "the Taliban’s continued").
		if i == 0 {
			return false
		}
		p := toks[i-1]
		return p.kind == tokWord && (p.is(bEventAux) || subjectPronouns[p.norm] || !p.is(bStop) && !hasPossessive(p.norm))
	}
	// "Militants target", "they accuse": a plain verb after a pronoun
	// or a plural subject opening the clause.
	if i > 0 && toks[i-1].is(bPersonal) && !t.is(bStop) {
		return true
	}
	return false
}

// clauseAt reports whether toks[i:e] opens an independent clause: a
// subject of at most five words, then a finite verb.
func clauseAt(toks []token, i, e int) bool {
	if i >= e || toks[i].kind != tokWord {
		return false
	}
	w := toks[i].norm
	if strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ly") || notSubject[w] || finiteWords[w] {
		return false
	}
	for k := i + 1; k < e && k <= i+5; k++ {
		if toks[k].kind == tokPunct {
			return false
		}
		if finite(toks, k) {
			return true
		}
	}
	return false
}

func hasFinite(toks []token, s, e int) bool {
	for k := s; k < e; k++ {
		if finite(toks, k) {
			return true
		}
	}
	return false
}

func wordsIn(toks []token, s, e int) int {
	n := 0
	for k := s; k < e; k++ {
		if toks[k].kind != tokPunct {
			n++
		}
	}
	return n
}

// cutClauses works on token indexes and returns byte ranges of st.
func cutClauses(st string, toks []token) []byteRange {
	n := len(toks)
	if n == 0 {
		return nil
	}
	// Cut points: a token index where a new clause begins, the
	// separating tokens before it dropped.
	type part struct{ s, e int } // token range
	var parts []part
	start := 0
	for i := 0; i < n; i++ {
		t := toks[i]
		if t.kind != tokPunct || t.norm != "," && t.norm != ";" && t.norm != ":" {
			continue
		}
		j := i + 1
		if j < n && clauseJoiners[toks[j].norm] {
			j++
		}
		if start == 0 && subordinators[toks[0].norm] && t.norm == "," && (clauseAt(toks, j, n) || opensSubject(toks, j)) {
			start = j // the scene-setting clause is no claim of its own
			continue
		}
		if t.norm == ";" && j < n && !clauseAt(toks, j, n) {
			continue // "Russia, China, and Iran; with the former …" lists on
		}
		if !clauseAt(toks, j, n) || wordsIn(toks, start, i) < 3 || !hasFinite(toks, start, i) {
			continue
		}
		parts = append(parts, part{start, i})
		start = j
	}
	parts = append(parts, part{start, n})

	var out []byteRange
	for _, p := range parts {
		s, e := trimClause(st, toks, p.s, p.e)
		if s < e && wordsIn(toks, s, e) >= 2 {
			out = append(out, byteRange{toks[s].start, toks[e-1].end, len(parts) == 1 && p.s == 0})
		}
	}
	if len(out) == 0 {
		return []byteRange{{toks[0].start, toks[n-1].end, true}}
	}
	return out
}

// trimClause drops the commentary around the claim of toks[s:e].
func trimClause(st string, toks []token, s, e int) (int, int) {
	// "The fact that X, …, signals a broader failure": X is the claim.
	if e-s > 4 && toks[s].norm == "the" && toks[s+1].norm == "fact" && toks[s+2].norm == "that" {
		for k := e - 2; k > s+3; k-- {
			if toks[k].norm == "," && toks[k+1].kind == tokWord && !toks[k+1].upper &&
				(finite(toks, k+1) || strings.HasSuffix(toks[k+1].norm, "s") && !stopWords[toks[k+1].norm]) {
				e = k
				break
			}
		}
		s += 3
	}
	// Leading discourse: "Meanwhile, …", "And yet, …", "Rather than
	// acknowledging the problem, …", "Amid this backdrop, …".
	for s < e {
		w := toks[s].norm
		if !discourseOpeners[w] {
			break
		}
		if second, ok := discourseSecond[w]; ok && (s+1 >= e || toks[s+1].norm != second) {
			break
		}
		k := s + 1
		for k < e && k < s+8 && toks[k].norm != "," {
			k++
		}
		switch {
		case k < e && toks[k].norm == "," && (w == "rather" || w == "amid" || k <= s+2 || discourseSecond[w] != ""):
			s = k + 1
		case w == "and" || w == "but" || w == "so" || w == "yet":
			s++
		default:
			return s, tailTrim(toks, s, e)
		}
	}
	return s, tailTrim(toks, s, e)
}

// tailTrim drops a closing comment: ", a … sign of …" (an appositive with
// no verb), ", confirming that …", ", not out of choice …", and a
// judgement of the past ("should have been a wake-up call").
func tailTrim(toks []token, s, e int) int {
	for k := s + 2; k < e-1; k++ {
		w := toks[k].norm
		if (w == "should" || w == "must" || w == "could" || w == "would") && toks[k+1].norm == "have" &&
			k+2 < e && toks[k+2].norm == "been" && wordsIn(toks, s, k) >= 3 {
			return k
		}
	}
	for k := s + 3; k < e-1; k++ {
		if toks[k].norm != "," || wordsIn(toks, s, k) < 4 {
			continue
		}
		n := toks[k+1].norm
		switch {
		case commentaryParticiples[n]:
			return k
		case n == "not" && hasFinite(toks, s, k):
			return k
		case (n == "a" || n == "an") && hasFinite(toks, s, k) && !hasFinite(toks, k+1, min(e, k+6)):
			return k
		}
	}
	for e > s && toks[e-1].kind == tokPunct && toks[e-1].norm != "\"" && toks[e-1].norm != "%" && toks[e-1].norm != ")" &&
		toks[e-1].norm != "?" && toks[e-1].norm != "!" {
		e--
	}
	return e
}

// opensSubject reports whether token j can open a clause's subject: an
// article, a possessive, a personal pronoun or a name.
func opensSubject(toks []token, j int) bool {
	if j >= len(toks) || toks[j].kind != tokWord {
		return false
	}
	switch w := toks[j].norm; {
	case w == "the" || w == "a" || w == "an" || w == "their" || w == "its" || w == "his" || w == "her" || w == "our":
		return true
	case personalPronouns[w]:
		return true
	}
	return toks[j].upper
}
