package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Clause cutting: two claims give two proposals; commentary around one
// claim is cut off.
func TestProposeClauses(t *testing.T) {
	tests := []struct {
		text string
		want []string // the proposals' texts, in order
	}{
		{"Aid convoys have reached the besieged town, and doctors have reopened the district hospital.",
			[]string{"Aid convoys have reached the besieged town", "doctors have reopened the district hospital"}},
		{"Village councils have ordered smugglers to leave the valley by June, a bold but worrying sign of how weak the state has become.",
			[]string{"Village councils have ordered smugglers to leave the valley by June"}},
		{"The governor’s promise of 5,000 new teachers should have been a turning point.",
			[]string{"The governor’s promise of 5,000 new teachers"}},
		{"Meanwhile, the ministry confirmed that 14 clinics had closed, underscoring the depth of the crisis.",
			[]string{"the ministry confirmed that 14 clinics had closed"}},
		{"The fact that the regulator fined the bank twice in one year, despite its lobbying, tells its own story.",
			[]string{"the regulator fined the bank twice in one year, despite its lobbying"}},
		{"Whenever the army shells the hills, the rebels retreat into the forest.",
			[]string{"the rebels retreat into the forest"}},
		{"Militants attacked two checkpoints, burned a school and kidnapped three teachers.",
			[]string{"Militants attacked two checkpoints, burned a school and kidnapped three teachers"}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range Proposals(tt.text) {
			got = append(got, p.Text)
			r := []rune(tt.text)
			if string(r[p.Start:p.End]) != p.Text {
				t.Errorf("%q: offsets [%d,%d) do not give %q", tt.text, p.Start, p.End, p.Text)
			}
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q:\n got  %q\n want %q", tt.text, got, tt.want)
		}
	}
}

// Exhortations, predictions, rhetorical questions and value judgements
// stay out; plain reported events without figures come in.
func TestProposeNewsOpinion(t *testing.T) {
	out := []string{
		"The council must stop dithering and fix the roads.",
		"It is time for the donors to keep their word.",
		"The new stadium is a monument to vanity.",
		"How much longer will the residents of the valley wait?",
		"The truce will collapse before the winter is out.",
		"This is a shameful day for the republic.",
		"We owe the victims nothing less than the truth.",
		"Intro.",
		"Thank you.",
	}
	in := []string{
		"Unemployment hit 9%.",
		"Shepherds in the upper valley have abandoned their summer pastures.",
		"Volunteers have rebuilt the footbridge washed away by the flood.",
		"Prosecutors charged three customs officers with smuggling.",
		"Schools in the district have reopened after a month of closures.",
		"The provincial assembly passed the water bill on Thursday.",
	}
	for _, s := range out {
		if got := Propose(s, DefaultThreshold); len(got) != 0 {
			t.Errorf("proposed %q (score %.3f)", got[0].Text, got[0].Score)
		}
	}
	for _, s := range in {
		if got := Propose(s, DefaultThreshold); len(got) != 1 {
			t.Errorf("%q: %d proposals, want 1 (score %v)", s, len(got), Proposals(s)[0].Score)
		}
	}
}

// Key spans of every kind: the figure, the actor and, without a figure,
// the checkable noun phrase.
func TestProposeKeySpans(t *testing.T) {
	tests := []struct {
		text string
		role string
		want string
	}{
		{"The army said 1,200 soldiers were deployed to the border.", RoleFigure, "1,200 soldiers"},
		{"The army said 1,200 soldiers were deployed to the border.", RoleActor, ""},
		{"The mayor granted building permits to Acme Holdings without a tender.", RolePhrase, "building permits to Acme Holdings"},
		{"The ministry denies the existence of secret prisons for political detainees in the north.", RolePhrase, "secret prisons for political detainees"},
		{"The EU has imposed fresh sanctions on the regime.", RoleActor, "EU"},
		{"The EU has imposed fresh sanctions on the regime.", RolePhrase, "fresh sanctions"},
	}
	for _, tt := range tests {
		ps := Proposals(tt.text)
		if len(ps) != 1 {
			t.Fatalf("%q: %d proposals", tt.text, len(ps))
		}
		found := tt.want == ""
		var got []string
		for _, sp := range ps[0].Spans {
			if sp.Role == tt.role {
				got = append(got, sp.Text)
				found = found || sp.Text == tt.want
			}
			if string([]rune(tt.text)[sp.Start:sp.End]) != sp.Text {
				t.Errorf("%q: span %+v offsets are off", tt.text, sp)
			}
		}
		if !found {
			t.Errorf("%q: %s spans %q, want %q", tt.text, tt.role, got, tt.want)
		}
	}
}

func TestProposeShort(t *testing.T) {
	tests := []struct{ text, want string }{
		{"India, a country accused by two governments of plotting killings abroad, is now actively courting the junta.",
			"India is now actively courting the junta"},
		{"Despite months of appeals, warnings and even a court order, the company has refused to publish the safety report for the plant.",
			"The company has refused to publish the safety report for the plant"},
		{"Rents rose 12 percent.", "Rents rose 12 percent"},
	}
	for _, tt := range tests {
		ps := Proposals(tt.text)
		if len(ps) != 1 || ps[0].Short != tt.want {
			t.Errorf("%q: short %q, want %q", tt.text, shorts(ps), tt.want)
		}
		for _, p := range ps {
			if n := utf8.RuneCountInString(p.Short); n > ShortLimit {
				t.Errorf("%q: short of %d code points", tt.text, n)
			}
		}
	}
}

func shorts(ps []Proposal) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Short)
	}
	return out
}

// Offsets are code points with non-ASCII text before and inside.
func TestProposeOffsetsNonASCII(t *testing.T) {
	text := "Naïve “hopes” aside. Café owners in Zürich have closed 40 shops, and the city’s council has cut rents."
	r := []rune(text)
	ps := Propose(text, 0)
	if len(ps) < 2 {
		t.Fatalf("got %d proposals", len(ps))
	}
	for _, p := range ps {
		if string(r[p.Start:p.End]) != p.Text {
			t.Errorf("offsets [%d,%d) give %q, want %q", p.Start, p.End, string(r[p.Start:p.End]), p.Text)
		}
		if string(r[p.SentenceStart:p.SentenceEnd]) == "" || p.SentenceStart > p.Start || p.SentenceEnd < p.End {
			t.Errorf("sentence [%d,%d) does not hold %q", p.SentenceStart, p.SentenceEnd, p.Text)
		}
		for _, sp := range p.Spans {
			if string(r[sp.Start:sp.End]) != sp.Text {
				t.Errorf("span %+v offsets are off", sp)
			}
		}
	}
}
