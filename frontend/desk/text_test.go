package desk

import (
	"strings"
	"testing"

	"factdesk/models"
)

func TestMarkText(t *testing.T) {
	body := "The “naïve” view: 23,000 fighters 🙂 inside Afghanistan."
	runes := []rune(body)
	claim := func(id int64, sub string, st models.Status) models.Claim {
		a, _ := models.QuoteAnchor(body, sub)
		return models.Claim{ID: id, Anchor: models.Anchor{Start: a.Start, End: a.End}, Status: st}
	}
	outer := claim(1, "23,000 fighters 🙂 inside", models.StatusOpen)
	inner := claim(2, "fighters", models.StatusCandidate)
	quote := claim(3, "“naïve”", models.StatusPublished)
	orphan := claim(4, "view", models.StatusOpen)
	orphan.Orphaned = true

	runs, marked := MarkText(body, []models.Claim{outer, inner, quote, orphan})

	t.Run("RunsJoinToBody", func(t *testing.T) {
		var b strings.Builder
		for _, r := range runs {
			if got, want := r.Text, string(runes[r.Start:r.Start+len([]rune(r.Text))]); got != want {
				t.Errorf("run at %d = %q, body there = %q", r.Start, got, want)
			}
			b.WriteString(r.Text)
		}
		if b.String() != body {
			t.Errorf("joined runs = %q, want the body", b.String())
		}
	})
	t.Run("NumberedInReadingOrder", func(t *testing.T) {
		var ids []int64
		for _, m := range marked {
			ids = append(ids, m.Claim.ID)
		}
		if want := []int64{3, 1, 2}; len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
			t.Errorf("marked = %v, want %v (the orphan left out)", ids, want)
		}
	})
	t.Run("InnerClaimVisible", func(t *testing.T) {
		for _, r := range runs {
			if r.Text == "fighters" && (r.Claim == nil || r.Claim.Claim.ID != 2 || !r.Last) {
				t.Errorf("run %q marked %+v, want claim 2 ending there", r.Text, r.Claim)
			}
			if r.Text == "view" && r.Claim != nil {
				t.Errorf("orphaned claim is marked")
			}
		}
	})
}

func TestNewChart(t *testing.T) {
	c := NewChart(map[models.Status]int64{models.StatusCandidate: 10, models.StatusPublished: 1})
	if len(c.Bars) != len(models.Statuses) {
		t.Fatalf("bars = %d, want one per status", len(c.Bars))
	}
	byStatus := map[models.Status]Bar{}
	for _, b := range c.Bars {
		byStatus[b.Status] = b
	}
	if got := byStatus[models.StatusCandidate].BarW; got != chartWidth-chartLabelW-chartNumW {
		t.Errorf("largest bar width = %d, want the full span", got)
	}
	if got := byStatus[models.StatusPublished].BarW; got < 2 || got >= byStatus[models.StatusCandidate].BarW {
		t.Errorf("published bar width = %d, want small but visible", got)
	}
	if got := byStatus[models.StatusOpen].BarW; got != 0 {
		t.Errorf("empty status bar width = %d, want 0", got)
	}
	if !strings.Contains(c.Summary, "Candidate 10") || !strings.Contains(c.Summary, "Published 1") {
		t.Errorf("summary %q lacks the counts", c.Summary)
	}
}

func TestNewParsesEveryPage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	p := &DocumentPage{Document: models.Document{ID: 1, Body: "a “b” c"}}
	p.Text, p.Marked = MarkText(p.Document.Body, []models.Claim{{ID: 9, Anchor: models.Anchor{Start: 2, End: 5}, Status: models.StatusOpen}})
	if err := r.Document(&b, p); err != nil {
		t.Fatal(err)
	}
	// The body element's text must be the body exactly: no whitespace from the template.
	want := `<div id="doc-body" class="doc-body" data-document="1"><p><span data-start="0">a </span><mark class="claim status-open" data-start="2" data-claim="9" data-n="1">“b”</mark><span data-start="5"> c</span></p></div>`
	if !strings.Contains(b.String(), want) {
		t.Errorf("document body markup not found; page:\n%s", b.String())
	}
}
