package frontend

import (
	"sort"

	"factdesk/models"
)

// Paragraph is one block of a document's body (a line: a paragraph, a
// heading, a quoted paragraph or a list item, models.Blocks), cut into
// segments. Its marker ("## ", "> ", "- ") is not among them.
type Paragraph struct {
	Block    models.Block
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
	// Repeat is set when Claim was made here again: an appearance linked
	// to a claim checked elsewhere. RepeatStarts are the repeats that begin
	// here, targets "said-again-{id}".
	Repeat       bool
	RepeatStarts []int64
}

// Annotate cuts body into its blocks and each block into segments whose
// boundaries are the claims' anchors. Anchors count code points, so the
// body is cut as runes, never as bytes. A claim whose anchor no longer
// holds its quote (the text changed) gets no mark: a mark at the wrong
// words is worse than none. Overlapping claims split into runs, each
// linking to the most specific claim covering it; a claim across blocks is
// marked in each, its label after the last run.
func Annotate(s *models.Scale, body string, claims []models.Claim) []Paragraph {
	return AnnotateWith(s, body, claims, nil)
}

// AnnotateWith is Annotate with repeats: claims checked elsewhere, each
// with the anchor of its appearance in this body (store.DocumentDetail.Public),
// marked with their verdict like the document's own claims.
func AnnotateWith(s *models.Scale, body string, claims, repeats []models.Claim) []Paragraph {
	runes := []rune(body)
	var marked []*models.Claim
	repeat := map[*models.Claim]bool{}
	cuts := map[int]bool{0: true, len(runes): true}
	all := make([]*models.Claim, 0, len(claims)+len(repeats))
	for i := range claims {
		all = append(all, &claims[i])
	}
	for i := range repeats {
		all = append(all, &repeats[i])
		repeat[&repeats[i]] = true
	}
	for _, c := range all {
		if c.Orphaned || c.Start < 0 || c.End > len(runes) || c.Start >= c.End || string(runes[c.Start:c.End]) != c.Exact {
			continue
		}
		marked = append(marked, c)
		cuts[c.Start], cuts[c.End] = true, true
	}
	blocks := models.Blocks(body)
	for _, b := range blocks {
		cuts[b.Start], cuts[b.TextStart], cuts[b.End] = true, true, true
	}
	points := make([]int, 0, len(cuts))
	for p := range cuts {
		points = append(points, p)
	}
	sort.Ints(points)

	out := make([]Paragraph, len(blocks))
	var pending, pendingRepeats []int64 // targets of claims that begin outside any block's text
	targeted := map[int64]bool{}
	k := 0
	for i, b := range blocks {
		out[i].Block = b
		for ; k+1 < len(points) && points[k] < b.End; k++ {
			a, z := points[k], points[k+1]
			var starts, repeatStarts []int64
			var best *models.Claim
			for _, c := range marked {
				if c.Start == a {
					if repeat[c] {
						if !targeted[c.ID] { // one target per claim said again
							targeted[c.ID] = true
							repeatStarts = append(repeatStarts, c.ID)
						}
					} else {
						starts = append(starts, c.ID)
					}
				}
				if c.Start <= a && z <= c.End && (best == nil || c.End-c.Start < best.End-best.Start) {
					best = c
				}
			}
			if a < b.TextStart {
				// A marker or the line break before it: a claim starting
				// there has its target open the block's text.
				pending = append(pending, starts...)
				pendingRepeats = append(pendingRepeats, repeatStarts...)
				continue
			}
			seg := Segment{Text: string(runes[a:z]), Claim: best, Starts: append(pending, starts...), RepeatStarts: append(pendingRepeats, repeatStarts...)}
			pending, pendingRepeats = nil, nil
			if best != nil {
				seg.Verdict = VerdictOf(s, best)
				seg.Repeat = repeat[best]
				seg.Tag = z == best.End || z == b.End && !continuesAfter(best, b, blocks[i+1:])
			}
			out[i].Segments = append(out[i].Segments, seg)
		}
	}
	return out
}

// continuesAfter reports whether claim c goes on into the text of a block
// after b, so its label waits for that block.
func continuesAfter(c *models.Claim, b models.Block, rest []models.Block) bool {
	if c.End <= b.End {
		return false
	}
	for _, n := range rest {
		if n.TextStart < c.End && n.End > n.TextStart {
			return true
		}
	}
	return false
}

// Section is a run of blocks shown as one element: a heading, a paragraph,
// a block quote of its quoted paragraphs, or a list of its items.
type Section struct {
	Kind  models.BlockKind
	Level int // a heading's, 2 to 4
	Start int // a numbered list's first number
	Items []Paragraph
}

// Sections groups annotated blocks for the page: consecutive quoted lines
// into one block quote, consecutive items of one kind into one list.
func Sections(ps []Paragraph) []Section {
	var out []Section
	for _, p := range ps {
		k := p.Block.Kind
		grouped := k == models.BlockQuote || k == models.BlockBullet || k == models.BlockNumbered
		if grouped && len(out) > 0 && out[len(out)-1].Kind == k {
			out[len(out)-1].Items = append(out[len(out)-1].Items, p)
			continue
		}
		out = append(out, Section{Kind: k, Level: p.Block.Level, Start: p.Block.Number, Items: []Paragraph{p}})
	}
	return out
}
