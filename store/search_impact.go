package store

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// impactScanFrom is how many claims the rarest word of a query of several
// words must hold before the query reads the term index in impact order
// (rankByImpact's threshold algorithm) rather than scoring every claim
// that holds all its words. Under it, scoring them all is a few
// milliseconds; over it, each word's best claims come first and the scan
// stops early. A query of one word always reads its list in order: its
// best claims are the list's head, and scoring all 576 of a rare word's
// claims took 22.8 ms at the median on PostgreSQL at a million claims.
const impactScanFrom = 2000

// impactBatchMax bounds the rows read from one word's list per round trip;
// the first batches are small, for the first page is usually found in them.
const impactBatchMax = 4096

// wordTerms cuts a query's terms with the engine's own tokenizer, the one
// its triggers index claims with, so a query word and an indexed word
// compare equal. It reports false when a term is several tokens ("23,000"): a phrase,
// which the full-text index matches and the term index cannot.
func (db *DB) wordTerms(g *gorm.DB, terms [][]string) ([]string, bool, error) {
	var words []string
	for _, t := range terms {
		if len(t) != 1 {
			return nil, false, nil
		}
		words = append(words, t[0])
	}
	var tokens []string
	var err error
	if db.dialect == Postgres {
		err = g.Raw(`SELECT lexeme FROM unnest(to_tsvector('simple', ?))`, strings.Join(words, " ")).Scan(&tokens).Error
	} else {
		err = g.Raw(`SELECT token FROM search_tokens WHERE input = ?`, strings.Join(words, " ")).Scan(&tokens).Error
	}
	if err != nil {
		return nil, false, err
	}
	slices.Sort(tokens)
	return slices.Compact(tokens), len(tokens) > 0, nil
}

// claimsHolding counts the claims holding each word in the term index.
func (db *DB) claimsHolding(g *gorm.DB, words []string) ([]int64, error) {
	return db.claimsHoldingEach(g, words, 0)
}

// claimsHoldingEach counts the claims holding each word in the term
// index, stopping past most (every one when most is 0): whether a word is
// rare enough to retrieve by (distinctiveTerms) needs no more.
func (db *DB) claimsHoldingEach(g *gorm.DB, words []string, most int64) ([]int64, error) {
	return db.countEach(g, "claim_terms", "claim_terms WHERE term = t.k", words, most)
}

// rankByImpact returns the best n claims holding every word under opt's
// filters, by BM25 over the term index: each word's inverse document
// frequency times the claim's impact for it, summed.
func (db *DB) rankByImpact(g *gorm.DB, words []string, opt SearchOptions, n int) ([]SearchHit, error) {
	held, err := db.claimsHolding(g, words)
	if err != nil {
		return nil, err
	}
	s, err := db.impactScorerOf(g, words, held, opt)
	if err != nil || s == nil {
		return nil, err
	}
	if len(words) > 1 && slices.Min(held) <= impactScanFrom || opt.DocumentID != 0 {
		return s.every(n)
	}
	return s.topK(n)
}

// impactScorerOf weighs the words held by held claims each; nil when a
// word is held by none, for every word is required.
func (db *DB) impactScorerOf(g *gorm.DB, words []string, held []int64, opt SearchOptions) (*impactScorer, error) {
	total, err := claimsTotal(g)
	if err != nil {
		return nil, err
	}
	type word struct {
		term string
		idf  float64
		held int64
	}
	ws := make([]word, len(words))
	for i, w := range words {
		if held[i] == 0 {
			return nil, nil
		}
		ws[i] = word{w, idfOf(float64(total), float64(held[i])), held[i]}
	}
	slices.SortFunc(ws, func(a, b word) int { return cmp.Compare(a.held, b.held) })
	s := &impactScorer{db: db, g: g, opt: opt}
	for _, w := range ws {
		s.terms, s.idfs = append(s.terms, w.term), append(s.idfs, w.idf)
	}
	return s, nil
}

// impactScorer scores claims of the term index for one query.
type impactScorer struct {
	db    *DB
	g     *gorm.DB
	terms []string // rarest first
	idfs  []float64
	opt   SearchOptions
	// batch is the first batch's size; tests make it small, to run the
	// algorithm over many rounds on a small corpus.
	batch int
}

// joins joins the term index's row of each word from the first on to the
// claims aliased c, as t0, t1, …: a claim lacking a word drops out.
func (s *impactScorer) joins(from int) (string, []any) {
	join := " JOIN "
	if s.db.dialect != Postgres {
		join = " CROSS JOIN " // SQLite keeps this order: claims first
	}
	var b strings.Builder
	var args []any
	for i := from; i < len(s.terms); i++ {
		b.WriteString(join + "claim_terms t" + strconv.Itoa(i) + " ON t" + strconv.Itoa(i) + ".term = ? AND t" + strconv.Itoa(i) + ".claim_id = c.id")
		args = append(args, s.terms[i])
	}
	return b.String(), args
}

func (s *impactScorer) rankSQL() (string, []any) {
	parts := make([]string, len(s.terms))
	args := make([]any, len(s.terms))
	for i := range s.terms {
		parts[i] = "? * t" + strconv.Itoa(i) + ".impact"
		args[i] = s.idfs[i]
	}
	return strings.Join(parts, " + "), args
}

