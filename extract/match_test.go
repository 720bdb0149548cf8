package extract

import "testing"

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
