package extract_test

import (
	"testing"
	"unicode/utf8"

	"factdesk/extract"
	"factdesk/models"
)

// claimAt returns the code points of claim in sentence; "" is the whole
// sentence.
func claimAt(tb testing.TB, sentence, claim string) (int, int) {
	tb.Helper()
	if claim == "" {
		return 0, 0
	}
	a, ok := models.QuoteAnchor(sentence, claim)
	if !ok {
		tb.Fatalf("%q is not in %q", claim, sentence)
	}
	return a.Start, a.End
}

// Every pattern, with the words it must cite and why.
func TestSuggestClaimant(t *testing.T) {
	for _, tc := range []struct {
		name, sentence, claim string
		opts                  extract.ClaimantOptions
		claimant, cue, reason string // claimant "" = no suggestion
	}{
		{name: "said", sentence: "Russia said on Tuesday that 23,000 terrorists were operating inside Afghanistan.",
			claimant: "Russia", cue: "Russia said", reason: "said"},
		{name: "says", sentence: "Human Rights Watch says at least 80 civilians died.",
			claimant: "Human Rights Watch", cue: "Human Rights Watch says", reason: "said"},
		{name: "told", sentence: "In Kabul, the Taliban told reporters that 5,000 prisoners had been released.",
			claimant: "Taliban", cue: "Taliban told", reason: "said"},
		{name: "warned that, alias", sentence: "The Kremlin warned that foreign fighters were massing on the Tajik border.",
			claimant: "Russia", cue: "Kremlin warned", reason: "said"},
		{name: "claimed", sentence: "Beijing claimed the corridor had created 200,000 jobs.",
			claimant: "China", cue: "Beijing claimed", reason: "said"},
		{name: "stated", sentence: "Amnesty International stated that 1,200 protesters were held without charge.",
			claimant: "Amnesty International", cue: "Amnesty International stated", reason: "said"},
		{name: "announced", sentence: "Washington announced $500 million in aid for flood victims.",
			claimant: "United States", cue: "Washington announced", reason: "said"},
		{name: "argued", sentence: "Tehran argued that sanctions had cost the country $100 billion.",
			claimant: "Iran", cue: "Tehran argued", reason: "said"},
		{name: "insisted, adverb", sentence: "Pakistan has repeatedly insisted that the camps were closed in 2019.",
			claimant: "Pakistan", cue: "Pakistan has repeatedly insisted", reason: "said"},
		{name: "accused", sentence: "Amnesty International accused the government of detaining 1,200 protesters.",
			claimant: "Amnesty International", cue: "Amnesty International accused", reason: "said"},
		{name: "trailing", sentence: "The attack killed 17 soldiers, Reuters reported.",
			claimant: "Reuters", cue: "Reuters reported", reason: "said"},
		{name: "trailing, claim before", sentence: "The attack killed 17 soldiers, Reuters reported.", claim: "The attack killed 17 soldiers",
			claimant: "Reuters", cue: "Reuters reported", reason: "said"},
		{name: "U.S.", sentence: "The U.S. said the strike killed 12 fighters.",
			claimant: "United States", cue: "U.S. said", reason: "said"},
		{name: "according to", sentence: "According to the United Nations, 3.5 million Afghans have fled since 2021.",
			claimant: "United Nations", cue: "According to the United Nations", reason: "according to"},
		{name: "according to, trailing", sentence: "The attack killed 17 soldiers, according to Reuters.",
			claimant: "Reuters", cue: "according to Reuters", reason: "according to"},
		{name: "according to a report by", sentence: "According to a report by the World Bank, poverty rose to 40 percent.",
			claimant: "World Bank", cue: "According to a report by the World Bank", reason: "according to"},
		{name: "possessive warning", sentence: "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call.",
			claimant: "Russia", cue: "Moscow’s warning", reason: "possessive"},
		{name: "possessive with adjective", sentence: "The UN’s latest estimate of 1.5 million displaced people is widely cited.",
			claimant: "United Nations", cue: "UN’s latest estimate", reason: "possessive"},
		{name: "possessive, not a statement", sentence: "Pakistan’s economy shrank by 0.2 percent last year."},
		{name: "quoted speaker after", sentence: "“We will not allow our soil to be used against any country,” said Zabihullah Mujahid, the Taliban’s chief spokesman.",
			claimant: "Zabihullah Mujahid", cue: "said Zabihullah Mujahid", reason: "quoted speaker"},
		{name: "quoted speaker before, title", sentence: "“The border will stay closed until the attacks stop,” Foreign Minister Ishaq Dar said.",
			claimant: "Ishaq Dar", cue: "Foreign Minister Ishaq Dar said", reason: "quoted speaker"},
		{name: "quoted speaker, role then name", sentence: "“Crime fell by 12 percent,” said the mayor, Jane Ortiz.",
			claimant: "Jane Ortiz", cue: "said the mayor, Jane Ortiz", reason: "quoted speaker"},
		{name: "quoted, unnamed", sentence: "“We have lost 300 soldiers this year,” the general told reporters.",
			opts: extract.ClaimantOptions{Author: "Sara Khan", OpEd: true}},
		{name: "title", sentence: "Mayor Jane Ortiz said the city had hired 400 new police officers.",
			claimant: "Jane Ortiz", cue: "Mayor Jane Ortiz said", reason: "said"},
		{name: "title of", sentence: "Secretary of State Antony Blinken said the talks would resume.",
			claimant: "Antony Blinken", cue: "Secretary of State Antony Blinken said", reason: "said"},
		{name: "appositive", sentence: "Jane Ortiz, the mayor of Springfield, said crime fell by 12 percent last year.",
			claimant: "Jane Ortiz", cue: "Jane Ortiz, the mayor of Springfield, said", reason: "said"},
		{name: "appositive is the name", sentence: "The senator from Ohio, Sherrod Brown, said the tariffs had cost 10,000 jobs.",
			claimant: "Sherrod Brown", cue: "Sherrod Brown, said", reason: "said"},
		{name: "list", sentence: "Russia, China and Iran have publicly raised alarms about thousands of foreign terrorists.",
			claimant: "Russia, China and Iran", cue: "Russia, China and Iran have publicly raised alarms", reason: "said"},
		{name: "list with both", sentence: "Moscow and Beijing have both warned against foreign intervention in Afghanistan.",
			claimant: "Russia and China", cue: "Moscow and Beijing have both warned", reason: "said"},
		{name: "list of one actor", sentence: "Moscow and the Kremlin said the talks had failed.",
			claimant: "Russia", cue: "Moscow and the Kremlin said", reason: "said"},
		{name: "list, aside not credited", sentence: "Regional players like Russia, China, and Iran; with the former formally recognising the Taliban as a government, have publicly raised alarms about the presence of foreign terrorists.",
			claim: "with the former formally recognising the Taliban as a government"},
		{name: "state organ", sentence: "Iran’s foreign ministry said the talks had been postponed.",
			claimant: "Iran", cue: "Iran’s foreign ministry said", reason: "said"},
		{name: "aside with a possessive", sentence: "Sergei Lavrov, Russia’s foreign minister, said Moscow was ready to mediate.",
			claimant: "Sergei Lavrov", cue: "Sergei Lavrov, Russia’s foreign minister, said", reason: "said"},
		{name: "compound title", sentence: "“We have arrested 45 suspects,” said Inspector General Akhtar Hayat.",
			claimant: "Akhtar Hayat", cue: "said Inspector General Akhtar Hayat", reason: "quoted speaker"},
		{name: "named body", sentence: "The Afghan interim government insists that no group uses its territory against neighbours.",
			claimant: "Afghan interim government", cue: "Afghan interim government insists", reason: "said"},
		{name: "said to be: no speaker", sentence: "After the talks, said to be tense, Moscow was ready to mediate."},
		{name: "a place is not a speaker, capitalised", sentence: "Officials in Kabul said the border would reopen."},
		{name: "passive, claim inside", sentence: "India, a country credibly accused by Canada and the United States of orchestrating extrajudicial killings on foreign soil, is now actively courting the Taliban.",
			claim:    "accused by Canada and the United States of orchestrating extrajudicial killings on foreign soil",
			claimant: "Canada and United States", cue: "accused by Canada and the United States", reason: "passive"},
		{name: "passive describes a noun: not the sentence's claimant", sentence: "India, a country credibly accused by Canada and the United States of orchestrating extrajudicial killings on foreign soil, is now actively courting the Taliban."},
		{name: "passive, main verb", sentence: "India was accused by Canada of orchestrating a killing on its soil.",
			claimant: "Canada", cue: "accused by Canada", reason: "passive"},
		{name: "nearest speaker", sentence: "Jane Ortiz said Russia warned that 23,000 fighters were in Afghanistan.", claim: "23,000 fighters were in Afghanistan",
			claimant: "Russia", cue: "Russia warned", reason: "said"},
		{name: "outer speaker for the sentence", sentence: "Jane Ortiz said Russia warned that 23,000 fighters were in Afghanistan.",
			claimant: "Jane Ortiz", cue: "Jane Ortiz said", reason: "said"},
		{name: "pronoun", sentence: "He said the economy grew 3 percent last year.",
			opts:     extract.ClaimantOptions{Previous: "Finance Minister Muhammad Aurangzeb spoke in Islamabad on Monday."},
			claimant: "Muhammad Aurangzeb", cue: "He said", reason: "pronoun"},
		{name: "pronoun, nothing before", sentence: "He said the economy grew 3 percent last year."},
		{name: "first person, op-ed", sentence: "We have documented 52 attacks on schools this year.",
			opts:     extract.ClaimantOptions{Author: "Sara Khan", OpEd: true},
			claimant: "Sara Khan", cue: "We", reason: "first person"},
		{name: "first person, our", sentence: "Our analysis shows that 60 percent of the checkpoints are unmanned.",
			opts:     extract.ClaimantOptions{Author: "Sara Khan", OpEd: true},
			claimant: "Sara Khan", cue: "Our", reason: "first person"},
		{name: "first person, no author", sentence: "We have documented 52 attacks on schools this year.",
			opts: extract.ClaimantOptions{OpEd: true}},
		{name: "first person, not an op-ed", sentence: "We have documented 52 attacks on schools this year.",
			opts: extract.ClaimantOptions{Author: "Sara Khan"}},
		{name: "first person told by someone", sentence: "We were told by villagers that the school had been shut for a year.",
			opts: extract.ClaimantOptions{Author: "Sara Khan", OpEd: true}},
		{name: "first person in a quote is the speaker's", sentence: "“We have lost 300 soldiers,” Jane Ortiz said.",
			opts:     extract.ClaimantOptions{Author: "Sara Khan", OpEd: true},
			claimant: "Jane Ortiz", cue: "Jane Ortiz said", reason: "quoted speaker"},
		{name: "author never otherwise", sentence: "Exports fell 8% in the first quarter.",
			opts: extract.ClaimantOptions{Author: "Sara Khan", OpEd: true}},
		{name: "named speaker beats first person", sentence: "We know Russia warned that 23,000 fighters were in Afghanistan.", claim: "23,000 fighters were in Afghanistan",
			opts:     extract.ClaimantOptions{Author: "Sara Khan", OpEd: true},
			claimant: "Russia", cue: "Russia warned", reason: "said"},
		// Negatives.
		{name: "no attribution", sentence: "The clock is ticking."},
		{name: "no attribution, named actor", sentence: "Russia and China vetoed the resolution on Thursday."},
		// "Pakistan has said nothing": it credits no words to Pakistan, so
		// nothing is proposed.
		{name: "adds is not speech", sentence: "The growing proximity between India and the Taliban regime adds another layer of concern."},
		{name: "added at the end", sentence: "“The border stays closed,” Ishaq Dar added.",
			claimant: "Ishaq Dar", cue: "Ishaq Dar added", reason: "quoted speaker"},
		{name: "said nothing", sentence: "Pakistan has said nothing about the 300 refugees stranded at the crossing."},
		{name: "did not say", sentence: "Pakistan did not say how many refugees were stranded."},
		{name: "declined to say", sentence: "Pakistan declined to say how many refugees were stranded."},
		{name: "unnamed source", sentence: "Officials said 14 people were killed in the blast."},
		{name: "unnamed source, trailing", sentence: "Police arrested 23 suspects, the interior ministry said."},
		{name: "nobody", sentence: "Nobody has claimed responsibility for the bombing."},
		{name: "a place is not a speaker", sentence: "In Kabul, officials said the border would reopen."},
		{name: "heading-like possessive", sentence: "India’s Growing Footprint, and Its Implications"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, e := claimAt(t, tc.sentence, tc.claim)
			got, ok := extract.SuggestClaimant(tc.sentence, s, e, tc.opts)
			if tc.claimant == "" {
				if ok {
					t.Fatalf("got %+v, want no suggestion", got)
				}
				return
			}
			if !ok {
				t.Fatalf("no suggestion, want %q", tc.claimant)
			}
			if got.Claimant != tc.claimant || got.Cue != tc.cue || got.Reason != tc.reason {
				t.Fatalf("got %q from %q (%s), want %q from %q (%s)", got.Claimant, got.Cue, got.Reason, tc.claimant, tc.cue, tc.reason)
			}
			if r := []rune(tc.sentence); string(r[got.Start:got.End]) != got.Cue {
				t.Fatalf("cue offsets [%d,%d) hold %q, not %q", got.Start, got.End, string(r[got.Start:got.End]), got.Cue)
			}
		})
	}
}

