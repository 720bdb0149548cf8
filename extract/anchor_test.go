package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"factdesk/models"
)

func mustAnchor(t testing.TB, body, quote string) models.Anchor {
	t.Helper()
	a, ok := models.QuoteAnchor(body, quote)
	if !ok {
		t.Fatalf("%q not in body", quote)
	}
	return a
}

const anchorBody = "Regional players have raised alarms. Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call. Unfortunately, it seems to have fallen on deaf ears in Kabul."

func TestReanchor(t *testing.T) {
	quote := "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call."
	old := mustAnchor(t, anchorBody, quote)
	tests := []struct {
		name      string
		body      string
		wantOK    bool
		wantExact string // "" means the old quote
	}{
		{"Unchanged", anchorBody, true, ""},
		{"InsertBefore", "Naïve hopes faded long ago. " + anchorBody, true, ""},
		{"InsertAfter", anchorBody + " The summit yielded nothing.", true, ""},
		{"InsertInside", strings.Replace(anchorBody, "operating inside", "still operating freely inside", 1), true,
			"Moscow’s warning about “23,000 terrorists” still operating freely inside Afghanistan should have been a wake-up call."},
		{"SmallEditAndContextChanged", "Something else entirely is said here first. Moscow’s warning about “23,000 terrorists” operating in Afghanistan should have been a wake-up call. The end came soon.", true,
			"Moscow’s warning about “23,000 terrorists” operating in Afghanistan should have been a wake-up call."},
		{"SeparatorDropped", strings.Replace(anchorBody, "23,000", "23000", 1), true,
			"Moscow’s warning about “23000 terrorists” operating inside Afghanistan should have been a wake-up call."},
		// A changed figure is a changed claim: an editor decides.
		{"FigureChanged", strings.Replace(anchorBody, "23,000", "23,500", 1), false, ""},
		{"FigureRemoved", strings.Replace(anchorBody, "“23,000 terrorists”", "“thousands of terrorists”", 1), false, ""},
		{"FigureAdded", strings.Replace(anchorBody, "operating inside", "operating in 12 provinces of", 1), false, ""},
		{"Deleted", strings.Replace(anchorBody, quote+" ", "", 1), false, ""},
		{"Rewritten", strings.Replace(anchorBody, quote, "Nobody in the region has ever said anything about the matter at all, as far as we know.", 1), false, ""},
		{"EmptyBody", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Reanchor(old, tt.body)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v (got %+v)", ok, tt.wantOK, got)
			}
			if !ok {
				return
			}
			want := tt.wantExact
			if want == "" {
				want = quote
			}
			if got.Exact != want {
				t.Errorf("exact = %q\nwant    %q", got.Exact, want)
			}
			if r := []rune(tt.body); string(r[got.Start:got.End]) != got.Exact {
				t.Errorf("offsets [%d,%d) do not hold the quote", got.Start, got.End)
			}
		})
	}
}

// When the quote now occurs twice, the occurrence whose context fits wins,
// not merely the first one.
func TestReanchorTwice(t *testing.T) {
	body := "First the minister spoke. Prices rose by 40 percent. Then the crowd left."
	old := mustAnchor(t, body, "Prices rose by 40 percent.")
	edited := "A quote: Prices rose by 40 percent. End of quote. " + body
	got, ok := Reanchor(old, edited)
	if !ok {
		t.Fatal("not found")
	}
	want := strings.Index(edited, "the minister spoke. Prices") + len("the minister spoke. ")
	if got.Start != utf8.RuneCountInString(edited[:want]) {
		t.Errorf("start = %d, want the second occurrence at %d", got.Start, utf8.RuneCountInString(edited[:want]))
	}

	// With identical context, the closer one to the old position wins.
	body2 := "x. Same words here. y. Same words here. z."
	old2 := models.Anchor{Start: 23, End: 39, Exact: "Same words here.", Prefix: "", Suffix: ""}
	got2, ok := Reanchor(old2, body2)
	if !ok || got2.Start != 23 {
		t.Errorf("got %+v, want start 23", got2)
	}
}

func TestReanchorNonASCII(t *testing.T) {
	body := "日本語の文。It is naïve to assume that India’s embrace of Kabul is rooted in concern. Ende."
	old := mustAnchor(t, body, "It is naïve to assume that India’s embrace of Kabul is rooted in concern.")
	edited := "Überschrift — “neu”.\n" + strings.Replace(body, "rooted in", "rooted only in", 1)
	got, ok := Reanchor(old, edited)
	if !ok {
		t.Fatal("not found")
	}
	if want := "It is naïve to assume that India’s embrace of Kabul is rooted only in concern."; got.Exact != want {
		t.Errorf("exact = %q, want %q", got.Exact, want)
	}
	if r := []rune(edited); string(r[got.Start:got.End]) != got.Exact {
		t.Errorf("offsets [%d,%d) wrong", got.Start, got.End)
	}
}

func TestReanchorEmptyQuote(t *testing.T) {
	if _, ok := Reanchor(models.Anchor{}, "anything"); ok {
		t.Error("an empty quote was found")
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"no figures here", nil},
		{"“23,000 terrorists”", []string{"23000"}},
		{"23000 and 23,000", []string{"23000", "23000"}},
		{"rose 4.5% in 2019, then 40.", []string{"2019", "4.5", "40"}},
		{"1,234,567.89 rupees", []string{"1234567.89"}},
		{"٣ and ३", []string{"٣", "३"}},
	}
	for _, tt := range tests {
		if got := figures([]rune(tt.text)); !slices.Equal(got, tt.want) {
			t.Errorf("figures(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
