package extract

import (
	"os"
	"testing"
	"unicode/utf8"

	"factdesk/models"
)

func readFileOr(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// FuzzDetect: any UTF-8 text gives sentences in order, inside the text,
// with spans inside their sentence and scores in [0,1].
func FuzzDetect(f *testing.F) {
	f.Add("Mr. Smith said “23,000 terrorists” live in the U.S. Why?\n- item\n# Title")
	f.Add("naïve… 3.5% (e.g. 1,000). 日本。")
	f.Add("“We will,” said Jane Ortiz, the mayor. Moscow’s warning about “23,000 terrorists”. They accuse Russia, China, and Iran; with the U.S., have raised alarms.")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip()
		}
		runes := []rune(text)
		prev := 0
		for _, s := range Sentences(text) {
			if s.Start < prev || s.End <= s.Start || s.End > len(runes) {
				t.Fatalf("sentence [%d,%d) out of order or outside %d runes", s.Start, s.End, len(runes))
			}
			prev = s.End
			if string(runes[s.Start:s.End]) != s.Text {
				t.Fatalf("sentence text %q does not match offsets", s.Text)
			}
			if s.Score < 0 || s.Score > 1 || s.Score != s.Score {
				t.Fatalf("score %v", s.Score)
			}
			if !s.Kind.Valid() {
				t.Fatalf("kind %q", s.Kind)
			}
			if c := s.Claimant; c != nil {
				if c.Start < s.Start || c.End > s.End || c.End <= c.Start || string(runes[c.Start:c.End]) != c.Cue || c.Claimant == "" {
					t.Fatalf("claimant %+v does not fit sentence [%d,%d)", *c, s.Start, s.End)
				}
			}
			for _, sp := range s.Spans {
				if sp.Start < s.Start || sp.End > s.End || sp.End <= sp.Start {
					t.Fatalf("span [%d,%d) outside sentence [%d,%d)", sp.Start, sp.End, s.Start, s.End)
				}
				if string(runes[sp.Start:sp.End]) != sp.Text {
					t.Fatalf("span text %q does not match offsets", sp.Text)
				}
			}
		}
		Detect(text, DefaultThreshold)
		Similarity(text, "23,000 terrorists in Afghanistan")
	})
}

// FuzzReanchor: whatever the edit, a found anchor points at its quote
// inside the new body.
func FuzzReanchor(f *testing.F) {
	f.Add(anchorBody, 40, 80, "Naïve. "+anchorBody)
	f.Add("abc abc abc", 4, 7, "abc abd abc")
	f.Fuzz(func(t *testing.T, body string, start, end int, edited string) {
		if !utf8.ValidString(body) || !utf8.ValidString(edited) {
			t.Skip()
		}
		if len(body) > 2000 || len(edited) > 2000 {
			t.Skip() // the fuzzy search is quadratic; keep iterations fast
		}
		old, err := models.NewAnchor(body, start, end)
		if err != nil {
			t.Skip()
		}
		a, ok := Reanchor(old, edited)
		if !ok {
			return
		}
		r := []rune(edited)
		if a.Start < 0 || a.End > len(r) || a.End <= a.Start {
			t.Fatalf("anchor [%d,%d) outside %d runes", a.Start, a.End, len(r))
		}
		if string(r[a.Start:a.End]) != a.Exact {
			t.Fatalf("exact %q does not match offsets", a.Exact)
		}
		if edited == body && a.Start != old.Start && a.Exact != old.Exact {
			t.Fatalf("unchanged body moved the anchor from %d to %d", old.Start, a.Start)
		}
	})
}
