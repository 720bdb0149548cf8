package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestSimilarity(t *testing.T) {
	claim := "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call."
	tests := []struct {
		name           string
		other          string
		atLeast, below float64
	}{
		{"Same", claim, 0.99, 1.01},
		{"Repeated", "Russia says 23,000 terrorists are operating inside Afghanistan, Moscow warned on Tuesday.", 0.5, 1.01},
		{"Paraphrase", "Some 23 thousand terrorists operate in Afghanistan, according to a warning from Moscow.", 0.5, 1.01},
		// A capital or a seat of government names its state, an adjective its country.
		{"SeatOfGovernment", "The Kremlin counts 23,000 terrorists on Afghan soil.", 0.75, 1.01},
		{"StateForCapital", "Russia says 23,000 terrorists operate in Afghanistan.", 0.75, 1.01},
		{"SameActorsOtherTopic", "Russia’s economy grew by 3 percent in 2024, Moscow said.", 0, 0.3},
		{"OtherFigure", "Moscow warned about 5,000 terrorists operating inside Afghanistan.", 0, 0.5},
		{"Unrelated", "Unemployment fell to 4 percent in Ohio last year.", 0, 0.2},
		{"UnrelatedNoFigure", "The senator voted against the farm bill twice.", 0, 0.2},
		{"Empty", "", 0, 0.01},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Similarity(claim, tt.other)
			if got < tt.atLeast || got >= tt.below {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f)", got, tt.atLeast, tt.below)
			}
			if back := Similarity(tt.other, claim); back != got {
				t.Errorf("not symmetric: %.3f vs %.3f", got, back)
			}
		})
	}
}

// The pronoun "us" is not the United States: only a capitalised word names
// an actor.
func TestSimilarityActorsAreNames(t *testing.T) {
	a := termsOf("They told us 23,000 terrorists were there.")
	if a.names["united states"] || a.words["united states"] {
		t.Errorf("“us” read as the United States: %v", a.names)
	}
	b := termsOf("The US says 23,000 terrorists were there.")
	if !b.names["united states"] {
		t.Errorf("“US” not read as the United States: %v", b.names)
	}
}

// A figure is the claim: the same actors and place with another number are
// another claim, and the reasons name what is shared.
func TestMatchRespectsFigures(t *testing.T) {
	published := "Moscow warned that 23,000 terrorists operate in Afghanistan"
	tests := []struct {
		name, text  string
		ok          bool
		wantFigures string
	}{
		{"SameFigure", "Russia says 23,000 terrorists are operating inside Afghanistan", true, "23,000"},
		{"SameFigureInWords", "Russia says 23 thousand terrorists operate in Afghanistan", true, "23 thousand"},
		{"OtherFigure", "Russia says 2,300 refugees returned", false, ""},
		{"OtherFigureSameWords", "Moscow warned that 2,300 terrorists operate in Afghanistan", false, ""},
		{"Unrelated", "The senator voted against the farm bill twice.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, why, ok := Match(tt.text, published)
			if ok != tt.ok {
				t.Fatalf("Match = %.3f, ok %v, want ok %v", score, ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := strings.Join(why.Figures, ","); got != tt.wantFigures {
				t.Errorf("figures %q, want %q", got, tt.wantFigures)
			}
			if !slices.Contains(why.Actors, "Russia") || !slices.Contains(why.Actors, "Afghanistan") {
				t.Errorf("actors %v, want Russia and Afghanistan", why.Actors)
			}
			if !slices.Contains(why.Words, "terrorists") {
				t.Errorf("words %v, want terrorists", why.Words)
			}
		})
	}
}
