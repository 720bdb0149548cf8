package store

import "testing"

func TestQueryLanguages(t *testing.T) {
	fig, taliban, waivers, kabul, border := []string{"23", "000"}, []string{"taliban"}, []string{"waivers"}, []string{"kabul"}, []string{"border"}
	for _, c := range []struct {
		name      string
		q         query
		fts4, tsq string
	}{
		{"a reader's search", allOf([][]string{fig, taliban}), `("23 000" AND "taliban")`, `(23 <-> 000 & taliban)`},
		{"one term", sharingTwo([][]string{taliban}, []int64{400}), `("taliban")`, `(taliban)`},
		{"a rare figure alone, the others in pairs", sharingTwo([][]string{fig, taliban, waivers}, []int64{3, 300, 400}),
			`("23 000") OR ("taliban" AND "waivers")`, `(23 <-> 000) | (taliban & waivers)`},
		{"at most four terms paired", sharingTwo([][]string{taliban, waivers, kabul, border, fig}, []int64{100, 200, 300, 400, 500}),
			`("taliban" AND "waivers") OR ("taliban" AND "kabul") OR ("taliban" AND "border") OR ("waivers" AND "kabul") OR ("waivers" AND "border") OR ("kabul" AND "border")`,
			`(taliban & waivers) | (taliban & kabul) | (taliban & border) | (waivers & kabul) | (waivers & border) | (kabul & border)`},
	} {
		if got := c.q.fts4(); got != c.fts4 {
			t.Errorf("%s: FTS4 %s, want %s", c.name, got, c.fts4)
		}
		if got := c.q.tsquery(); got != c.tsq {
			t.Errorf("%s: tsquery %s, want %s", c.name, got, c.tsq)
		}
	}
}
