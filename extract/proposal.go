package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/models"
)

// Proposal is a claim proposed for checking: the checkable clause of a
// sentence (the whole sentence when it is one plain claim), with its
// score, kind, key spans, claimant suggestion and a short wording for
// ClaimReview's claimReviewed. Start and End are code points into the
// text; SentenceStart and SentenceEnd are those of its sentence.
type Proposal struct {
	Start         int                 `json:"start"`
	End           int                 `json:"end"`
	Text          string              `json:"text"`
	Short         string              `json:"short"`
	Score         float64             `json:"score"`
	Kind          models.Kind         `json:"kind"`
	Spans         []Span              `json:"spans"`
	Claimant      *ClaimantSuggestion `json:"claimant,omitempty"`
	SentenceStart int                 `json:"sentence_start"`
	SentenceEnd   int                 `json:"sentence_end"`
}

// ShortLimit is the length, in code points, that Short keeps under when
// the claim allows (ClaimReview consumers show about 75).
const ShortLimit = 100

// Propose returns the proposals of text whose score reaches threshold, in
// text order: each sentence is cut into its checkable clauses (cutClauses)
// and each clause is scored on its own.
func Propose(text string, threshold float64) []Proposal {
	return proposals(text, threshold)
}

// Proposals returns every clause of text as a proposal, scored, in text
// order; headings give none.
func Proposals(text string) []Proposal { return proposals(text, math.Inf(-1)) }

// minClaimWords is the fewest words of a checkable claim without a
// figure ("Unemployment hit 9%" is one): "Intro." or "Thank you." says
// nothing to check, yet with the word vectors a lone word can score like
// a claim ("Intro." 0.388 over a cut of 0.33).
const minClaimWords = 3

// proposals scores every clause and fills in the rest (spans, short
// wording, claimant) only for those that reach threshold.
func proposals(text string, threshold float64) []Proposal {
	r := []rune(text)
	segs := segmentText(r)
	sc := scorer{m: defaultModel}
	var out []Proposal
	var ctoksBuf []token
	previous := ""
	for _, g := range segs {
		st := string(r[g.start:g.end])
		if g.heading {
			previous = ""
			continue
		}
		whole, wcues := sc.score(st, false)
		toks := append([]token(nil), sc.toks...)
		clauses := cutClauses(st, toks)
		cued := claimantCued(toks)
		for _, c := range clauses {
			ct := st[c.s:c.e]
			ctoks := clauseTokens(toks, c, ctoksBuf[:0])
			ctoksBuf = ctoks
			var score float64
			var cues cueSet
			if c.whole && c.s == 0 && onlyStops(st[c.e:]) {
				// The sentence less its stop: the same features.
				score, cues = whole, wcues
			} else {
				score, cues = sc.scoreTokens(ctoks)
				if c.whole {
					// Commentary trimmed off a single claim leaves the
					// claim as worthy as its sentence.
					score = max(score, whole)
				}
			}
			if round4(score) < threshold || cues.words < minClaimWords && !cues.figure {
				continue
			}
			base := g.start + utf8.RuneCountInString(st[:c.s])
			spans, quoted := findSpans(ct, base, ctoks, false)
			spans = append(spans, nounPhrases(ct, base, ctoks)...)
			spans = sortSpans(spans)
			p := Proposal{
				Start: base, End: base + utf8.RuneCountInString(ct), Text: ct,
				Short: shortWording(ct, ctoks), Score: round4(score),
				Kind: kindOf(cues, quoted), Spans: spans,
				SentenceStart: g.start, SentenceEnd: g.end,
			}
			if cued {
				if cl, ok := claimantOf(st, toks, c.s, c.e, false, ClaimantOptions{Previous: previous}); ok {
					cl.Start += g.start
					cl.End += g.start
					p.Claimant = &cl
				}
			}
			out = append(out, p)
		}
		previous = st
	}
	return out
}

// clauseTokens are the tokens of sentence tokens toks inside clause c,
// with offsets into the clause.
func clauseTokens(toks []token, c byteRange, buf []token) []token {
	for _, t := range toks {
		if t.start >= c.s && t.end <= c.e {
			t.start -= c.s
			t.end -= c.s
			buf = append(buf, t)
		}
	}
	return buf
}

func onlyStops(s string) bool {
	for _, r := range s {
		switch r {
		case '.', ',', ';', ':', ' ', '\n', '\t':
		default:
			return false
		}
	}
	return true
}

// claimantCued is claimantIn's first pass: is there a cue word at all?
func claimantCued(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokWord && (!t.upper && (t.is(bSpeech) || t.norm == "according") ||
			t.upper && hasPossessive(t.norm)) {
			return true
		}
	}
	return false
}

