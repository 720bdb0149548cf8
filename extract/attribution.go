package extract

import "strings"

// attribution is one place where a sentence credits words to someone.
// Offsets are bytes into the sentence. A claim is credited to it when the
// claim overlaps its zone: the words after "Russia warned" (or before
// "…, Reuters reported"), the whole sentence for "according to" and a
// quotation.
type attribution struct {
	claimant         string
	cueStart, cueEnd int
	zoneStart        int
	zoneEnd          int
	reason           string
	// modifier: the attribution describes a noun ("India, a country accused
	// by Canada of …, is courting the Taliban"); it is credited only for a
	// claim placed inside it, never for the whole sentence.
	modifier bool
	// pronoun: the speaker is "they", "he" or "she", named in the sentence
	// before.
	pronoun bool
}

// Attribution words, beyond the cue list the scorer reads: the verbs that
// put words in someone's mouth, in the forms news uses.
var (
	speechVerbs = set("said", "says", "say", "told", "tells", "warned", "warns", "warn",
		"claimed", "claims", "claim", "stated", "announced", "announces", "argued", "argues", "argue",
		"insisted", "insists", "insist", "accused", "accuses", "accuse", "alleged", "alleges", "allege",
		"reported", "reports", "noted", "notes", "added", "adds", "wrote", "writes", "tweeted",
		"testified", "admitted", "admits", "acknowledged", "confirmed", "confirms", "denied", "denies",
		"deny", "declared", "declares", "estimated", "estimates", "predicted", "asserted", "asserts",
		"maintained", "maintains", "revealed", "explained", "projected", "projects", "forecast",
		"raised", "raise", "raises")
	weakSpeechVerbs = set("added", "adds", "notes")
	// "raised" attributes only with its object: "raised alarms about".
	raiseVerbs  = set("raised", "raise", "raises")
	alarmNouns  = set("alarm", "alarms", "concern", "concerns", "fears", "doubts")
	passiveVerb = set("accused", "alleged", "claimed", "reported", "estimated", "confirmed",
		"announced", "stated", "denied", "cited", "disputed")
	// statementNouns follow a possessive speaker: "Moscow’s warning about".
	statementNouns = set("warning", "warnings", "claim", "claims", "statement", "statements",
		"report", "reports", "estimate", "estimates", "assessment", "allegation", "allegations",
		"accusation", "accusations", "figures", "data", "assertion", "announcement", "argument",
		"testimony", "remarks", "comments", "survey", "study", "analysis", "forecast", "projection",
		"findings", "figure", "insistence", "admission", "denial", "count", "tally")
	// Between a speaker and the verb: "Russia has repeatedly warned".
	auxWords = set("has", "have", "had", "is", "are", "was", "were", "will", "would", "did", "does",
		"do", "also", "again", "once", "recently", "previously", "earlier", "already", "repeatedly",
		"then", "now", "first", "still", "both", "all", "each", "jointly")
	beWords      = set("is", "are", "was", "were", "be", "been", "being")
	negWords     = set("not", "never", "neither", "nor", "no")
	emptyObjects = set("nothing", "little", "no")
	pronounWords = set("they", "he", "she")
	// Capitalised at the start of a sentence, these are people without a
	// name: "Officials said", "Critics say". A claim record credits names.
	roleNouns = set("officials", "official", "analysts", "experts", "critics", "police", "residents",
		"witnesses", "sources", "researchers", "scientists", "observers", "diplomats", "lawmakers",
		"authorities", "militants", "villagers", "elders", "people", "investigators", "economists",
		"doctors", "activists", "protesters", "leaders", "officers", "soldiers", "troops", "teachers",
		"parents", "students", "workers", "voters", "nobody", "everyone", "everybody", "someone",
		"somebody", "many", "others", "ministers", "ministry", "government", "prosecutors", "lawyers",
		"reports", "studies", "data", "figures", "documents", "records", "polls", "surveys",
		"spokesman", "spokeswoman", "spokesperson", "president", "minister", "mayor", "governor",
		"none", "few", "several", "both", "reporters", "journalists", "members", "families",
		"farmers", "traders", "shopkeepers", "nurses", "engineers", "drivers", "locals", "survivors",
		"refugees", "victims", "relatives", "rescuers", "medics", "citizens", "opponents", "supporters")
	// Titles before a name. A core title ends the title ("Minister"); a
	// modifier only qualifies one ("Foreign", "Prime"), so "Foreign
	// Ministry" stays whole. "General" is left out: "General Motors".
	coreTitles = set("mayor", "president", "minister", "senator", "sen", "representative", "rep",
		"governor", "gov", "chancellor", "secretary", "ambassador", "spokesman", "spokeswoman",
		"spokesperson", "judge", "justice", "professor", "prof", "dr", "mr", "mrs", "ms", "miss",
		"king", "queen", "prince", "princess", "sheikh", "commissioner", "director", "chairman",
		"chairwoman", "chair", "envoy", "commander", "premier", "colonel", "captain", "admiral",
		"lieutenant", "sergeant", "inspector", "superintendent")
	titleModifiers = set("prime", "foreign", "deputy", "vice", "interior", "defence", "defense",
		"finance", "home", "acting", "former", "assistant", "attorney", "health", "trade", "chief",
		"information", "federal", "provincial", "state", "army", "police", "special")
	// The bodies that speak for a named state or group: "the Afghan interim
	// government said".
	institutionNouns = set("government", "administration", "agency", "ministry", "army",
		"military", "embassy", "office", "council", "authorities", "regime", "commission",
		"parliament", "court", "police", "delegation", "mission")
	locatives = set("in", "on", "near", "across", "inside", "outside", "throughout", "around")
	weekdays  = set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)

