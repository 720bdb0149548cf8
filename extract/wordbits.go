package extract

import "sync"

// The lexicon merges the word lists that the per-word loops read and the
// word vectors' ids, so that a word costs one map lookup, made in
// tokenize, and every later test is a bit test on the token.
const (
	bStop uint32 = 1 << iota
	bEval
	bCopula
	bDuty
	bPredict
	bIrregular
	bEventAux
	bReport
	bModal
	bNeg
	bPerfectAux
	bImperative
	bOpener
	bNotNoun
	bFinite
	bPersonal
	bSpeech
	bCognition
)

// lexEntry is what the lexicon knows of a word.
type lexEntry struct {
	bits uint32 // wordBits' lists
	cues uint16 // findCues' lists (lexAttribution, …)
	vec  int32  // 1 + the word's row in the embedded vectors; 0: none
}

var (
	lexiconOnce sync.Once
	lexiconMap  map[string]lexEntry
)

// wordLexicon builds the lexicon on first use, with the embedded vectors.
func wordLexicon() map[string]lexEntry {
	lexiconOnce.Do(func() {
		vs := embeddedVectors()
		m := make(map[string]lexEntry, len(vs.words)+2000)
		for i, w := range vs.words {
			m[w] = lexEntry{vec: int32(i + 1)}
		}
		for w, b := range wordBits {
			e := m[w]
			e.bits = b
			m[w] = e
		}
		for w, c := range lexicon {
			e := m[w]
			e.cues = c
			m[w] = e
		}
		lexiconMap = m
	})
	return lexiconMap
}

var wordBits = flagWords([]flaggedWords[uint32]{
	{stopWords, bStop}, {evaluativeWords, bEval}, {copulaWords, bCopula}, {dutyWords, bDuty},
	{predictWords, bPredict}, {irregularPast, bIrregular}, {eventAux, bEventAux},
	{reportVerbs, bReport}, {modalWords, bModal}, {negationWords, bNeg}, {perfectAux, bPerfectAux},
	{imperativeVerbs, bImperative}, {openers, bOpener}, {notNouns, bNotNoun},
	{finiteWords, bFinite}, {personalPronouns, bPersonal}, {speechVerbs, bSpeech},
	{cognitionVerbs, bCognition},
})

// flaggedWords is a word list and the bit that marks its words.
type flaggedWords[F uint16 | uint32] struct {
	words map[string]bool
	flag  F
}

// flagWords merges word lists into one map from a word to the bits of the
// lists that hold it.
func flagWords[F uint16 | uint32](lists []flaggedWords[F]) map[string]F {
	m := map[string]F{}
	for _, l := range lists {
		for w := range l.words {
			m[w] |= l.flag
		}
	}
	return m
}

func (t token) is(bit uint32) bool { return t.bits&bit != 0 }
