package extract

// wordBits merges the word lists that the per-word loops read, so that a
// word costs one map lookup, made in tokenize, and every later test is a
// bit test on the token.
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
)

var wordBits = flagWords([]flaggedWords[uint32]{
	{stopWords, bStop}, {evaluativeWords, bEval}, {copulaWords, bCopula}, {dutyWords, bDuty},
	{predictWords, bPredict}, {irregularPast, bIrregular}, {eventAux, bEventAux},
	{reportVerbs, bReport}, {modalWords, bModal}, {negationWords, bNeg}, {perfectAux, bPerfectAux},
	{imperativeVerbs, bImperative}, {openers, bOpener}, {notNouns, bNotNoun},
	{finiteWords, bFinite}, {personalPronouns, bPersonal}, {speechVerbs, bSpeech},
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
