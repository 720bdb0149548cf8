package desk

import (
	"sort"

	"factdesk/models"
)

// Run is a stretch of a document's body. Start is its offset in code points,
// so the browser can turn a selection back into the offsets of the stored
// body. Claim is the claim marked over it, nil for unmarked text; Last is set
// on the run where that claim ends.
type Run struct {
	Start int
	Text  string
	Claim *MarkedClaim
	Last  bool
}

// MarkedClaim is a claim shown in the text, numbered in reading order.
type MarkedClaim struct {
	Number int
	Claim  models.Claim
}

// MarkText cuts body into runs at every claim boundary. Where claims
// overlap, the shorter one is marked, so a claim inside a longer one stays
// visible. Orphaned claims and claims without an anchor are not marked.
// The runs' texts, joined, are the body exactly.
func MarkText(body string, claims []models.Claim) ([]Run, []MarkedClaim) {
	runes := []rune(body)
	n := len(runes)
	var marked []MarkedClaim
	for _, c := range claims {
		if c.Orphaned || c.End <= c.Start || c.Start < 0 || c.End > n {
			continue
		}
		marked = append(marked, MarkedClaim{Claim: c})
	}
	sort.SliceStable(marked, func(i, j int) bool {
		a, b := marked[i].Claim, marked[j].Claim
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.ID < b.ID
	})
	cuts := map[int]bool{0: true, n: true}
	for i := range marked {
		marked[i].Number = i + 1
		cuts[marked[i].Claim.Start] = true
		cuts[marked[i].Claim.End] = true
	}
	points := make([]int, 0, len(cuts))
	for p := range cuts {
		points = append(points, p)
	}
	sort.Ints(points)
	var runs []Run
	for i := 0; i+1 < len(points); i++ {
		from, to := points[i], points[i+1]
		r := Run{Start: from, Text: string(runes[from:to])}
		for j := range marked {
			c := marked[j].Claim
			if c.Start <= from && to <= c.End && (r.Claim == nil || c.End-c.Start < r.Claim.Claim.End-r.Claim.Claim.Start) {
				r.Claim = &marked[j]
			}
		}
		if r.Claim != nil {
			r.Last = r.Claim.Claim.End == to
		}
		runs = append(runs, r)
	}
	return runs, marked
}