// actorKeys are the normalised actors of actorAliases, so that a name
// written out in full ("United States", "Saudi Arabia") is the same actor
// as its alias ("US", "Riyadh").
var actorKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range actorAliases {
		m[a] = true
	}
	return m
}()

// findAttributions reads every attribution off a sentence's tokens.
func findAttributions(s string, toks []token) []attribution {
	var out []attribution
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		var a attribution
		ok := false
		switch {
		case t.norm == "according" && i+1 < len(toks) && toks[i+1].norm == "to":
			a, ok = accordingTo(s, toks, i)
		case t.upper && hasPossessive(t.norm):
			a, ok = possessiveCue(s, toks, i)
		case !t.upper && speechVerbs[t.norm]:
			a, ok = speech(s, toks, i)
		}
		if ok {
			out = append(out, a)
		}
	}
	return out
}

// accordingTo: "according to the UN", "according to figures from the World
// Bank". The whole sentence is what the source says.
func accordingTo(s string, toks []token, i int) (attribution, bool) {
	k := i + 2
	names, end, ok := speakersForward(s, toks, k)
	if !ok {
		// "according to a report by Reuters": a few words, then its source.
		for j := k; j < len(toks) && j < k+5; j++ {
			if n := toks[j].norm; n == "by" || n == "from" || n == "of" || n == "at" {
				names, end, ok = speakersForward(s, toks, j+1)
				break
			}
			if toks[j].kind != tokWord || toks[j].upper {
				break
			}
		}
	}
	if !ok {
		return attribution{}, false
	}
	return attribution{claimant: names, cueStart: toks[i].start, cueEnd: toks[end-1].end,
		zoneStart: 0, zoneEnd: len(s), reason: ReasonAccordingTo}, true
}

// possessiveCue: "Moscow’s warning about …", "the UN’s latest estimate of …".
func possessiveCue(s string, toks []token, i int) (attribution, bool) {
	k := i + 1
	for k < len(toks) && k < i+3 && toks[k].kind == tokWord && !toks[k].upper &&
		!stopWords[toks[k].norm] && !statementNouns[toks[k].norm] {
		k++ // "recent", "stark"
	}
	if k >= len(toks) || toks[k].kind != tokWord || toks[k].upper || !statementNouns[toks[k].norm] {
		return attribution{}, false
	}
	names, first, ok := speakersBack(s, toks, i)
	if !ok {
		return attribution{}, false
	}
	start := toks[first].start
	return attribution{claimant: names, cueStart: start, cueEnd: toks[k].end,
		zoneStart: start, zoneEnd: len(s), reason: ReasonPossessive}, true
}

