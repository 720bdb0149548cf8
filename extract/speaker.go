package extract

import "strings"

// A speaker is a run of capitalised words, as in findSpans, or a list of
// them: "Russia, China, and Iran", "Canada and the United States". Commas
// join a list only when "and" joins its last two names, so "In Kabul,
// Pakistan said" names Pakistan alone.

// speakersBack reads the speaker list whose last word is token j. It
// returns the claimant and the list's first token.
func speakersBack(s string, toks []token, j int) (string, int, bool) {
	st, ok := nameEndingAt(s, toks, j)
	if !ok {
		return "", 0, false
	}
	items := [][2]int{{st, j + 1}}
	k := skipArticleBack(toks, st-1)
	if k >= 0 && (toks[k].norm == "and" || toks[k].norm == "&") {
		m := k - 1
		if m >= 0 && toks[m].norm == "," {
			m-- // the Oxford comma
		}
		if s2, ok := nameEndingAt(s, toks, m); ok {
			items = append([][2]int{{s2, m + 1}}, items...)
			k = skipArticleBack(toks, s2-1)
			for k >= 1 && toks[k].norm == "," {
				s3, ok := nameEndingAt(s, toks, k-1)
				if !ok {
					break
				}
				items = append([][2]int{{s3, k}}, items...)
				k = skipArticleBack(toks, s3-1)
			}
		}
	}
	return joinNames(s, toks, items), items[0][0], true
}

// speakersForward reads the speaker list that starts at token k (after
// "said", "by", "according to"). It returns the claimant and the token
// after the list.
func speakersForward(s string, toks []token, k int) (string, int, bool) {
	if k < len(toks) && toks[k].norm == "the" {
		k++
	}
	e, ok := nameForward(s, toks, k)
	if !ok {
		return "", 0, false
	}
	items := [][2]int{{k, e}}
	lastAnd := false
	for !lastAnd && e < len(toks) {
		m, and := e, false
		switch toks[m].norm {
		case ",":
			m++
			if m < len(toks) && toks[m].norm == "and" {
				m, and = m+1, true
			}
		case "and", "&":
			m, and = m+1, true
		default:
		}
		if m == e {
			break
		}
		if m < len(toks) && toks[m].norm == "the" {
			m++
		}
		e2, ok := nameForward(s, toks, m)
		if !ok {
			break
		}
		items = append(items, [2]int{m, e2})
		e, lastAnd = e2, and
	}
	if !lastAnd {
		items = items[:1]
	}
	return joinNames(s, toks, items), items[len(items)-1][1], true
}

func skipArticleBack(toks []token, k int) int {
	if k >= 0 && toks[k].norm == "the" {
		k--
	}
	return k
}

func nameWord(t token) bool {
	return t.kind == tokWord && t.upper && !firstPerson[t.norm]
}

// isInitial: one capital letter, as in "U.S.".
func isInitial(t token) bool { return t.kind == tokWord && t.upper && t.end-t.start == 1 }

// nameEndingAt finds the first token of the name whose last token is j.
func nameEndingAt(s string, toks []token, j int) (int, bool) {
	if j < 0 || j >= len(toks) {
		return 0, false
	}
	if j >= 3 && toks[j].norm == "." && isInitial(toks[j-1]) && toks[j-2].norm == "." && isInitial(toks[j-3]) {
		return j - 3, true // "U.S."
	}
	if j >= 3 && toks[j].norm == ")" && toks[j-2].norm == "(" && isAcronym(s[toks[j-1].start:toks[j-1].end]) {
		j -= 3 // "Tehreek-e-Taliban Pakistan (TTP)"
	}
	if j < 0 || !nameWord(toks[j]) {
		return 0, false
	}
	k := j
	for k > 0 {
		p := toks[k-1]
		if nameWord(p) {
			k--
			continue
		}
		if k >= 2 && p.kind == tokWord && !p.upper && nameWord(toks[k-2]) &&
			(nameJoiners[p.norm] || (p.norm == "of" || p.norm == "for") && ofNames[toks[k-2].norm]) {
			k -= 2
			continue
		}
		break
	}
	for k <= j && (starterWords[toks[k].norm] || stopWords[toks[k].norm]) {
		k++ // "The Kremlin": the article opens the sentence, it is not the name
	}
	if k > j || !isName(s, toks, k, j+1) {
		return 0, false
	}
	return k, true
}

