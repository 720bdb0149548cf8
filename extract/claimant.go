package extract

import (
	"strings"
	"unicode/utf8"
)

// ClaimantOptions is what the caller knows about the document a sentence
// comes from. Detection knows none of it, so it never proposes the author.
type ClaimantOptions struct {
	// Author is the document's author. It is proposed only for a
	// first-person claim of an op-ed ("We have seen how …", "I visited …"),
	// where the author speaks; empty, nothing is proposed for such a claim.
	Author string
	// OpEd says the document speaks in its author's voice. In a news
	// report "we" is a quoted speaker or the newsroom, not a claimant.
	OpEd bool
	// Previous is the sentence before, where a speaker named only "they",
	// "he" or "she" is looked up ("… the Afghan Taliban’s reaction is
	// revealing. … they accuse Pakistan of …").
	Previous string
}

// Why a claimant is proposed: the pattern that named it.
const (
	ReasonSaid          = "said"           // "Russia warned that …", "…, Reuters reported"
	ReasonAccordingTo   = "according to"   // "according to the UN, …"
	ReasonPossessive    = "possessive"     // "Moscow’s warning about …"
	ReasonQuotedSpeaker = "quoted speaker" // "“…,” said Jane Ortiz", "“…,” Ortiz said"
	ReasonPassive       = "passive"        // "accused by Canada and the United States of …"
	ReasonPronoun       = "pronoun"        // "they accuse …", named in the previous sentence
	ReasonFirstPerson   = "first person"   // "we have seen …" in an op-ed: its author
)

// ClaimantSuggestion proposes who made a claim. An editor confirms it: it
// is a reading of the sentence, not a fact. Claimant is the name as a
// claim record keeps it: actors normalised as matching does ("Moscow" →
// "Russia"), titles dropped ("Mayor Jane Ortiz" → "Jane Ortiz": the title
// changes, the person does not, and matching claims by person needs the
// name), articles dropped ("the Afghan Taliban" → "Afghan Taliban"), a
// list joined as "Russia, China and Iran". Cue is the words it came from
// and Start, End their code points in the text given (the sentence for
// SuggestClaimant, the document for Sentences and Detect).
type ClaimantSuggestion struct {
	Claimant string `json:"claimant"`
	Cue      string `json:"cue"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Reason   string `json:"reason"`
}

// SuggestClaimant proposes who made the claim at code points
// [claimStart, claimEnd) of sentence; claimEnd <= claimStart means the
// whole sentence. Of the attributions whose words cover the claim it takes
// the nearest, so in "Regional players like Russia, China, and Iran; with
// the former formally recognising the Taliban as a government, have
// publicly raised alarms about …" the alarms are credited to the three
// states and the aside about recognition to nobody. ok is false when the
// sentence names no one for the claim.
func SuggestClaimant(sentence string, claimStart, claimEnd int, opts ClaimantOptions) (ClaimantSuggestion, bool) {
	toks := tokenize(sentence, nil)
	cs, ce, whole := 0, len(sentence), claimEnd <= claimStart
	if !whole {
		cs, ce = byteOffset(sentence, claimStart), byteOffset(sentence, claimEnd)
	}
	return claimantOf(sentence, toks, cs, ce, whole, opts)
}

// claimantIn is detection's call: the whole sentence, no author. Most
// sentences hold no attribution cue at all, and one pass over the tokens
// the scorer already made says so before any parsing.
func claimantIn(s string, toks []token, previous string) *ClaimantSuggestion {
	cued := false
	for _, t := range toks {
		if t.kind == tokWord && (!t.upper && (speechVerbs[t.norm] || t.norm == "according") ||
			t.upper && hasPossessive(t.norm)) {
			cued = true
			break
		}
	}
	if !cued {
		return nil
	}
	c, ok := claimantOf(s, toks, 0, len(s), true, ClaimantOptions{Previous: previous})
	if !ok {
		return nil
	}
	return &c
}

// claimantOf works in bytes; cs, ce are the claim's byte offsets.
func claimantOf(s string, toks []token, cs, ce int, whole bool, opts ClaimantOptions) (ClaimantSuggestion, bool) {
	var best *attribution
	bestDist := 0
	for _, a := range findAttributions(s, toks) {
		if whole && a.modifier || cs >= a.zoneEnd || ce <= a.zoneStart {
			continue
		}
		d := a.cueStart - cs
		if d < 0 {
			d = -d
		}
		if best != nil && d >= bestDist {
			continue
		}
		if a.pronoun {
			// Read the sentence before only for a speaker that would win.
			if a.claimant = resolvePronoun(opts.Previous); a.claimant == "" {
				continue
			}
		}
		a := a
		best, bestDist = &a, d
	}
	if best != nil {
		return suggestion(s, best.claimant, best.cueStart, best.cueEnd, best.reason), true
	}
	if opts.OpEd && strings.TrimSpace(opts.Author) != "" {
		if i := firstPersonSubject(toks, quotedTokens(s, toks)); i >= 0 {
			return suggestion(s, strings.TrimSpace(opts.Author), toks[i].start, toks[i].end, ReasonFirstPerson), true
		}
	}
	return ClaimantSuggestion{}, false
}

func suggestion(s, claimant string, start, end int, reason string) ClaimantSuggestion {
	cp := utf8.RuneCountInString(s[:start])
	return ClaimantSuggestion{
		Claimant: claimant, Cue: s[start:end], Reason: reason,
		Start: cp, End: cp + utf8.RuneCountInString(s[start:end]),
	}
}

// firstPersonSubject is the token where the author speaks as a subject:
// "I" or "we" anywhere (they are always subjects), "our" or "my" opening a
// clause ("Our analysis shows …"). Inside quotation marks the words are the
// quoted speaker's, so they do not count.
func firstPersonSubject(toks []token, quoted []bool) int {
	for i, t := range toks {
		if t.kind != tokWord || quoted[i] {
			continue
		}
		switch t.norm {
		case "i", "we", "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'll", "we'd":
			// "We were told by villagers that …": the villagers speak.
			if i+2 < len(toks) && beWords[toks[i+1].norm] && toldWords[toks[i+2].norm] {
				continue
			}
			return i
		case "our", "my":
			if i == 0 || toks[i-1].kind == tokPunct && toks[i-1].norm != "'" {
				return i
			}
		}
	}
	return -1
}

var toldWords = set("told", "informed", "assured", "warned", "shown")

// quotedTokens marks the tokens inside quotation marks, curly or straight.
func quotedTokens(s string, toks []token) []bool {
	q := make([]bool, len(toks))
	curly, straight := false, false
	for i, t := range toks {
		if t.kind == tokPunct {
			switch s[t.start:t.end] {
			case "“":
				curly = true
				continue
			case "”":
				curly = false
				continue
			case "\"":
				straight = !straight
				continue
			}
		}
		q[i] = curly || straight
	}
	return q
}

// byteOffset converts a code-point offset of s to a byte offset, clamped.
func byteOffset(s string, cp int) int {
	if cp <= 0 {
		return 0
	}
	n := 0
	for b := range s {
		if n == cp {
			return b
		}
		n++
	}
	return len(s)
}
