package desk

import (
	"sort"
	"unicode/utf8"

	"factdesk/models"
)

// TextBlock is one block of a document's body on the triage view. Lead is
// what the body holds before the block's text (the line break after the
// block before and the block's marker, "## ", "> ", "- "): it is written
// in a hidden element, so the text content of the view is still the body
// exactly and a selection measured from its start counts the body's code
// points (desk-select.js).
type TextBlock struct {
	Block models.Block
	Lead  []Run
	Runs  []Run
}

// TextSection is a run of blocks shown as one element: a heading, a
// paragraph, a block quote, or a list of its items.
type TextSection struct {
	Kind   models.BlockKind
	Level  int // a heading's level on the desk: one below the page's "Text" (h2)
	Start  int // a numbered list's first number
	Blocks []TextBlock
}

// TextSections cuts the runs of MarkText at the body's blocks and groups
// them; Tail is what follows the last block (a final line break), hidden
// like a lead.
func TextSections(body string, runs []Run) (sections []TextSection, tail []Run) {
	blocks := models.Blocks(body)
	var cuts []int
	for _, b := range blocks {
		cuts = append(cuts, b.TextStart, b.End)
	}
	runs = cutRuns(runs, cuts)
	// A claim that ends in a hidden lead (on a line break) is numbered on
	// its last shown run.
	shown := map[*MarkedClaim]*Run{}
	renumber := func(r Run) {
		if r.Last && r.Claim != nil && shown[r.Claim] != nil {
			shown[r.Claim].Last = true
		}
	}
	k := 0
	for _, b := range blocks {
		tb := TextBlock{Block: b}
		for ; k < len(runs) && runs[k].Start < b.TextStart; k++ {
			tb.Lead = append(tb.Lead, runs[k])
			renumber(runs[k])
		}
		for ; k < len(runs) && runs[k].Start < b.End; k++ {
			tb.Runs = append(tb.Runs, runs[k])
		}
		for i := range tb.Runs {
			if tb.Runs[i].Claim != nil {
				shown[tb.Runs[i].Claim] = &tb.Runs[i]
			}
		}
		kind := b.Kind
		grouped := kind == models.BlockQuote || kind == models.BlockBullet || kind == models.BlockNumbered
		if n := len(sections); grouped && n > 0 && sections[n-1].Kind == kind {
			sections[n-1].Blocks = append(sections[n-1].Blocks, tb)
			continue
		}
		s := TextSection{Kind: kind, Start: b.Number, Blocks: []TextBlock{tb}}
		if kind == models.BlockHeading {
			s.Level = b.Level + 1
		}
		sections = append(sections, s)
	}
	for _, r := range runs[k:] {
		renumber(r)
	}
	return sections, runs[k:]
}

// cutRuns splits runs at the given code-point offsets; a claim's Last mark
// stays on the piece where the claim ends.
func cutRuns(runs []Run, cuts []int) []Run {
	sort.Ints(cuts)
	var out []Run
	for _, r := range runs {
		rs := []rune(r.Text)
		end := r.Start + len(rs)
		from := r.Start
		for _, c := range cuts {
			if c <= from || c >= end {
				continue
			}
			piece := r
			piece.Start, piece.Text, piece.Last = from, string(rs[from-r.Start:c-r.Start]), false
			out = append(out, piece)
			from = c
		}
		piece := r
		piece.Start, piece.Text = from, string(rs[from-r.Start:])
		if utf8.RuneCountInString(piece.Text) > 0 {
			out = append(out, piece)
		}
	}
	return out
}