// nameForward finds the token after the name that starts at k. A
// possessive ends a name: "the Taliban’s chief spokesman".
func nameForward(s string, toks []token, k int) (int, bool) {
	if k >= len(toks) {
		return 0, false
	}
	if k+3 < len(toks) && isInitial(toks[k]) && toks[k+1].norm == "." && isInitial(toks[k+2]) && toks[k+3].norm == "." {
		return k + 4, true
	}
	if !nameWord(toks[k]) {
		return 0, false
	}
	e := k + 1
	for e < len(toks) && !hasPossessive(toks[e-1].norm) {
		t := toks[e]
		if nameWord(t) {
			e++
			continue
		}
		if e+1 < len(toks) && t.kind == tokWord && !t.upper && nameWord(toks[e+1]) &&
			(nameJoiners[t.norm] || (t.norm == "of" || t.norm == "for") && ofNames[toks[e-1].norm]) {
			e += 2
			continue
		}
		if t.norm == "(" && e+2 < len(toks) && toks[e+2].norm == ")" && isAcronym(s[toks[e+1].start:toks[e+1].end]) {
			e += 3
		}
		break
	}
	if !isName(s, toks, k, e) {
		return 0, false
	}
	return e, true
}

// isName rejects the capitalised words that name nobody: one word that is
// a role ("Officials", "Police"), a month or a day, and a bare title
// ("Prime Minister").
func isName(s string, toks []token, a, b int) bool {
	if b-a == 1 {
		w := strings.TrimSuffix(toks[a].norm[:len(toks[a].norm)-possessiveLen(toks[a].norm)], "'")
		if (roleNouns[w] || monthWords[w] || weekdays[w] || starterWords[w]) && !isAcronym(s[toks[a].start:toks[a].end]) {
			return false
		}
	}
	for _, t := range toks[a:b] {
		w := t.norm[:len(t.norm)-possessiveLen(t.norm)]
		if t.kind == tokWord && !coreTitles[w] && !titleModifiers[w] && t.norm != "of" {
			return true
		}
	}
	return false
}

// speakerName is the claimant for the name at tokens [a, b): titles
// dropped, a possessive dropped, an actor normalised as matching does.
func speakerName(s string, toks []token, a, b int) string {
	cut := -1
	for i := a; i < b-1; i++ {
		w := toks[i].norm
		// "Inspector General", "Attorney General": a title; "General
		// Motors" is not.
		if coreTitles[w] || w == "general" && i > a && (coreTitles[toks[i-1].norm] || titleModifiers[toks[i-1].norm]) {
			cut = i
			if i+2 < b-1 && toks[i+1].norm == "of" {
				i += 2 // "Minister of Finance", "Secretary of State"
				cut = i
			}
			continue
		}
		if titleModifiers[w] || actorAliases[w] != "" {
			continue // "Afghan Foreign Minister …"
		}
		break
	}
	if cut >= 0 && cut+1 < b {
		a = cut + 1
	}
	text := s[toks[a].start:toks[b-1].end]
	text = text[:len(text)-possessiveLen(text)]
	key := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(text, ".", ""), "’", "'"))
	if actor, ok := actorAliases[key]; ok {
		return actorDisplay(actor)
	}
	if actorKeys[key] {
		return actorDisplay(key)
	}
	return text
}

// actorDisplay writes a normalised actor as a name: "united states" →
// "United States".
func actorDisplay(actor string) string {
	words := strings.Fields(actor)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// joinNames writes a list of speakers once each: "Russia, China and Iran";
// "Moscow and the Kremlin" is Russia.
func joinNames(s string, toks []token, items [][2]int) string {
	var names []string
	seen := map[string]bool{}
	for _, it := range items {
		n := speakerName(s, toks, it[0], it[1])
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