// speech: a verb of saying at i, with its speaker before it ("Russia
// warned"), after it ("“…,” said Jane Ortiz"), or after "by" ("accused by
// Canada of …").
func speech(s string, toks []token, i int) (attribution, bool) {
	verbEnd := i + 1
	if raiseVerbs[toks[i].norm] {
		if verbEnd < len(toks) && toks[verbEnd].norm == "the" {
			verbEnd++
		}
		if verbEnd >= len(toks) || !alarmNouns[toks[verbEnd].norm] {
			return attribution{}, false
		}
		verbEnd++
	}
	// "Pakistan has said nothing", "did not say", "declined to say": no
	// words are credited, so no one is a claimant.
	if verbEnd < len(toks) && emptyObjects[toks[verbEnd].norm] {
		return attribution{}, false
	}
	// "adds another layer", "added 200 jobs": these say something only
	// before "that" or at the end of a clause ("…, he added.").
	if weakSpeechVerbs[toks[i].norm] && verbEnd < len(toks) && toks[verbEnd].kind == tokWord && toks[verbEnd].norm != "that" {
		return attribution{}, false
	}
	if i > 0 && toks[i-1].norm == "to" {
		return attribution{}, false
	}
	for k := i - 1; k >= 0 && k >= i-3 && toks[k].kind == tokWord; k-- {
		if negWords[toks[k].norm] || strings.HasSuffix(toks[k].norm, "n't") {
			return attribution{}, false
		}
	}

	if verbEnd < len(toks) && toks[verbEnd].norm == "by" {
		return passiveCue(s, toks, i, verbEnd)
	}

	j := i - 1
	for j >= 0 && toks[j].kind == tokWord && !toks[j].upper &&
		(auxWords[toks[j].norm] || strings.HasSuffix(toks[j].norm, "ly")) {
		j--
	}
	if j >= 0 && hasPossessive(toks[j].norm) {
		return attribution{}, false // "Moscow’s claims": the noun, read by possessiveCue
	}
	a := attribution{cueEnd: toks[verbEnd-1].end, reason: ReasonSaid}
	first := -1
	switch {
	case j < 0:
	case pronounWords[toks[j].norm]:
		a.pronoun, a.reason, first = true, ReasonPronoun, j
	case toks[j].kind == tokWord && toks[j].upper || toks[j].norm == "." || toks[j].norm == ")":
		// ".": "U.S. said"; ")": "Tehreek-e-Taliban Pakistan (TTP) said".
		if names, f, ok := speakersBack(s, toks, j); ok {
			a.claimant, first = names, f
		}
	case toks[j].norm == "," || toks[j].norm == "-":
		if names, f, ok := appositiveSpeaker(s, toks, j); ok {
			a.claimant, first = names, f
		}
	case toks[j].kind == tokWord && j >= 1:
		// "Iran’s foreign ministry said": the state speaks through it. "The
		// Afghan interim government insists": the body is the speaker.
		for k := j - 1; k >= 0 && k >= j-2; k-- {
			if toks[k].kind != tokWord || !toks[k].upper && stopWords[toks[k].norm] {
				break
			}
			if !toks[k].upper {
				continue
			}
			if hasPossessive(toks[k].norm) {
				if names, f, ok := speakersBack(s, toks, k); ok {
					a.claimant, first = names, f
				}
			} else if institutionNouns[toks[j].norm] {
				if f, ok := nameEndingAt(s, toks, k); ok {
					a.claimant, first = s[toks[f].start:toks[j].end], f
				}
			}
			break
		}
	}
	if first >= 0 {
		a.cueStart = toks[first].start
		before := first - 1
		for before >= 0 && toks[before].kind == tokWord && toks[before].norm == "the" {
			before--
		}
		if before >= 0 && locatives[toks[before].norm] {
			return attribution{}, false // "officials in Kabul said": Kabul is where, not who
		}
		switch {
		case before >= 0 && isQuoteNorm(toks[before]) ||
			before >= 1 && toks[before].norm == "," && isQuoteNorm(toks[before-1]):
			// "“…,” Ortiz said": the quotation is what was said.
			if a.reason == ReasonSaid {
				a.reason = ReasonQuotedSpeaker
			}
			a.zoneStart, a.zoneEnd = 0, len(s)
		case before >= 0 && toks[before].norm == "," && shortTail(toks, verbEnd):
			// "Exports fell 8%, the ministry said on Tuesday."
			a.zoneStart, a.zoneEnd = 0, a.cueEnd
		default:
			a.zoneStart, a.zoneEnd = toks[i].start, len(s)
		}
		return a, true
	}

	// "“…,” said Zabihullah Mujahid", "…, said the mayor, Jane Ortiz."
	if i == 0 || !(toks[i-1].norm == "," || isQuoteNorm(toks[i-1])) {
		return attribution{}, false
	}
	k := verbEnd
	for n := 0; k < len(toks) && n < 4; n++ {
		t := toks[k]
		if t.kind == tokWord && !t.upper && (t.norm == "the" || t.norm == "a" || !stopWords[t.norm]) {
			k++
			continue
		}
		break
	}
	if k > verbEnd && k < len(toks) && toks[k].norm == "," {
		k++
	}
	names, end, ok := speakersForward(s, toks, k)
	// The speaker closes the clause: "“…,” said Jane Ortiz, the mayor." In
	// "…, said Moscow was ready" the name opens what was said.
	if !ok || end < len(toks) && toks[end].kind == tokWord {
		return attribution{}, false
	}
	reason := ReasonSaid
	for _, t := range toks[:i] {
		if isQuoteNorm(t) {
			reason = ReasonQuotedSpeaker
			break
		}
	}
	return attribution{claimant: names, cueStart: toks[i].start, cueEnd: toks[end-1].end,
		zoneStart: 0, zoneEnd: toks[end-1].end, reason: reason}, true
}