// every scores every claim holding all the words: the rarest is held by
// few, or a document filter keeps to few.
func (s *impactScorer) every(n int) ([]SearchHit, error) {
	rank, rankArgs := s.rankSQL()
	where, whereArgs := claimConditions(s.opt)
	// From the rarest word's claims; with a document filter, from the
	// document's claims.
	from, lead, cond, first := "claim_terms t0 CROSS JOIN claims c ON c.id = t0.claim_id", []any{s.terms[0]}, "t0.term = ?", 1
	if s.opt.DocumentID != 0 {
		from, lead, cond, first = "claims c", nil, "1 = 1", 0
	}
	if s.db.dialect == Postgres {
		from = strings.Replace(from, "CROSS JOIN", "JOIN", 1)
	}
	joins, joinArgs := s.joins(first)
	var hits []SearchHit
	err := s.g.Raw(`SELECT c.id, c.document_id, c.text AS title, c.status, c.rating, `+rank+` AS rank
		FROM `+from+joins+` WHERE `+cond+where+` ORDER BY rank DESC, c.id LIMIT ?`,
		slices.Concat(rankArgs, joinArgs, lead, whereArgs, []any{n})...).Scan(&hits).Error
	return hitsOf(KindClaim, hits), err
}

// topK is the threshold algorithm (Fagin, Lotem and Naor): read each
// word's claims best first, score each claim newly seen in full, and stop
// once the n-th best scores above what a claim not yet seen could: the
// sum of each word's last impact read times its idf. A claim holding every
// word sits in each list, so the first list read to its end has shown them
// all.
func (s *impactScorer) topK(n int) ([]SearchHit, error) {
	type cursor struct {
		impact float64
		id     int64
		read   bool
	}
	cur := make([]cursor, len(s.terms))
	seen := map[int64]bool{}
	var best []SearchHit
	for batch := cmp.Or(s.batch, 64); ; batch = min(batch*2, impactBatchMax) {
		var fresh []int64
		exhausted := false
		for i, t := range s.terms {
			var rows []struct {
				ClaimID int64
				Impact  float64
			}
			q := s.g.Table("claim_terms").Select("claim_id, impact").Where("term = ?", t)
			if cur[i].read {
				// impact <= ? bounds the index's range; the ties at the bound
				// already read are left out row by row.
				q = q.Where("impact <= ? AND (impact < ? OR claim_id > ?)", cur[i].impact, cur[i].impact, cur[i].id)
			}
			if err := q.Order("impact DESC, claim_id").Limit(batch).Scan(&rows).Error; err != nil {
				return nil, err
			}
			exhausted = exhausted || len(rows) < batch
			if len(rows) > 0 {
				last := rows[len(rows)-1]
				cur[i] = cursor{impact: last.Impact, id: last.ClaimID, read: true}
			}
			for _, r := range rows {
				if !seen[r.ClaimID] {
					seen[r.ClaimID] = true
					fresh = append(fresh, r.ClaimID)
				}
			}
		}
		hits, err := s.score(fresh)
		if err != nil {
			return nil, err
		}
		best = append(best, hits...)
		slices.SortFunc(best, func(a, b SearchHit) int {
			if a.Rank != b.Rank {
				return cmp.Compare(b.Rank, a.Rank)
			}
			return cmp.Compare(a.ID, b.ID)
		})
		best = best[:min(len(best), n)]
		if exhausted {
			return best, nil
		}
		if len(best) == n {
			// An unseen claim scores at most bound; equal to it, it would
			// follow every claim read in each list at that impact, so it
			// cannot come before the n-th when that one's id is smaller.
			bound, lastID := 0.0, int64(0)
			for i, c := range cur {
				bound += s.idfs[i] * c.impact
				lastID = max(lastID, c.id)
			}
			if r := best[n-1]; r.Rank > bound || r.Rank == bound && r.ID <= lastID {
				return best, nil
			}
		}
	}
}

// score reads the claims of ids that hold every word and pass the filters,
// with their rank summed in Go in the order the bound is.
func (s *impactScorer) score(ids []int64) ([]SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	joins, joinArgs := s.joins(0)
	where, whereArgs := claimConditions(s.opt)
	cols := make([]string, len(s.terms))
	for i := range s.terms {
		cols[i] = "t" + strconv.Itoa(i) + ".impact AS i" + strconv.Itoa(i)
	}
	rows, err := s.g.Raw(`SELECT c.id, c.document_id, c.text, c.status, c.rating, `+strings.Join(cols, ", ")+`
		FROM claims c`+joins+` WHERE c.id IN ?`+where,
		slices.Concat(joinArgs, []any{ids}, whereArgs)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []SearchHit
	impacts := make([]float64, len(s.terms))
	dest := make([]any, 5+len(s.terms))
	for rows.Next() {
		var h SearchHit
		dest[0], dest[1], dest[2], dest[3], dest[4] = &h.ID, &h.DocumentID, &h.Title, &h.Status, &h.Rating
		for i := range impacts {
			dest[5+i] = &impacts[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, v := range impacts {
			h.Rank += s.idfs[i] * v
		}
		hits = append(hits, h)
	}
	return hitsOf(KindClaim, hits), rows.Err()
}

// hitsOf marks hits as of kind.
func hitsOf(kind string, hits []SearchHit) []SearchHit {
	for i := range hits {
		hits[i].Kind = kind
	}
	return hits
}
