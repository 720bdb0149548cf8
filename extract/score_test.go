package extract

import (
	"os"
	"strings"
	"testing"

	"factdesk/models"
)

const demoPath = "../../shared/corpus/oped-pakistan-afghanistan.txt"

func readDemo(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(demoPath)
	if err != nil {
		tb.Skipf("demo document not available: %v", err)
	}
	return string(b)
}

// The acceptance test of issue 6: the figures and the safe havens are
// proposed, the exhortations and rhetorical questions are not.
func TestDetectDemo(t *testing.T) {
	text := readDemo(t)
	got := Detect(text, DefaultThreshold)
	find := func(sub string) *Sentence {
		for i := range got {
			if strings.Contains(got[i].Text, sub) {
				return &got[i]
			}
		}
		return nil
	}
	for _, want := range []string{"“23,000 terrorists”", "safe havens for TTP"} {
		if find(want) == nil {
			t.Errorf("no candidate contains %q", want)
		}
	}
	if s := find("23,000"); s != nil {
		if s.Kind != models.KindStatistic {
			t.Errorf("23,000 sentence kind = %s, want statistic", s.Kind)
		}
		ok := false
		for _, sp := range s.Spans {
			ok = ok || sp.Text == "23,000 terrorists"
		}
		if !ok {
			t.Errorf("23,000 sentence spans %+v lack \"23,000 terrorists\"", s.Spans)
		}
	}
	for _, bad := range []string{
		"The government must urgently bridge this gap",
		"This reality must drive",
		"Will it continue playing",
		"If Pakistan alone was fabricating concerns, why would",
		"If Kabul truly believes",
		"The Afghan Taliban must realise",
		"A Repeating Pattern of Betrayal",
		"Looking Ahead: A Shared Future",
	} {
		if s := find(bad); s != nil {
			t.Errorf("proposed %q (score %.3f)", s.Text, s.Score)
		}
	}
	runes := []rune(text)
	for _, s := range got {
		if string(runes[s.Start:s.End]) != s.Text {
			t.Errorf("offsets of %q are off", s.Text)
		}
	}
}

func TestScoreRules(t *testing.T) {
	high := []string{
		"Unemployment rose to 9.2 percent last year, according to the Labor Department.",
		"We have lost 700,000 jobs in America since January.",
		"The ministry said 23,000 troops were deployed to the border in 2023.",
		"Crime in Chicago is higher than it has been in twenty years.",
	}
	low := []string{
		"We must do better for our children.",
		"Why would anyone believe that?",
		"I think this is the right thing to do.",
		"The Human Cost of Insecurity",
		"Thank you very much.",
		"The government should act now.",
	}
	for _, s := range high {
		if got := Sentences(s); len(got) != 1 || got[0].Score < DefaultThreshold {
			t.Errorf("%q scored %+v, want >= %.2f", s, got, DefaultThreshold)
		}
	}
	for _, s := range low {
		if got := Sentences(s); len(got) != 1 || got[0].Score >= DefaultThreshold {
			t.Errorf("%q scored %+v, want < %.2f", s, got, DefaultThreshold)
		}
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		text string
		want models.Kind
	}{
		{"We lost 700,000 jobs last year.", models.KindStatistic},
		{"Taxes here are the highest in the world, higher than in France.", models.KindComparison},
		{"Prices went up because the central bank printed money.", models.KindCausal},
		{"The senator said “we will never raise taxes on working families” in Ohio.", models.KindQuote},
		{"The minister warned that the dam was unsafe.", models.KindAttribution},
		{"Canada expelled the ambassador in 2023.", models.KindEvent},
		{"This is a sad day.", models.KindOther},
	}
	for _, tt := range tests {
		got := Sentences(tt.text)
		if len(got) != 1 || got[0].Kind != tt.want {
			t.Errorf("%q: kind %v, want %s", tt.text, got, tt.want)
		}
	}
}

func TestScoreRange(t *testing.T) {
	for _, s := range Sentences(readDemo(t)) {
		if s.Score < 0 || s.Score > 1 {
			t.Errorf("%q: score %v outside [0,1]", s.Text, s.Score)
		}
	}
}

// Text without stops is one long "sentence"; it is never proposed, however
// its words score.
func TestRunOnTextNotProposed(t *testing.T) {
	line := "the quiet “river” flows on and on past the naïve old mill\n"
	text := strings.Repeat(line, 2000)
	if got := Detect(text, DefaultThreshold); len(got) != 0 {
		t.Errorf("Detect proposed %d run-on sentences (score %v)", len(got), got[0].Score)
	}
	for _, p := range Propose(text, DefaultThreshold) {
		if len(p.Text) > 5000 {
			t.Errorf("Propose proposed %d bytes", len(p.Text))
		}
	}
}

// A modal before a cognition verb demands a belief of someone ("must
// realise", "need to recognise"): nothing on record can check it, so the
// rules push it down; a cognition verb reported as a fact, or a modal
// before an action, is left alone.
func TestDemandOnBelief(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"The council must realise that its budget cannot stretch any further.", true},
		{"Voters should understand what the reform will cost them.", true},
		{"Investors need to recognise the risks in the bond market.", true},
		{"The board has to accept that the merger failed.", true},
		{"Ministers ought to know the figures by now.", true},
		{"Parents should finally understand that screens harm sleep.", true},
		{"The minister said she did not realise the cost of the scheme.", false},
		{"Scientists now understand how the virus spreads between hosts.", false},
		{"The government must cut spending by 5 percent next year.", false},
		{"Few people realise that the tax was raised in 2019.", false},
		{"The police had to learn of the raid from a local newspaper.", false},
		{"Know your rights, the leaflet says.", false},
	}
	for _, tt := range tests {
		toks := tokenize(tt.text, nil)
		c := findCues(toks)
		if c.news.belief != tt.want {
			t.Errorf("%q: demand on belief %v, want %v", tt.text, c.news.belief, tt.want)
			continue
		}
		without := c
		without.news.belief = false
		d := rules(c, false) - rules(without, false)
		if want := map[bool]float64{true: nudgeBelief}[tt.want]; d != want {
			t.Errorf("%q: the rule moves the logit by %v, want %v", tt.text, d, want)
		}
	}
}
