package store

import (
	"fmt"
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	mark := func(s string) string {
		return strings.NewReplacer("[", MarkStart, "]", MarkEnd).Replace(s)
	}
	// 30 words, "drought" the 21st: the window of 24 ends with the column,
	// or, when more follows, starts two words before the match.
	var words []string
	for i := range 30 {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	words[20] = "drought"
	long := strings.Join(words, " ") + "."
	// A 1 MB body whose one match lies deep inside: the snippet still
	// finds it, though it reads only a region around it.
	filler := strings.Repeat("plain words of filler text ", 40000)
	huge := filler + "the drought began in May. " + filler
	for _, tc := range []struct {
		name    string
		q       string
		columns []string
		want    string
	}{
		{"OK", "terrorists", []string{"There are 23,000 terrorists.", "", "The minister"}, "There are 23,000 [terrorists]."},
		{"Phrase", "23,000", []string{"There are 23,000 terrorists."}, "There are [23,000] terrorists."},
		{"Diacritics", "naive", []string{"A naïve view."}, "A [naïve] view."},
		{"CaseAndDiacriticsInQuery", "NAÏVE", []string{"A Naive view."}, "A [Naive] view."},
		{"DiacriticsBeyondLatin1", "ceausescu viet", []string{"Ceaușescu spoke of Việt Nam."}, "[Ceaușescu] spoke of [Việt] Nam."},
		{"BestColumn", "minister said", []string{"The minister spoke.", "", "The minister said so"}, "The [minister] [said] so"},
		{"Cut", "drought", []string{long}, "…w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 [drought] w21 w22 w23 w24 w25 w26 w27 w28 w29."},
		{"CutBothEnds", "drought", []string{long + " " + long}, "…w18 w19 [drought] w21 w22 w23 w24 w25 w26 w27 w28 w29. w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11…"},
		{"NoMatchInText", "xyz", []string{"", "Plain text."}, "Plain text."},
		{"DeepInAHugeColumn", "drought may", []string{"A title", huge}, "…text the [drought] began in [May]. plain words of filler text plain words of filler text plain words of filler text plain words of…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := snippet(searchTerms(tc.q), tc.columns...)
			if want := mark(tc.want); got != want {
				t.Errorf("snippet(%q) = %q, want %q", tc.q, got, want)
			}
		})
	}
}