func sortSpans(sp []Span) []Span {
	for i := 1; i < len(sp); i++ {
		for j := i; j > 0 && (sp[j].Start < sp[j-1].Start || sp[j].Start == sp[j-1].Start && sp[j].End < sp[j-1].End); j-- {
			sp[j], sp[j-1] = sp[j-1], sp[j]
		}
	}
	out := sp[:0]
	for i, s := range sp {
		if i > 0 && s.Start == out[len(out)-1].Start && s.End == out[len(out)-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}

// shortWording is the clause said in under ShortLimit code points where
// it can be: bracketed asides and asides between commas go first, then
// the clause is cut at the last comma that keeps its core. Only words of
// the clause are used, in their order, so the editor can check it at a
// glance; the first letter is capitalised and the closing stop dropped.
func shortWording(ct string, toks []token) string {
	s := strings.TrimSpace(ct)
	s = strings.TrimRight(s, ".;:, ")
	if utf8.RuneCountInString(s) > ShortLimit {
		s = dropBrackets(s)
	}
	if utf8.RuneCountInString(s) > ShortLimit {
		s = dropLead(s)
	}
	if utf8.RuneCountInString(s) > ShortLimit {
		s = dropAsides(s)
	}
	if utf8.RuneCountInString(s) > ShortLimit {
		// The last comma (or "while", "including") before the limit that
		// leaves at least 40 code points.
		r := []rune(s)
		cut := -1
		for i := min(len(r)-1, ShortLimit); i >= 40; i-- {
			if r[i] == ',' || r[i] == ';' || r[i] == ' ' && (hasWordAt(r, i+1, "while") || hasWordAt(r, i+1, "including") ||
				hasWordAt(r, i+1, "especially") || hasWordAt(r, i+1, "which") || hasWordAt(r, i+1, "allowing")) {
				cut = i
				break
			}
		}
		// Only a cut that leaves a whole clause (with its verb).
		if cut > 0 {
			head := strings.TrimRight(string(r[:cut]), " ,;")
			ht := tokenize(head, nil)
			if hasFinite(ht, 0, len(ht)) {
				s = head
			}
		}
	}
	return capitalise(s)
}

// leadWords open a scene-setting phrase a short wording can lose:
// "Despite repeated appeals, evidence, and even regional consensus, the
// Taliban leadership remains …".
var leadWords = set("despite", "amid", "after", "before", "since", "during", "following", "for",
	"from", "with", "without", "unlike", "like", "as", "in", "on", "at", "over", "under", "today",
	"now", "yesterday", "whenever", "when", "while", "although", "though")

func dropLead(s string) string {
	toks := tokenize(s, nil)
	if len(toks) == 0 || !leadWords[toks[0].norm] {
		return s
	}
	for k := 1; k < len(toks)-2; k++ {
		if toks[k].norm == "," && clauseAt(toks, k+1, len(toks)) {
			return s[toks[k+1].start:]
		}
	}
	return s
}

func hasWordAt(r []rune, i int, w string) bool {
	if i+len(w) > len(r) || string(r[i:i+len(w)]) != w {
		return false
	}
	return i+len(w) == len(r) || !unicode.IsLetter(r[i+len(w)])
}

func dropBrackets(s string) string {
	for {
		i := strings.Index(s, " (")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], ")")
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+1:]
	}
}

// asideOpeners open an aside between commas that a short wording can
// lose: "India, a country accused by …, is courting" → "India is courting".
var asideOpeners = set("a", "an", "which", "who", "most", "especially", "particularly", "often",
	"notably", "including", "like", "once", "with")

func dropAsides(s string) string {
	parts := strings.Split(strings.ReplaceAll(s, "; ", ", "), ", ")
	if len(parts) < 3 {
		return s
	}
	keep := []string{parts[0]}
	dropped := map[int]bool{}
	for i := 1; i < len(parts); i++ {
		f := strings.Fields(parts[i])
		if i < len(parts)-1 && len(f) > 0 && asideOpeners[strings.ToLower(f[0])] {
			dropped[len(keep)] = true
			continue
		}
		keep = append(keep, parts[i])
	}
	// An aside goes with its commas: "India, a country …, is now
	// courting" → "India is now courting".
	out := keep[0]
	for i, p := range keep[1:] {
		if dropped[i+1] {
			out += " " + p
		} else {
			out += ", " + p
		}
	}
	return out
}

func capitalise(s string) string {
	r, w := utf8.DecodeRuneInString(s)
	if w == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[w:]
}

// KeySpans returns the key spans of a claim's words (figures, actors,
// quotes, checkable phrases), offsets in code points of text. The words
// are read as one sentence: a quote cut from its sentence has lost its
// full stop and would otherwise read as a heading, which has none.
func KeySpans(text string) []Span {
	t := strings.TrimRight(text, " \t\n")
	if t == "" {
		return nil
	}
	if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune(".!?", r) {
		t += "."
	}
	var out []Span
	for _, p := range Proposals(t) {
		for _, s := range p.Spans {
			if s.End <= utf8.RuneCountInString(text) {
				out = append(out, s)
			}
		}
	}
	return out
}
