package extract_test

import (
	"strings"
	"testing"

	"factdesk/demo"
	"factdesk/extract"
)

// sameClaimant compares claimants the way an editor would: case, a
// leading article and the Oxford comma aside.
func sameClaimant(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.ReplaceAll(s, ", and ", " and ")
		s = strings.ReplaceAll(s, " the ", " ")
		return strings.TrimPrefix(s, "the ")
	}
	return norm(a) == norm(b)
}

// TestClaimantDemo measures the suggestions on the claims the editor
// listed in the demo op-ed. Its author is not named, so a claim listed
// without a claimant is right when nothing is proposed.
func TestClaimantDemo(t *testing.T) {
	doc := demo.Document()
	claims, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	sentences := extract.Sentences(doc.Body)
	right := 0
	for _, c := range claims {
		k := -1
		for i, s := range sentences {
			if s.Start <= c.Anchor.Start && c.Anchor.Start < s.End {
				k = i
				break
			}
		}
		if k < 0 {
			t.Fatalf("no sentence holds %q", c.Text)
		}
		s := sentences[k]
		opts := extract.ClaimantOptions{OpEd: true}
		if k > 0 {
			opts.Previous = sentences[k-1].Text
		}
		got, ok := extract.SuggestClaimant(s.Text, c.Anchor.Start-s.Start, c.Anchor.End-s.Start, opts)
		if !ok {
			got.Claimant = ""
		}
		if sameClaimant(got.Claimant, c.Claimant) {
			right++
		} else {
			t.Logf("wrong: %q: got %q (%s, %q), want %q", c.Text, got.Claimant, got.Reason, got.Cue, c.Claimant)
		}
	}
	t.Logf("demo claims: %d of %d get the right claimant", right, len(claims))
	if right < len(claims) {
		t.Errorf("demo claims: %d of %d right, want all", right, len(claims))
	}
}