// FuzzSuggestClaimant: whatever the sentence and the claim's place, a
// suggestion names someone and its cue sits where it says.
func FuzzSuggestClaimant(f *testing.F) {
	f.Add("“We will,” said Jane Ortiz, the mayor of Springfield.", 0, 10, true)
	f.Add("Regional players like Russia, China, and Iran; with the former formally recognising the Taliban as a government, have publicly raised alarms.", 50, 200, false)
	f.Add("India, a country accused by Canada and the U.S. of (TTP) killings, he said.", -3, 5, true)
	f.Fuzz(func(t *testing.T, sentence string, start, end int, opEd bool) {
		if !utf8.ValidString(sentence) {
			t.Skip()
		}
		opts := extract.ClaimantOptions{Author: "Sara Khan", OpEd: opEd, Previous: sentence}
		got, ok := extract.SuggestClaimant(sentence, start, end, opts)
		if !ok {
			return
		}
		r := []rune(sentence)
		if got.Claimant == "" || got.Start < 0 || got.End > len(r) || got.End <= got.Start || string(r[got.Start:got.End]) != got.Cue {
			t.Fatalf("suggestion %+v does not fit %q", got, sentence)
		}
	})
}

// Detection carries the suggestion with offsets into the text, like its
// spans, and never the author: it does not know the document.
func TestSentencesClaimant(t *testing.T) {
	text := "Naïve hopes faded. We have seen 52 attacks. Moscow’s warning about “23,000 terrorists” was ignored."
	ss := extract.Sentences(text)
	if len(ss) != 3 {
		t.Fatalf("got %d sentences, want 3", len(ss))
	}
	if ss[0].Claimant != nil || ss[1].Claimant != nil {
		t.Fatalf("got claimants %+v, %+v, want none", ss[0].Claimant, ss[1].Claimant)
	}
	c := ss[2].Claimant
	if c == nil || c.Claimant != "Russia" || c.Reason != extract.ReasonPossessive {
		t.Fatalf("got %+v, want Russia from the possessive", c)
	}
	if r := []rune(text); string(r[c.Start:c.End]) != "Moscow’s warning" || c.Cue != "Moscow’s warning" {
		t.Fatalf("cue [%d,%d) = %q, want “Moscow’s warning” in the text", c.Start, c.End, string(r[c.Start:c.End]))
	}
	if got := extract.Detect(text, 0); got[2].Claimant == nil {
		t.Fatal("Detect lost the claimant")
	}
}
