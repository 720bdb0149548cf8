package extract

import (
	"strconv"
	"strings"
)

// claimTerms is what two claims are compared on: the figures they state,
// the actors they name and their content words, all normalised so that a
// paraphrase ("Moscow warned of 23,000 terrorists" / "23 thousand
// terrorists, Moscow’s warning says") shares them.
type claimTerms struct {
	figures, names, words map[string]bool
	// said is the first wording of each term in the text, for reasons.
	said map[string]string
}

func termsOf(s string) claimTerms {
	toks := tokenize(s, nil)
	t := claimTerms{figures: map[string]bool{}, names: map[string]bool{}, words: map[string]bool{}, said: map[string]string{}}
	say := func(term, surface string) {
		if _, ok := t.said[term]; !ok {
			t.said[term] = surface
		}
	}
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		switch tk.kind {
		case tokNumber:
			raw := strings.ReplaceAll(s[tk.start:tk.end], ",", "")
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				continue
			}
			suffix := ""
		scale:
			for i+1 < len(toks) {
				switch toks[i+1].norm {
				case "thousand":
					v *= 1e3
				case "million":
					v *= 1e6
				case "billion":
					v *= 1e9
				case "trillion":
					v *= 1e12
				case "%", "percent":
					suffix = "%"
				default:
					break scale
				}
				i++
			}
			f := strconv.FormatFloat(v, 'g', -1, 64) + suffix
			t.figures[f] = true
			t.words[f] = true
			say(f, s[tk.start:toks[i].end])
		case tokWord:
			w := tk.norm
			if tk.upper {
				// Only a capitalised word is a name: "US" the state, "us" the pronoun.
				if actor, ok := actorAliases[strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")]; ok {
					t.names[actor] = true
					t.words[actor] = true
					say(actor, actor)
					continue
				}
			}
			if stopWords[w] || len(w) < 2 {
				continue
			}
			st := stem(w)
			if tk.upper && (i > 0 || !starterWords[w]) {
				t.names[st] = true
			}
			t.words[st] = true
			say(st, s[tk.start:tk.end])
		}
	}
	return t
}

// stem folds the common English endings so "warned", "warning" and "warns"
// meet; crude, but claims are short and this only feeds an overlap.
func stem(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
	for _, suf := range []string{"ing", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	if len(w) > 7 {
		w = w[:7]
	}
	return w
}

// dice is the Dice coefficient of two sets.
func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// Similarity says in [0,1] how much two claims say the same thing. The
// figures weigh most, then the named actors, then the remaining words; a
// part neither claim has does not count. Two claims stating different
// figures are different claims, so the score is halved.
func Similarity(a, b string) float64 { return similarity(termsOf(a), termsOf(b)) }

func similarity(ta, tb claimTerms) float64 {
	if len(ta.words) == 0 || len(tb.words) == 0 {
		return 0
	}
	var sum, weight float64
	part := func(w float64, x, y map[string]bool) {
		switch {
		case len(x) > 0 && len(y) > 0:
			sum += w * dice(x, y)
			weight += w
		case len(x) > 0 || len(y) > 0:
			weight += w / 2 // one side names what the other lacks
		}
	}
	part(0.35, ta.figures, tb.figures)
	part(0.25, ta.names, tb.names)
	part(0.40, ta.words, tb.words)
	s := sum / weight
	if len(ta.figures) > 0 && len(tb.figures) > 0 && dice(ta.figures, tb.figures) == 0 {
		s /= 2
	}
	return round4(min(1, s))
}
