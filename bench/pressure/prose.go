package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The vocabulary of the generated documents: the broad words of a news
// desk ("rate", "government", "minister", "rose", "the") in every
// paragraph, so that a broad search matches every document's body.
var (
	subjects = []string{"The minister", "The government", "The opposition leader", "A spokesman for the Treasury",
		"The central bank", "The health secretary", "Local councils", "The mayor", "Union leaders", "The prime minister",
		"Economists at the institute", "The regional government", "A senior official", "The finance minister"}
	measures = []string{"unemployment rate", "inflation rate", "interest rate", "crime rate", "birth rate",
		"poverty rate", "employment rate", "growth rate", "tax rate", "vaccination rate", "literacy rate", "mortgage rate"}
	moves  = []string{"rose", "fell", "rose sharply", "fell slightly", "rose steadily", "doubled", "halved", "stayed flat"}
	topics = []string{"housing", "schools", "hospitals", "railways", "pensions", "energy prices", "public spending",
		"the budget", "food prices", "wages", "exports", "the deficit", "rents", "childcare", "broadband", "water bills"}
	verbs   = []string{"spent", "cut", "promised", "raised", "borrowed", "allocated", "saved", "lost"}
	places  = []string{"the north", "the capital", "rural areas", "coastal towns", "the south-west", "the cities", "every region"}
	opinion = []string{"Critics argue that the government has not explained where the money went.",
		"Supporters of the minister say the figures speak for themselves.",
		"The debate in parliament ran late into the night.",
		"Few voters, the polls suggest, have noticed the change.",
		"It is not the first time the question has been asked, and it will not be the last.",
		"The opposition called the announcement a distraction from the rising cost of living.",
		"Officials declined to say when the full report would be published.",
		"Residents in the town told reporters that nothing had changed for them.",
		"The minister did not answer questions about the timing of the decision.",
		"Whether the rate rose because of the policy or despite it is still disputed."}
)

// prose returns about size bytes of ASCII English news prose, different
// for every seed, and the spans of a few check-worthy sentences in it (in
// code points, which are bytes here).
func prose(seed uint64, size, claims int) (string, [][2]int) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var b strings.Builder
	b.Grow(size + 1024)
	var spans [][2]int
	fmt.Fprintf(&b, "Dispatch %d from the desk.\n\n", seed)
	for b.Len() < size {
		n := 4 + r.IntN(5)
		for i := 0; i < n; i++ {
			var s string
			switch r.IntN(5) {
			case 0:
				s = fmt.Sprintf("%s said the %s %s to %d.%d percent in %d.", pick(subjects), pick(measures), pick(moves), 1+r.IntN(20), r.IntN(10), 1990+r.IntN(36))
			case 1:
				s = fmt.Sprintf("%s %s %d million pounds on %s in %s last year, according to the minister.", pick(subjects), pick(verbs), 5+r.IntN(900), pick(topics), pick(places))
			case 2:
				s = fmt.Sprintf("Since %d, the %s in %s has %s by %d points, the government says.", 2000+r.IntN(25), pick(measures), pick(places), pick(moves), 1+r.IntN(30))
			case 3:
				s = fmt.Sprintf("Spending on %s rose from %d billion to %d billion over %d years.", pick(topics), 1+r.IntN(40), 41+r.IntN(60), 2+r.IntN(10))
			default:
				s = pick(opinion)
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			if len(spans) < claims && r.IntN(50) == 0 && s[len(s)-1] == '.' && strings.ContainsAny(s, "0123456789") {
				spans = append(spans, [2]int{b.Len(), b.Len() + len(s)})
			}
			b.WriteString(s)
		}
		b.WriteString("\n\n")
	}
	return b.String(), spans
}
