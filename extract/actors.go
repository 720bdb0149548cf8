package extract

// actorAliases names one actor for the words news uses for it: a capital
// or a seat of government for its state ("Moscow warned", "the Kremlin
// says"), and the adjective for the country ("Afghan soil"). Claim matching
// compares actors, and without this "Moscow's warning about 23,000
// terrorists" and "Russia says 23,000 terrorists" name no actor in common.
// Only a capitalised word is looked up, so "us" stays a pronoun. The list
// holds the states of the region the demo op-ed covers and the powers
// named beside them; a newsroom covering another region extends it.
var actorAliases = func() map[string]string {
	m := map[string]string{}
	for actor, words := range map[string][]string{
		"afghanistan":    {"afghanistan", "afghan", "afghans", "kabul"},
		"pakistan":       {"pakistan", "pakistani", "pakistanis", "islamabad", "rawalpindi"},
		"india":          {"india", "indian", "indians", "delhi"},
		"iran":           {"iran", "iranian", "iranians", "tehran"},
		"china":          {"china", "chinese", "beijing"},
		"russia":         {"russia", "russian", "russians", "moscow", "kremlin"},
		"united states":  {"america", "american", "americans", "washington", "pentagon", "us", "usa"},
		"united kingdom": {"britain", "british", "uk", "london", "whitehall"},
		"tajikistan":     {"tajikistan", "tajik", "dushanbe"},
		"uzbekistan":     {"uzbekistan", "uzbek", "tashkent"},
		"turkmenistan":   {"turkmenistan", "turkmen", "ashgabat"},
		"qatar":          {"qatar", "qatari", "doha"},
		"saudi arabia":   {"saudi", "riyadh"},
		"turkey":         {"turkey", "turkish", "ankara", "türkiye"},
		"united nations": {"un", "unsc"},
	} {
		for _, w := range words {
			m[w] = actor
		}
	}
	return m
}()
