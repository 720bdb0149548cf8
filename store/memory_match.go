package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"factdesk/extract"
	"factdesk/models"
)

// Match is something already checked that may say what a text says: one
// of the newsroom's claims or another fact-checker's review, with how
// strongly and why (shared figures, actors, words).
type Match struct {
	Claim  *models.Claim
	Review *models.ExternalReview
	Score  float64
	Why    extract.Reasons
}

// candidatePool is what retrieval hands to scoring.
type candidatePool struct {
	claims  []SearchHit // ID and text
	reviews []models.ExternalReview
}

// matchCandidates is the one retrieval step of matching: the checked claims
// (except exclude) sharing a figure, a name or a longer word with text, as
// the ranked search engine (Search, BM25 over every match) orders them, and
// the imported reviews that share one, ranked over every match (BM25 on
// SQLite, cover density on PostgreSQL), the best matchPool of each.
func (db *DB) matchCandidates(ctx context.Context, text string, exclude int64) (candidatePool, error) {
	var pool candidatePool
	terms := matchTerms(text)
	if len(terms) == 0 {
		return pool, nil
	}
	var err error
	if pool.claims, err = db.checkedClaimsSharing(ctx, terms, exclude); err != nil {
		return pool, fmt.Errorf("match candidates: %w", err)
	}
	g := db.gorm.WithContext(ctx)
	if db.dialect == Postgres {
		or := make([]string, len(terms))
		for i, t := range terms {
			or[i] = `"` + strings.Join(t, " ") + `"`
		}
		q := strings.Join(or, " or ")
		err = g.Raw(`SELECT * FROM external_reviews WHERE search @@ websearch_to_tsquery('simple', ?)
			ORDER BY ts_rank_cd(search, websearch_to_tsquery('simple', ?)) DESC, id LIMIT ?`, q, q, matchPool).Scan(&pool.reviews).Error
	} else {
		// Every match ranked by BM25 (factdesk_rank), not a window of
		// the newest: an old review of the very claim comes first.
		err = g.Raw(`SELECT r.* FROM external_reviews_fts CROSS JOIN external_reviews r ON r.id = external_reviews_fts.docid
			WHERE external_reviews_fts MATCH ?
			ORDER BY factdesk_rank(matchinfo(external_reviews_fts, 'pcnalx'), 1.0, 0.5) DESC, r.id LIMIT ?`, ftsQuery(terms, " OR "), matchPool).Scan(&pool.reviews).Error
	}
	if err != nil {
		return pool, fmt.Errorf("match candidates: %w", err)
	}
	return pool, nil
}

// MatchText returns what the newsroom and other fact-checkers already
// checked that says what text says, strongest first; exclude is the claim
// the text belongs to (0 for none). A different figure is a different
// claim (extract.Match).
func (db *DB) MatchText(ctx context.Context, text string, exclude int64, limit int) ([]Match, error) {
	pool, err := db.matchCandidates(ctx, text, exclude)
	if err != nil {
		return nil, err
	}
	m := extract.MatcherOf(text)
	var out []Match
	for _, c := range pool.claims {
		if s, why, ok := m.Match(c.Title); ok {
			out = append(out, Match{Claim: &models.Claim{ID: c.ID}, Score: s, Why: why})
		}
	}
	for i := range pool.reviews {
		if s, why, ok := m.Match(pool.reviews[i].ClaimText); ok {
			out = append(out, Match{Review: &pool.reviews[i], Score: s, Why: why})
		}
	}
	out = strongest(out, limit, func(m Match) float64 { return m.Score })
	var ids []int64
	for _, o := range out {
		if o.Claim != nil {
			ids = append(ids, o.Claim.ID)
		}
	}
	claims, err := db.claimsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("match text: %w", err)
	}
	return slices.DeleteFunc(out, func(o Match) bool {
		if o.Claim == nil {
			return false
		}
		c, ok := claims[o.Claim.ID]
		*o.Claim = c
		return !ok // deleted meanwhile
	}), nil
}

// MatchesOf is MatchText for a stored claim.
func (db *DB) MatchesOf(ctx context.Context, id int64, limit int) ([]Match, error) {
	c, err := db.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.MatchText(ctx, c.Text, id, limit)
}

// MatchProposals is MatchText for each of claims (a document's proposals),
// by claim ID, at most limit each; a claim with no match has no entry.
func (db *DB) MatchProposals(ctx context.Context, claims []models.Claim, limit int) (map[int64][]Match, error) {
	out := map[int64][]Match{}
	for i := range claims {
		m, err := db.MatchText(ctx, claims[i].Text, claims[i].ID, limit)
		if err != nil {
			return nil, err
		}
		if len(m) > 0 {
			out[claims[i].ID] = m
		}
	}
	return out, nil
}
