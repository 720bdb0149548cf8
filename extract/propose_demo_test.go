package extract_test

import (
	"strings"
	"testing"

	"factdesk/demo"
	"factdesk/extract"
)

// The acceptance test of issue 16 on the demo op-ed, at the default
// threshold: the claims the editor listed are proposed, the exhortations
// and judgements are not, and the key spans name the checkable parts.
func TestProposeDemo(t *testing.T) {
	doc := demo.Document()
	claims, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	got := extract.Propose(doc.Body, extract.DefaultThreshold)
	covered := 0
	for _, c := range claims {
		ok := false
		for _, p := range got {
			lo, hi := max(p.Start, c.Anchor.Start), min(p.End, c.Anchor.End)
			// A proposal covers a listed claim when they share at least
			// half of the claim.
			ok = ok || 2*(hi-lo) >= c.Anchor.End-c.Anchor.Start
		}
		if ok {
			covered++
		} else {
			t.Logf("listed claim not proposed: %q", c.Text)
		}
	}
	if covered < 15 {
		t.Errorf("%d of %d listed claims proposed, want >= 15", covered, len(claims))
	}
	// Exhortations, predictions, rhetorical questions and value judgements
	// of the op-ed.
	bad := []string{
		"The clock is ticking",
		"the risks for Pakistan multiply exponentially",
		"The government must urgently bridge this gap",
		"This reality must drive",
		"Will it continue playing",
		"why would Russia, Iran, and China echo",
		"why the continued reluctance",
		"The Afghan Taliban must realise",
		"there must be clarity",
		"But with sovereignty comes responsibility",
		"It is naïve to assume",
		"this is not just diplomatically offensive",
		"the Afghan Taliban’s reaction is revealing",
		"The reality is darker",
		"it will remain hostage",
		"the other will flourish",
		"the other will bleed",
		"This duplicity is not just Pakistan’s concern",
		"the return on this political and humanitarian investment has been dangerously disappointing",
		"it is a battle of perceptions",
		"The disparity is glaring",
		"a powerful, yet deeply troubling, sign",
		"should have been a wake-up call",
	}
	proposedBad := 0
	for _, b := range bad {
		for _, p := range got {
			if strings.Contains(p.Text, b) {
				proposedBad++
				t.Logf("proposed: %q (%.3f)", p.Text, p.Score)
			}
		}
	}
	if proposedBad > 1 {
		t.Errorf("%d exhortations or judgements proposed, want <= 1", proposedBad)
	}
	for _, want := range []string{"23,000 terrorists", "safe havens", "travel waivers"} {
		ok := false
		for _, p := range got {
			for _, sp := range p.Spans {
				ok = ok || strings.Contains(sp.Text, want)
			}
		}
		if !ok {
			t.Errorf("no key span holds %q", want)
		}
	}
	runes := []rune(doc.Body)
	for _, p := range got {
		if string(runes[p.Start:p.End]) != p.Text {
			t.Errorf("offsets of %q are off", p.Text)
		}
	}
	t.Logf("%d proposals, %d of %d listed claims, %d exhortations or judgements", len(got), covered, len(claims), proposedBad)
}
