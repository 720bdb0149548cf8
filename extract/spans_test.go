package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestSpans(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call.",
			[]string{"Moscow", "23,000 terrorists", "Afghanistan"}},
		{"The deficit reached $4.2 trillion dollars in 2012.", []string{"$4.2 trillion dollars"}},
		{"Unemployment is 40 percent in the region.", []string{"40 percent"}},
		{"Russia raised alarms about thousands of foreign terrorists.", []string{"Russia", "thousands of foreign terrorists"}},
		{"It included Afghan Foreign Minister Amir Khan Muttaqi and the Bank of England.",
			[]string{"Afghan Foreign Minister Amir Khan Muttaqi", "Bank of England"}},
		{"The banned Tehreek-e-Taliban Pakistan (TTP) denied it.", []string{"Tehreek-e-Taliban Pakistan", "TTP"}},
		{"Whenever Pakistani forces strike, Kabul protests.", []string{"Pakistani", "Kabul"}},
		{"She called the plan “a disgrace to the nation” on Monday.", []string{"a disgrace to the nation", "Monday"}},
		{"I think it is fine.", nil},
	}
	for _, tt := range tests {
		ss := Sentences(tt.text)
		if len(ss) != 1 {
			t.Fatalf("%q: %d sentences", tt.text, len(ss))
		}
		var got []string
		for _, sp := range ss[0].Spans {
			got = append(got, sp.Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q:\n got  %q\n want %q", tt.text, got, tt.want)
		}
	}
}

// A quote cut from its sentence, without its full stop, still has its
// key spans.
func TestKeySpansOfAQuote(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Moscow’s warning about “23,000 terrorists” operating inside Afghanistan", "23,000 terrorists"},
		{"The UN even granted travel waivers to Muttaqi", "travel waivers"},
		{"Kabul has given safe havens to the TTP", "safe havens"},
	} {
		var got []string
		for _, s := range KeySpans(tt.text) {
			got = append(got, s.Text)
			if string([]rune(tt.text)[s.Start:s.End]) != s.Text {
				t.Errorf("%q: span %d-%d is not %q", tt.text, s.Start, s.End, s.Text)
			}
		}
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, tt.want) }) {
			t.Errorf("KeySpans(%q) = %q, want one starting %q", tt.text, got, tt.want)
		}
	}
}
