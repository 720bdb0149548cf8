package extract

import "factdesk/models"

// The model learned from debate transcripts, where check-worthy means
// "a candidate states a fact about the world". News and op-eds state their
// facts through figures and attributions and their opinions through
// exhortation and rhetoric, in words a debate rarely uses. These nudges,
// in logit units, carry the model over: they are the newsroom's rules of
// thumb (ClaimBuster's and Full Fact's annotation guides say the same) and
// they are applied in the cross-validation too, so the evaluation measures
// what ships.
const (
	nudgeHeading     = -4.0 // a title states no claim
	nudgeQuestion    = -1.2 // rhetorical questions ask, they do not assert
	nudgeExhort      = -1.2 // "must", "should": a demand, not a fact
	nudgeExhortNews  = -0.8 // and more so in an op-ed, where "X must realise" names actors
	nudgeOpinion     = -0.4 // evaluative words without a figure
	nudgeFigure      = 0.6  // a number with its noun: the core of a statistic
	nudgeQuantity    = 0.3  // "thousands of", "millions of"
	nudgeAttribution = 0.4  // someone named said, warned, reported
	nudgeHedge       = -0.3 // "might", "perhaps", predictions
	nudgeConditional = -1.2 // "If the Taliban allow …, the risks multiply": a hypothetical
	nudgeDuty        = -1.2 // "have a duty to", "it is time for": an exhortation without "must"
	nudgeJudgement   = -1.0 // "The budget is a missed opportunity": a value judgement
	nudgeVerdict     = -1.0 // and more so when the judgement is all it says: "The reaction is revealing"
	nudgePredict     = -0.6 // "The crisis will only deepen": a prediction nobody made on record
	nudgeCommentary  = -0.6 // no figure, no name, nothing happened: "This is about more than money"
	nudgeEvent       = 0.8  // something happened, said plainly: "Tribal elders have issued ultimatums"
	nudgeBelief      = -1.0 // "X must realise that …": a demand on someone's mind, whatever follows "that"
)

// rules returns the rule nudge for a sentence.
func rules(c cueSet, heading bool) float64 {
	var z float64
	if heading {
		z += nudgeHeading
	}
	if c.question {
		z += nudgeQuestion
	}
	if c.exhort {
		z += nudgeExhort
	}
	if c.opinion && !c.figureNoun {
		z += nudgeOpinion
	}
	if c.figureNoun {
		z += nudgeFigure
	}
	if c.quantity {
		z += nudgeQuantity
	}
	if c.attribution && c.actors > 0 {
		z += nudgeAttribution
	}
	if c.conditional {
		z += nudgeConditional
	}
	if (c.hedge || c.future) && !c.figureNoun {
		z += nudgeHedge
	}
	n := c.news
	if n.duty && !c.exhort {
		z += nudgeDuty
	}
	if c.exhort {
		z += nudgeExhortNews
	}
	plain := !c.figureNoun && !(c.attribution && c.actors > 0)
	if n.judgement && plain {
		z += nudgeJudgement
	}
	if n.verdict && plain {
		z += nudgeVerdict
	}
	if n.predict && plain && !n.event {
		z += nudgePredict
	}
	if plain && c.actors == 0 && !n.event && !c.figure && !c.quantity {
		z += nudgeCommentary
	}
	if n.belief {
		z += nudgeBelief
	}
	if n.event && !c.question && !c.exhort && !n.duty && !n.judgement && !c.conditional && !c.firstPerson && !c.opinion {
		z += nudgeEvent
	}
	return z
}

// maxSentenceWords is longer than any sentence of the training data (152
// words at most): a longer "sentence" is text without stops, whose
// repeated features would add up, not a claim.
const maxSentenceWords = 250

// scorer holds the scratch space of one detection run so that the hot
// loop allocates little.
type scorer struct {
	m    *Model
	toks []token
	sink featureSink
}

// score returns the check-worthiness of one sentence in [0,1] and its cues.
func (s *scorer) score(text string, heading bool) (float64, cueSet) {
	s.toks = tokenize(text, s.toks)
	c := findCues(s.toks)
	s.sink.keys = s.sink.keys[:0]
	features(s.toks, c, heading, s.m.fs, &s.sink)
	z := s.m.logit(&s.sink) + rules(c, heading)
	if c.words == 0 || c.words > maxSentenceWords {
		return 0, c
	}
	return s.m.prob(z), c
}

// scoreTokens scores a clause already tokenized.
func (s *scorer) scoreTokens(toks []token) (float64, cueSet) {
	c := findCues(toks)
	s.sink.keys = s.sink.keys[:0]
	features(toks, c, false, s.m.fs, &s.sink)
	if c.words == 0 || c.words > maxSentenceWords {
		return 0, c
	}
	return s.m.prob(s.m.logit(&s.sink) + rules(c, false)), c
}

// evidence is the uncalibrated logit of a sentence, rules included: what
// calibration is fitted on.
func (s *scorer) evidence(text string) float64 {
	s.toks = tokenize(text, s.toks)
	c := findCues(s.toks)
	s.sink.keys = s.sink.keys[:0]
	features(s.toks, c, false, s.m.fs, &s.sink)
	return s.m.logit(&s.sink) + rules(c, false)
}

// kindOf names what sort of statement a sentence makes. A figure wins
// over everything else: a statistic is the easiest claim to check.
func kindOf(c cueSet, quotedWords int) models.Kind {
	switch {
	case c.figureNoun || c.quantity || c.money:
		return models.KindStatistic
	case c.comparison && (c.figure || c.actors > 0):
		return models.KindComparison
	case c.causal:
		return models.KindCausal
	case quotedWords >= 4:
		return models.KindQuote
	case c.attribution:
		return models.KindAttribution
	case c.actors > 0 && (c.pastTense > 0 || c.year):
		return models.KindEvent
	case c.figure:
		return models.KindStatistic
	}
	return models.KindOther
}
