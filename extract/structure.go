package extract

// Structural features: how a sentence is built rather than which words it
// uses. A debate sentence that reports ("he said"), counts ("9 million
// jobs"), compares or names an actor tends to be checkable; one that asks,
// urges, speculates about the future or hedges with a modal tends not to be.
// Each is one binary feature named "t:…" in the model file.

var (
	modalWords = set("can", "could", "may", "might", "would", "should", "must", "shall", "ought",
		"can't", "couldn't", "wouldn't", "shouldn't", "won't", "mustn't")
	// imperativeVerbs open a command: "Look at the record.", "Let me be clear."
	imperativeVerbs = set("let", "look", "imagine", "consider", "remember", "stop", "take", "give",
		"make", "go", "come", "tell", "vote", "join", "help", "listen", "ask", "understand", "think",
		"keep", "bring", "put", "get", "start", "don't", "please", "read", "check", "see", "note",
		"forget", "wait", "believe", "support", "end", "fight", "stand", "act")
	negationWords = set("not", "no", "never", "n't", "don't", "doesn't", "didn't", "isn't", "aren't",
		"wasn't", "weren't", "haven't", "hasn't", "won't", "can't", "nothing", "nobody", "none")
	perfectAux = set("has", "have", "had", "'ve", "'s")
	// reportVerbs are the speech verbs that make a sentence reported speech.
	reportVerbs = set("said", "says", "say", "told", "tells", "warned", "warns", "reported",
		"reports", "announced", "claimed", "claims", "stated", "testified", "admitted", "accused",
		"confirmed", "estimated", "insisted", "noted", "acknowledged", "denied", "alleged",
		"revealed", "disclosed", "declared", "according", "voted", "signed", "proposed")
	openers = set("and", "but", "so", "well", "now", "i", "we", "you", "they", "he", "she", "it",
		"the", "this", "that", "there", "if", "what", "why", "how", "when", "let", "in", "thank",
		"yes", "no", "because", "look", "our", "my")
)

// The structural features, in a fixed order.
const (
	stReported = iota
	stNumUnit
	stActor
	stActors2
	stComparative
	stModal
	stImperative
	stQuestion
	stFuture
	stPerfect
	stNegation
	stYou
	stWe
	stI
	stIThink
	stNumbers2
	stYearNum
	stPercent
	stMoney
	stPast
	stQuote
	stExclaim
	stShort
	stLong
	structureCount
)

var structureNames = [structureCount]string{stReported: "reported", stNumUnit: "num_unit",
	stActor: "actor", stActors2: "actors2", stComparative: "comparative", stModal: "modal",
	stImperative: "imperative", stQuestion: "question", stFuture: "future", stPerfect: "perfect",
	stNegation: "negation", stYou: "you", stWe: "we", stI: "i", stIThink: "i_think",
	stNumbers2: "numbers2", stYearNum: "year_num", stPercent: "percent", stMoney: "money",
	stPast: "past", stQuote: "quote", stExclaim: "exclaim", stShort: "short", stLong: "long"}

var structureFeatures = newFeatureGroup("t:", structureNames[:], 1)

var hashOpener = hashName("t:open=")

// structure adds the structural features of a sentence.
func structure(toks []token, c cueSet, sink *featureSink) {
	var f struct {
		reported, modal, imperative, future, perfect, negation, you, we, i, iThink bool
		percent, exclaim                                                           bool
		numbers                                                                    int
	}
	first := -1
	for k, t := range toks {
		switch t.kind {
		case tokNumber:
			if t.norm != "<year>" {
				f.numbers++
			}
			continue
		case tokPunct:
			switch t.norm {
			case "%":
				f.percent = true
			case "!":
				f.exclaim = true
			}
			continue
		}
		w := t.norm
		if first < 0 {
			first = k
			if t.is(bImperative) && (k+1 >= len(toks) || toks[k+1].norm != "you") {
				f.imperative = true
			}
		}
		switch {
		case t.is(bReport):
			f.reported = true
		case t.is(bModal):
			f.modal = true
		}
		switch w {
		case "will", "'ll", "gonna":
			f.future = true
		case "going":
			f.future = f.future || k+1 < len(toks) && toks[k+1].norm == "to"
		case "you", "your", "you're", "you've":
			f.you = true
		case "we", "we're", "we've", "our", "us":
			f.we = true
		case "i", "i'm", "i've", "me", "my":
			f.i = true
			if k+1 < len(toks) && (toks[k+1].norm == "think" || toks[k+1].norm == "believe") {
				f.iThink = true
			}
		case "percent":
			f.percent = true
		}
		if t.is(bNeg) || len(w) > 3 && w[len(w)-3:] == "n't" {
			f.negation = true
		}
		if t.is(bPerfectAux) && k+1 < len(toks) {
			if n := toks[k+1].norm; len(n) > 3 && (n[len(n)-2:] == "ed" || n[len(n)-2:] == "en") {
				f.perfect = true
			}
		}
	}
	structureFeatures.add(sink, bitIf(f.reported && c.actors > 0, stReported)|bitIf(c.figureNoun, stNumUnit)|
		bitIf(c.actors > 0, stActor)|bitIf(c.actors > 1, stActors2)|bitIf(c.comparison, stComparative)|
		bitIf(f.modal, stModal)|bitIf(f.imperative, stImperative)|bitIf(c.question, stQuestion)|
		bitIf(f.future, stFuture)|bitIf(f.perfect, stPerfect)|bitIf(f.negation, stNegation)|
		bitIf(f.you, stYou)|bitIf(f.we, stWe)|bitIf(f.i, stI)|bitIf(f.iThink, stIThink)|
		bitIf(f.numbers >= 2, stNumbers2)|bitIf(c.year && f.numbers > 0, stYearNum)|
		bitIf(f.percent, stPercent)|bitIf(c.money, stMoney)|bitIf(c.pastTense >= 2, stPast)|
		bitIf(c.quoted, stQuote)|bitIf(f.exclaim, stExclaim)|bitIf(c.words < 5, stShort)|
		bitIf(c.words >= 30, stLong))
	if first >= 0 {
		w := toks[first].norm
		if !toks[first].is(bOpener) {
			w = "*"
		}
		sink.add(fnvAdd(hashOpener, w), func() string { return "t:open=" + w })
	}
}
