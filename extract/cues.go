package extract

import "strings"

// Cue words. They are general markers of how a sentence makes its point,
// taken from the fact-checking literature (ClaimBuster, Full Fact) and
// newsroom style guides, not from any one document.
var (
	attributionWords = set("said", "says", "say", "told", "tells", "according", "warned", "warns",
		"reported", "reports", "announced", "announces", "claimed", "claims", "stated", "states",
		"testified", "admitted", "admits", "accused", "accuses", "confirmed", "confirms", "estimated",
		"estimates", "insisted", "noted", "acknowledged", "denied", "denies", "alleged", "revealed",
		"disclosed", "declared", "raised", "cited", "quoted", "statement", "statements", "warning",
		"report", "survey", "study", "figures", "data", "census", "poll")
	comparisonWords = set("than", "highest", "lowest", "largest", "biggest", "smallest", "fastest",
		"slowest", "worst", "best", "record", "doubled", "tripled", "halved",
		"increased", "decreased", "increase", "decrease", "rose", "fell", "grew", "dropped", "declined",
		"risen", "fallen", "grown", "surged", "plunged", "twice", "times", "compared", "versus", "fewer",
		"greater", "higher", "lower", "larger", "smaller")
	// words ending in "est" that are not superlatives
	notSuperlative = set("interest", "protest", "request", "arrest", "forest", "honest", "harvest",
		"suggest", "invest", "modest", "contest", "digest", "manifest", "conquest", "behest",
		"earnest", "attest", "detest", "divest", "midwest", "southwest", "northwest", "inquest")
	causalWords = set("because", "caused", "causes", "cause", "due", "result", "resulted", "therefore",
		"thanks", "consequence", "led", "leads", "blamed", "responsible", "attributed")
	hedgeWords = set("maybe", "perhaps", "might", "may", "could", "possibly", "probably", "likely",
		"seems", "seem", "appears", "apparently", "suggests", "arguably", "perhaps")
	exhortWords  = set("must", "should", "ought", "shall", "let's", "lets", "urge", "needs", "need")
	futureWords  = set("will", "'ll", "going", "gonna", "would", "tomorrow", "future", "soon")
	opinionWords = set("think", "believe", "feel", "hope", "want", "wish", "opinion", "convinced",
		"sure", "agree", "disagree", "naive", "naïve", "clearly", "obviously", "ridiculous", "shameful",
		"disgraceful", "outrageous", "wrong", "right", "great", "terrible", "wonderful", "important",
		"critical", "crucial", "essential", "vital", "dangerous", "alarming", "troubling", "disappointing",
		"reality", "choice", "deserve", "deserves")
	firstPerson = set("i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "we'll",
		"our", "us")
	quantityWords = set("million", "millions", "billion", "billions", "trillion", "trillions",
		"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "percent", "per", "cent",
		"half", "third", "quarter", "majority", "minority", "dollars", "pounds", "euros", "rupees",
		"tons", "tonnes", "km", "miles", "acres", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten", "twenty", "fifty")
	// units that make a bare number a figure: "3.5 million", "40 percent"
	scaleWords = set("million", "millions", "billion", "billions", "trillion", "thousand",
		"thousands", "hundred", "hundreds", "percent", "per", "dozen")
	monthWords = set("january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december")
	stopWords = set("a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from",
		"by", "with", "about", "as", "into", "over", "under", "than", "that", "this", "these", "those",
		"it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
		"do", "does", "did", "not", "no", "so", "if", "then", "there", "their", "they", "them", "he",
		"she", "his", "her", "him", "we", "our", "us", "you", "your", "i", "me", "my", "who", "whom",
		"which", "what", "when", "where", "why", "how", "all", "any", "some", "more", "most", "such",
		"very", "also", "just", "even", "only", "other", "another", "can", "will", "would", "could",
		"should", "must", "may", "might", "up", "out", "said", "says", "while", "after", "before",
		"yet", "now", "both", "each", "every", "per", "cent", "s", "during", "within", "inside",
		"without", "between", "among", "through", "across", "against", "toward", "towards", "upon",
		"despite", "amid", "like", "near", "since", "until", "around", "behind", "beyond", "along",
		"via", "outside", "because", "although", "though")
	// words that open a sentence after an abbreviation ("in the U.S. The …")
	starterWords = set("the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and",
		"this", "that", "these", "those", "there", "in", "on", "at", "for", "if", "when", "while",
		"however", "meanwhile", "yet", "so", "his", "her", "their", "its", "our", "my", "as", "after",
		"before", "since", "although", "though", "today", "yesterday", "what", "why", "how", "who",
		"some", "many", "most", "no", "not", "one", "all", "whenever", "wherever", "whereas",
		"unless", "until", "despite", "because", "meanwhile", "moreover", "furthermore",
		"nevertheless", "nonetheless", "instead", "indeed", "still", "then", "thus", "hence", "also",
		"amid", "during", "under", "over", "from", "with", "without", "by", "to", "like", "unlike",
		"according", "last", "next", "every", "each", "both", "several", "few", "such", "only",
		"even", "now", "here", "once", "later", "earlier", "finally", "first", "second", "third",
		"rather", "regardless", "throughout", "within", "among", "between", "against", "whether",
		"where", "which", "whose", "do", "does", "did", "is", "are", "was", "were", "will", "would",
		"can", "could", "should", "must", "may", "might", "let", "let's", "yes", "well", "oh", "so",
		"again", "other", "another", "more", "less", "far", "much", "any", "those", "every")
)

// Flags of the lexicon, one bit per word list.
const (
	lexAttribution uint16 = 1 << iota
	lexCausal
	lexHedge
	lexExhort
	lexFuture
	lexCompare
	lexOpinion
	lexFirstPerson
	lexQuantity
)

// lexicon merges the word lists findCues reads, so a word costs one lookup.
var lexicon = flagWords([]flaggedWords[uint16]{
	{attributionWords, lexAttribution}, {causalWords, lexCausal}, {hedgeWords, lexHedge},
	{exhortWords, lexExhort}, {futureWords, lexFuture}, {opinionWords, lexOpinion},
	{firstPerson, lexFirstPerson}, {quantityWords, lexQuantity},
	{set("than", "most", "least"), lexCompare}, {comparisonWords, lexCompare},
})

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// cueSet is what the rules know about a sentence.
type cueSet struct {
	figure      bool // a number other than a bare year
	figureNoun  bool // a number with its unit or noun: "23,000 terrorists", "40 percent"
	year        bool
	money       bool
	quantity    bool // "millions of", "thousands of"
	attribution bool
	comparison  bool
	causal      bool
	hedge       bool
	exhort      bool
	future      bool
	opinion     bool
	firstPerson bool
	question    bool
	conditional bool // opens with "if" or "unless": a hypothetical
	quoted      bool
	actors      int // capitalised words not opening the sentence
	pastTense   int
	words       int
	news        newsCues
}

// findCues reads the cues off the tokens of one sentence.
func findCues(toks []token) cueSet {
	var c cueSet
	c.news = findNewsCues(toks)
	first := true
	for i, t := range toks {
		switch t.kind {
		case tokNumber:
			if t.norm == "<year>" {
				c.year = true
				break
			}
			c.figure = true
			if i+1 < len(toks) {
				n := toks[i+1]
				if n.kind == tokWord && !stopWords[n.norm] || n.norm == "%" || scaleWords[n.norm] {
					c.figureNoun = true
				}
			}
			if i > 0 && (toks[i-1].norm == "$" || toks[i-1].norm == "£" || toks[i-1].norm == "€") {
				c.money = true
				c.figureNoun = true
			}
		case tokWord:
			c.words++
			w := t.norm
			if c.words == 1 && (w == "if" || w == "unless" || w == "suppose") {
				c.conditional = true
			}
			// tokenize's one lookup answered every word list: this loop
			// runs for each word of a document.
			f := t.cues
			switch {
			case f&lexAttribution != 0:
				c.attribution = true
			case f&lexCausal != 0:
				c.causal = true
			case f&lexHedge != 0:
				c.hedge = true
			case f&lexExhort != 0:
				// "should have been" judges the past; it urges nothing.
				if i+1 >= len(toks) || toks[i+1].norm != "have" {
					c.exhort = true
				}
			case f&lexFuture != 0:
				c.future = true
			}
			if (f&lexCompare != 0 || len(w) > 5) && comparative(toks, i) {
				c.comparison = true
			}
			if f&lexOpinion != 0 {
				c.opinion = true
			}
			if f&lexFirstPerson != 0 {
				c.firstPerson = true
			}
			if f&lexQuantity != 0 && i+1 < len(toks) && toks[i+1].norm == "of" {
				c.quantity = true
			}
			if w == "dollars" || w == "rupees" || w == "euros" {
				c.money = true
			}
			if t.upper && (!first || leadingName(toks, i)) && w != "i" && !monthWords[w] {
				c.actors++
			}
			if len(w) > 4 && w[len(w)-2:] == "ed" {
				c.pastTense++
			}
			first = false
		case tokPunct:
			switch t.norm {
			case "?":
				c.question = true
			case "\"":
				c.quoted = true
			case ":":
				// A capital after a colon opens a new clause, not a name.
				first = true
			}
		}
	}
	return c
}

// comparative reports whether the word at i compares: "than" (but not
// "rather than"), a superlative, "most"/"least" before an adjective, or a
// word of change such as "doubled".
func comparative(toks []token, i int) bool {
	w := toks[i].norm
	switch {
	case w == "than":
		return i == 0 || (toks[i-1].norm != "rather" && toks[i-1].norm != "other")
	case w == "most" || w == "least":
		if i+1 < len(toks) && toks[i+1].kind == tokWord {
			n := toks[i+1].norm
			return !stopWords[n] && !strings.HasSuffix(n, "ly")
		}
		return false
	case comparisonWords[w]:
		return true
	}
	return len(w) > 5 && strings.HasSuffix(w, "est") && !notSuperlative[w]
}
