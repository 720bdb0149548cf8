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

var wordBits = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, l := range []struct {
		words map[string]bool
		bit   uint32
	}{
		{stopWords, bStop}, {evaluativeWords, bEval}, {copulaWords, bCopula}, {dutyWords, bDuty},
		{predictWords, bPredict}, {irregularPast, bIrregular}, {eventAux, bEventAux},
		{reportVerbs, bReport}, {modalWords, bModal}, {negationWords, bNeg}, {perfectAux, bPerfectAux},
		{imperativeVerbs, bImperative}, {openers, bOpener}, {notNouns, bNotNoun},
		{finiteWords, bFinite}, {personalPronouns, bPersonal}, {speechVerbs, bSpeech},
	} {
		for w := range l.words {
			m[w] |= l.bit
		}
	}
	return m
}()

func (t token) is(bit uint32) bool { return t.bits&bit != 0 }
