package store

import "strings"

// A query is what full-text retrieval looks for, the same on both
// engines: the rows holding every term of at least one of its groups (an
// OR of ANDs). A term is a phrase of one or more tokens ("23,000" is 23
// then 000). Terms hold only letters and digits (searchTerms), so no
// operator of either engine's query language can slip in.
type query [][][]string

// allOf is the query of a reader's search: every term.
func allOf(terms [][]string) query { return query{terms} }

// soleTermRows is how few rows a term may be held by and still retrieve
// them alone in matching: a figure or a name that rare is a strong sign by
// itself (Similarity weighs a shared figure most), and costs little.
const soleTermRows = 20

// pairedTerms is how many of the terms, the rarest first, sharingTwo
// pairs: each pair is read as two phrases, so six terms cost fifteen pairs.
const pairedTerms = 4

// sharingTwo is the retrieval of matching over a proposal's distinctive
// terms, each held by held rows: the rows holding two of them, or one so
// rare it is held by at most soleTermRows. One shared word of a few
// hundred rows (a name, a longer word) rarely makes a match, but every row
// holding it was a candidate to rank and judge: 450 rows for a proposal at
// 300,000 claims and reviews, where two shared words leave one
// (bench/RESULTS.md). With a single term, that term.
func sharingTwo(terms [][]string, held []int64) query {
	if len(terms) == 1 {
		return allOf(terms)
	}
	var q query
	var paired [][]string
	for i, t := range terms {
		switch {
		case held[i] <= soleTermRows:
			q = append(q, [][]string{t})
		case len(paired) < pairedTerms:
			paired = append(paired, t)
		}
	}
	for i := range paired {
		for j := i + 1; j < len(paired); j++ {
			q = append(q, [][]string{paired[i], paired[j]})
		}
	}
	return q
}

// fts4 writes q for FTS4's MATCH in its enhanced syntax (go-sqlite3 builds
// it with SQLITE_ENABLE_FTS3_PARENTHESIS): ("a" AND "b c") OR ("d").
func (q query) fts4() string {
	groups := make([]string, len(q))
	for i, g := range q {
		groups[i] = "(" + ftsQuery(g, " AND ") + ")"
	}
	return strings.Join(groups, " OR ")
}

// tsquery writes q for PostgreSQL's to_tsquery: (a & b <-> c) | (d).
func (q query) tsquery() string {
	groups := make([]string, len(q))
	for i, g := range q {
		phrases := make([]string, len(g))
		for j, t := range g {
			phrases[j] = strings.Join(t, " <-> ")
		}
		groups[i] = "(" + strings.Join(phrases, " & ") + ")"
	}
	return strings.Join(groups, " | ")
}
