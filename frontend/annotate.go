package frontend

import (
	"sort"

	"factdesk/models"
)

// Paragraph is one line of a document's body, cut into segments.
type Paragraph struct {
	Segments []Segment
}

// Segment is a run of text covered by the same claims. Claim is the claim
// the run links to (the shortest covering it, so a claim nested in another
// keeps its own link); nil for unmarked text.
type Segment struct {
	Text    string
	Claim   *models.Claim
	Verdict Verdict
	Starts  []int64 // claims that begin here: their fragment targets
	Tag     bool    // the last run of Claim: its verdict label follows
}

// Annotate cuts body into paragraphs (at newlines) and segments whose
// boundaries are the claims' anchors. Anchors count code points, so the
// body is cut as runes, never as bytes. A claim whose anchor no longer
// holds its quote (the text changed) gets no mark: a mark at the wrong
// words is worse than none. Overlapping claims split into runs, each
// linking to the most specific claim covering it.
func Annotate(s *models.Scale, body string, claims []models.Claim) []Paragraph {
	runes := []rune(body)
	var marked []*models.Claim
	cuts := map[int]bool{0: true, len(runes): true}
	for i := range claims {
		c := &claims[i]
		if c.Orphaned || c.Start < 0 || c.End > len(runes) || c.Start >= c.End || string(runes[c.Start:c.End]) != c.Exact {
			continue
		}
		marked = append(marked, c)
		cuts[c.Start], cuts[c.End] = true, true
	}
	for i, r := range runes {
		if r == '\n' {
			cuts[i], cuts[i+1] = true, true
		}
	}
	points := make([]int, 0, len(cuts))
	for p := range cuts {
		points = append(points, p)
	}
	sort.Ints(points)

	var out []Paragraph
	var cur Paragraph
	flush := func() {
		if len(cur.Segments) > 0 {
			out = append(out, cur)
		}
		cur = Paragraph{}
	}
	for k := 0; k+1 < len(points); k++ {
		a, b := points[k], points[k+1]
		var starts []int64
		var best *models.Claim
		for _, c := range marked {
			if c.Start == a {
				starts = append(starts, c.ID)
			}
			if c.Start <= a && b <= c.End && (best == nil || c.End-c.Start < best.End-best.Start) {
				best = c
			}
		}
		if b-a == 1 && runes[a] == '\n' {
			flush()
			if len(starts) > 0 {
				// A claim starting on a line break: its target opens the next line.
				cur.Segments = append(cur.Segments, Segment{Starts: starts})
			}
			continue
		}
		seg := Segment{Text: string(runes[a:b]), Claim: best, Starts: starts}
		if best != nil {
			seg.Verdict = VerdictOf(s, best)
			seg.Tag = b == best.End
		}
		cur.Segments = append(cur.Segments, seg)
	}
	flush()
	return out
}
