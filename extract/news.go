package extract

import "strings"

// News and opinion cues. The model learned from debates; an op-ed states
// its opinions in other words: judgements ("a missed opportunity", "as
// cynical as it was predictable"), duties ("have a duty to", "it is time
// for"), predictions ("will only deepen") and commentary with nothing to
// check ("This is about more than money"), and it reports plain events
// without figures ("Tribal elders have issued ultimatums"). These lists are
// general English, not any one document's words; the rules in score.go
// weigh them.

var (
	// evaluativeWords judge rather than describe.
	evaluativeWords = set("shameful", "disgraceful", "outrageous", "ridiculous", "absurd", "cynical",
		"hypocrisy", "hypocritical", "arrogance", "arrogant", "naive", "naïve", "foolish", "reckless",
		"irresponsible", "bold", "ambitious", "overdue", "long-overdue", "welcome", "laudable",
		"commendable", "admirable", "deplorable", "appalling", "disappointing", "disturbing",
		"troubling", "alarming", "worrying", "dangerous", "inadequate", "woefully", "futility",
		"futile", "pointless", "tragedy", "tragic", "triumph", "masterclass", "disaster", "disastrous",
		"catastrophe", "catastrophic", "farce", "travesty", "betrayal", "duplicity", "deafening",
		"breathtaking", "stark", "glaring", "crossroads", "abdication", "evasion", "opportunity",
		"missed", "unacceptable", "inexcusable", "unforgivable", "sad", "shame", "disgrace",
		"remarkable", "extraordinary", "staggering", "stunning", "crucial", "vital", "essential",
		"critical", "imperative", "necessary", "wise", "unwise", "mistake", "blunder", "failure",
		"success", "hollow", "empty", "meaningless", "offensive", "alarming", "sobering", "grim",
		"bleak", "darker", "revealing", "telling", "testament", "hostage", "wake-up", "responsibility", "fate", "reality",
		"lesson", "truth", "answer", "answers", "question", "stakes", "clock", "rich", "perceptions",
		"narratives", "survival", "courage", "patience", "trust", "hope", "outrage", "wonder",
		"surprise", "surprised", "pessimism", "optimism", "right", "wrong", "better", "worse")
	// dutyWords urge without "must": "have a duty to", "it is time".
	dutyWords = set("duty", "obligation", "time", "imperative", "alternative", "afford", "deserve",
		"deserves", "owe", "let", "moment", "role", "allowed", "needs", "need")
	copulaWords = set("is", "are", "was", "were", "'s", "be", "been", "remains", "remain", "seems",
		"becomes", "became", "stands")
	// irregularPast are common past forms that do not end in -ed.
	irregularPast = set("met", "struck", "went", "rose", "fell", "sprang", "sprung", "began", "begun",
		"took", "taken", "gave", "given", "made", "won", "lost", "held", "fled", "led", "left", "sent",
		"set", "shut", "hit", "cut", "built", "brought", "bought", "caught", "fought", "sought",
		"spent", "paid", "told", "found", "kept", "broke", "broken", "chose", "drove", "flew", "froze",
		"grew", "grown", "knew", "rode", "shook", "spoke", "stole", "wrote", "written", "seized",
		"arose", "arisen", "emerged", "came", "come", "ran", "sold", "sat", "stood", "swept", "shot",
		"slid", "withdrew", "withdrawn", "overtook", "undertook", "forbade", "began", "bore", "drew",
		"laid", "lent", "meant", "put", "read", "sank", "sunk", "split", "spread", "struck", "swore",
		"threw", "thrown", "tore", "torn", "woke", "wore", "done", "did", "got", "gotten")
	// cognitionVerbs name a change of mind: after a modal ("must realise",
	// "should understand", "need to recognise") they demand a belief of
	// someone, which no record can show.
	cognitionVerbs = set("realise", "realize", "understand", "recognise", "recognize", "acknowledge",
		"accept", "appreciate", "grasp", "know", "learn", "remember", "comprehend", "concede", "admit",
		"heed", "internalise", "internalize", "wake", "reckon")
	// predictWords speak of what is to come.
	predictWords = set("will", "'ll", "soon", "sooner", "later", "coming", "ticking", "bound",
		"likely", "unlikely", "future", "eventually", "inevitably", "would", "could", "may", "might")
)

// newsCues is what the news rules read off a sentence, beyond cueSet.
type newsCues struct {
	evaluative bool // a judging word
	judgement  bool // a copular sentence that judges: "X is a missed opportunity"
	verdict    bool // the judging word is the predicate itself: "X is revealing"
	duty       bool // "have a duty to", "it is time", "no alternative"
	event      bool // a finite past or perfect verb: something happened
	predict    bool // will, likely, ticking
	belief     bool // a modal before a cognition verb: "must realise", "need to understand"
	subjectPro bool // opens with this/that/it/there/such
	content    int  // content words (not stop words)
}

