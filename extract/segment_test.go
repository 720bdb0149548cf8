package extract

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func sentenceTexts(text string) []string {
	var out []string
	for _, s := range Sentences(text) {
		out = append(out, s.Text)
	}
	return out
}

func TestSegment(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"Plain", "The tax rose. Jobs fell! Why? Nobody knows.",
			[]string{"The tax rose.", "Jobs fell!", "Why?", "Nobody knows."}},
		{"Titles", "Mr. Smith met Dr. Jones and Prof. Lee. They talked.",
			[]string{"Mr. Smith met Dr. Jones and Prof. Lee.", "They talked."}},
		{"DottedAbbrevMidSentence", "The U.S. Senate voted, e.g. on taxes, i.e. twice. It passed.",
			[]string{"The U.S. Senate voted, e.g. on taxes, i.e. twice.", "It passed."}},
		{"DottedAbbrevAtEnd", "Troops left the U.S. The war went on.",
			[]string{"Troops left the U.S.", "The war went on."}},
		{"Initials", "George W. Bush and J. K. Rowling spoke. Then they left.",
			[]string{"George W. Bush and J. K. Rowling spoke.", "Then they left."}},
		{"Months", "On Jan. 5 the bill passed. It was Sept. 11 again.",
			[]string{"On Jan. 5 the bill passed.", "It was Sept. 11 again."}},
		{"NumbersInside", "About 23,000 people and 3.5 percent. Costs were $4.2 billion.",
			[]string{"About 23,000 people and 3.5 percent.", "Costs were $4.2 billion."}},
		{"YearAtEnd", "It happened in 2015. Then it stopped.",
			[]string{"It happened in 2015.", "Then it stopped."}},
		{"CurlyQuotes", "He said “we lost 700,000 jobs.” Others disagreed.",
			[]string{"He said “we lost 700,000 jobs.”", "Others disagreed."}},
		{"QuoteThenLowercase", "“Why now?” she asked. Nobody answered.",
			[]string{"“Why now?” she asked.", "Nobody answered."}},
		{"Parentheses", "The party (founded in 1990.) won. (It lost later.) Fine.",
			[]string{"The party (founded in 1990.) won.", "(It lost later.)", "Fine."}},
		{"Ellipsis", "He paused... and went on. Then… Silence.",
			[]string{"He paused... and went on.", "Then…", "Silence."}},
		{"Heading", "A Repeating Pattern of Betrayal\nPakistan waited. It lost.",
			[]string{"A Repeating Pattern of Betrayal", "Pakistan waited.", "It lost."}},
		{"ListItems", "Findings:\n- 23,000 terrorists operate there\n- Kabul denies it\n1. First point. Second sentence.\n2) Last point",
			[]string{"Findings:", "23,000 terrorists operate there", "Kabul denies it", "First point.", "Second sentence.", "Last point"}},
		{"MarkdownHeading", "# The Human Cost\n\nRoads closed.",
			[]string{"The Human Cost", "Roads closed."}},
		{"HardWrapped", "Tribal elders have even issued ultimatums to militants to vacate certain\nareas by set deadlines. Police stayed.",
			[]string{"Tribal elders have even issued ultimatums to militants to vacate certain\nareas by set deadlines.", "Police stayed."}},
		{"CRLF", "One line.\r\nTwo line.\r\n",
			[]string{"One line.", "Two line."}},
		{"NoFinalStop", "The clock is ticking, for Afghanistan.On",
			[]string{"The clock is ticking, for Afghanistan.On"}},
		{"Empty", " \n\n\t", nil},
		{"CJK", "日本は静か。Done.", []string{"日本は静か。", "Done."}},
		{"NamesNotHeading", "Russia, China and Iran warned Kabul.", []string{"Russia, China and Iran warned Kabul."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceTexts(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSegmentHeadings(t *testing.T) {
	text := "Global Forums, Zero Accountability\nThe summit yielded nothing.\nLooking Ahead: A Shared Future or a Shattered One?\n- a list item without a stop"
	segs := segmentText([]rune(text))
	want := []bool{true, false, true, false}
	if len(segs) != len(want) {
		t.Fatalf("got %d segments, want %d", len(segs), len(want))
	}
	for i, s := range segs {
		if s.heading != want[i] {
			t.Errorf("segment %d %q: heading %v, want %v", i, string([]rune(text)[s.start:s.end]), s.heading, want[i])
		}
	}
}

// Offsets are code points into the original text, whatever comes before.
func TestSegmentOffsetsNonASCII(t *testing.T) {
	text := "It is naïve — “très” naïve. Moscow’s warning about “23,000 terrorists” stood. 日本は静か。Done."
	runes := []rune(text)
	for _, s := range Sentences(text) {
		if got := string(runes[s.Start:s.End]); got != s.Text {
			t.Errorf("offsets [%d,%d) give %q, text is %q", s.Start, s.End, got, s.Text)
		}
		for _, sp := range s.Spans {
			if sp.Start < s.Start || sp.End > s.End || string(runes[sp.Start:sp.End]) != sp.Text {
				t.Errorf("span %+v is not where it says in %q", sp, s.Text)
			}
		}
	}
	ss := Sentences(text)
	if len(ss) < 2 || ss[1].Start != utf8.RuneCountInString("It is naïve — “très” naïve. ") {
		t.Errorf("second sentence starts at %d", ss[1].Start)
	}
}