// passiveCue: "accused by Canada and the United States of orchestrating
// …". The credited words run to the end of the clause.
func passiveCue(s string, toks []token, i, by int) (attribution, bool) {
	if !passiveVerb[toks[i].norm] {
		return attribution{}, false
	}
	names, end, ok := speakersForward(s, toks, by+1)
	if !ok {
		return attribution{}, false
	}
	zoneEnd := len(s)
	for k := end; k < len(toks); k++ {
		if n := toks[k].norm; n == "," || n == ";" || n == "-" || n == "(" {
			zoneEnd = toks[k].start
			break
		}
	}
	// Only "was accused by" states the accusation; "a country accused by"
	// describes the country inside a sentence that says something else.
	j := i - 1
	for j >= 0 && toks[j].kind == tokWord && strings.HasSuffix(toks[j].norm, "ly") {
		j--
	}
	modifier := j < 0 || !beWords[toks[j].norm]
	return attribution{claimant: names, cueStart: toks[i].start, cueEnd: toks[end-1].end,
		zoneStart: toks[i].start, zoneEnd: zoneEnd, reason: ReasonPassive, modifier: modifier}, true
}

// shortTail: after the verb only a few words ("on Tuesday", "in a
// statement"), so the reported words came before it.
func shortTail(toks []token, k int) bool {
	words := 0
	for ; k < len(toks); k++ {
		if toks[k].norm == "that" || toks[k].norm == "of" || isQuoteNorm(toks[k]) {
			return false
		}
		if toks[k].kind == tokWord {
			words++
		}
	}
	return words <= 5
}

// appositiveSpeaker: "Jane Ortiz, the mayor of Springfield, said", "the
// senator from Ohio, Sherrod Brown, said", and the demo's "Russia, China,
// and Iran; with the former formally recognising …, have … raised". comma
// is the mark just before the verb.
func appositiveSpeaker(s string, toks []token, comma int) (string, int, bool) {
	k := comma - 1
	for ; k >= 0 && k > comma-30; k-- {
		n := toks[k].norm
		if isQuoteNorm(toks[k]) {
			return "", 0, false
		}
		if n == "," || n == ";" || n == "-" {
			break
		}
	}
	if k <= 0 || k == comma-1 || k <= comma-30 {
		return "", 0, false
	}
	// The aside is itself the name: ", Sherrod Brown,".
	if end, ok := nameForward(s, toks, k+1); ok && end == comma {
		return speakerName(s, toks, k+1, end), k + 1, true
	}
	// The aside describes the speaker: "the mayor of …", "who …", "with
	// …", "Russia’s foreign minister".
	if a := toks[k+1]; a.kind != tokWord || a.upper && !starterWords[a.norm] && !hasPossessive(a.norm) {
		return "", 0, false
	}
	return speakersBack(s, toks, k-1)
}

// isQuoteNorm: a double quotation mark, curly or straight; a single ’ is
// too often an apostrophe to tell.
func isQuoteNorm(t token) bool { return t.kind == tokPunct && t.norm == "\"" }

// resolvePronoun names "they"/"he"/"she" from the sentence before: its
// last named actor that is not the object of a preposition ("in
// Afghanistan"), so "… the Afghan Taliban’s reaction is revealing" gives
// "Afghan Taliban". "It" is left alone: it is mostly not a speaker.
func resolvePronoun(prev string) string {
	if prev == "" {
		return ""
	}
	toks := tokenize(prev, nil)
	quoted := quotedTokens(prev, toks)
	found := ""
	for i := 0; i < len(toks); i++ {
		if quoted[i] {
			continue
		}
		end, ok := nameForward(prev, toks, i)
		if !ok {
			continue
		}
		b := i - 1
		if b >= 0 && toks[b].norm == "the" {
			b--
		}
		if b < 0 || !prepositions[toks[b].norm] {
			if names, _, ok := speakersBack(prev, toks, end-1); ok {
				found = names
			}
		}
		i = end - 1
	}
	return found
}

var prepositions = set("in", "on", "at", "from", "to", "of", "with", "by", "into", "inside",
	"across", "for", "within", "near", "against", "toward", "towards", "about", "over", "under",
	"between", "among", "through", "like", "after", "before", "since")