func findNewsCues(toks []token) newsCues {
	var n newsCues
	firstWord := true
	copulaAt := -1
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		w := t.norm
		if firstWord {
			firstWord = false
			switch w {
			case "this", "that", "it", "it's", "there", "such", "these", "those", "much", "few",
				"some", "perhaps", "in", "the":
				n.subjectPro = w != "in" && w != "the"
			}
		}
		if !t.is(bStop) {
			n.content++
		}
		if t.is(bEval) {
			n.evaluative = true
		}
		if t.is(bCopula) && copulaAt < 0 {
			copulaAt = i
		}
		if t.is(bDuty) {
			switch {
			case w == "time" && i > 0 && (toks[i-1].norm == "high" || toks[i-1].norm == "is" || toks[i-1].norm == "the"):
				n.duty = i+1 < len(toks) && (toks[i+1].norm == "for" || toks[i+1].norm == "to" || toks[i+1].norm == "the")
			case w == "moment" && i+1 < len(toks) && toks[i+1].norm == "to":
				n.duty = true
			case w == "alternative" && i > 0 && toks[i-1].norm == "no":
				n.duty = true
			case w == "afford" && i > 0 && (toks[i-1].norm == "cannot" || toks[i-1].norm == "can't"):
				n.duty = true
			case w == "allowed" && i > 1 && toks[i-1].norm == "be" && (toks[i-2].norm == "cannot" || toks[i-2].norm == "can't"):
				n.duty = true
			case w == "duty" || w == "obligation" || w == "imperative" || w == "owe" || w == "deserve" || w == "deserves":
				n.duty = true
			case w == "role" && i+1 < len(toks) && toks[i+1].norm == "to":
				n.duty = true
			case (w == "need" || w == "needs") && i+1 < len(toks) && toks[i+1].norm == "to":
				n.duty = true
			case w == "let" && i+1 < len(toks) && (toks[i+1].norm == "us" || toks[i+1].norm == "'s"):
				n.duty = true
			}
		}
		if t.is(bPredict) {
			n.predict = true
		}
		if t.is(bCognition) && demandsBelief(toks, i) {
			n.belief = true
		}
		if t.is(bIrregular) || len(w) > 4 && w[len(w)-2:] == "ed" && !t.is(bEval) {
			// "have issued", "were killed", "met", "emerged"; not an
			// adjective before a noun ("the banned group").
			if i+1 >= len(toks) || toks[i+1].kind != tokWord || toks[i+1].is(bStop) || i > 0 && toks[i-1].is(bEventAux) {
				n.event = true
			}
		}
		if (w == "has" || w == "have" || w == "had") && i+1 < len(toks) && toks[i+1].kind == tokWord {
			// "have rebuilt", "has already closed": a perfect, not "have to"
			// or "have a duty".
			next := toks[i+1].norm
			if (next == "also" || next == "already" || next == "even") && i+2 < len(toks) {
				next = toks[i+2].norm
			}
			if next != "to" && !stopWords[next] && !evaluativeWords[next] || next == "been" {
				n.event = true
			}
		}
		if w == "being" && i+1 < len(toks) && len(toks[i+1].norm) > 3 && toks[i+1].norm[len(toks[i+1].norm)-2:] == "ed" {
			n.event = true // "Delegations are being exchanged"
		}
	}
	if copulaAt >= 0 && n.evaluative {
		n.judgement = true
		for k := copulaAt + 1; k < len(toks) && k <= copulaAt+3; k++ {
			w := toks[k].norm
			if toks[k].is(bEval) {
				n.verdict = k+1 >= len(toks) || toks[k+1].kind == tokPunct
				break
			}
			if toks[k].kind != tokWord || !strings.HasSuffix(w, "ly") && w != "so" && w != "very" && w != "particularly" && w != "deeply" {
				break
			}
		}
	}
	return n
}

// demandsBelief reports whether the cognition verb at i follows a modal
// of obligation within three words: "must realise", "should finally
// understand", "need to recognise", "have to accept", "ought to know".
// "had to learn" is not one: a past obligation is an event.
func demandsBelief(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := toks[k]
		if t.kind != tokWord {
			return false
		}
		switch t.norm {
		case "must", "should", "mustn't", "shouldn't":
			return true
		case "to":
			if k > 0 {
				switch toks[k-1].norm {
				case "need", "needs", "has", "have", "ought":
					return true
				}
			}
			return false
		}
	}
	return false
}

var eventAux = set("has", "have", "had", "was", "were", "is", "are", "been", "be", "'ve", "'s", "being",
	"not", "never", "also", "even", "already", "repeatedly", "recently", "reportedly", "since")
