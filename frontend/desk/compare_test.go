package desk

import (
	"strings"
	"testing"
)

func TestCompareRow(t *testing.T) {
	t.Run("ShortKeptWhole", func(t *testing.T) {
		r := CompareRow("Title", "Op-ed", "Op-ed, revised")
		if r.Yours != "Op-ed" || r.Theirs != "Op-ed, revised" || !r.Differs || r.Excerpt {
			t.Errorf("row = %+v", r)
		}
	})
	t.Run("SameNotMarked", func(t *testing.T) {
		long := strings.Repeat("naïve words ", 100)
		if r := CompareRow("Text", long, long+" "); r.Differs || r.Excerpt || r.Yours != long {
			t.Errorf("row = %+v", r)
		}
	})
	t.Run("LongCutToTheDifference", func(t *testing.T) {
		before, after := strings.Repeat("a “naïve” start. ", 60), strings.Repeat(" 🙂 the end.", 60)
		r := CompareRow("Text", before+"23,000 terrorists"+after, before+"twenty-three thousand fighters"+after)
		if !r.Differs || !r.Excerpt {
			t.Fatalf("row = %+v", r)
		}
		for _, got := range []struct{ side, text, middle string }{{"yours", r.Yours, "23,000 terrorists"}, {"theirs", r.Theirs, "twenty-three thousand fighters"}} {
			if !strings.HasPrefix(got.text, "…") || !strings.HasSuffix(got.text, "…") || !strings.Contains(got.text, got.middle) {
				t.Errorf("%s = %q", got.side, got.text)
			}
			if n := len([]rune(got.text)); n > len([]rune(got.middle))+2*excerptContext+2 {
				t.Errorf("%s is %d code points: not cut", got.side, n)
			}
		}
	})
}
