package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

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
	claims  []models.Claim
	reviews []models.ExternalReview
}

// matchCandidates is the one retrieval step of matching: the checked claims
// (except exclude) and the imported reviews sharing a figure, a name or a
// longer word with text. It is a window of the newest matchPool of each;
// the ranked engine can replace this function alone.
func (db *DB) matchCandidates(g *gorm.DB, text string, exclude int64) (candidatePool, error) {
	var pool candidatePool
	terms := matchTerms(text)
	if len(terms) == 0 {
		return pool, nil
	}
	var err error
	if db.dialect == Postgres {
		or := make([]string, len(terms))
		for i, t := range terms {
			or[i] = `"` + strings.Join(t, " ") + `"`
		}
		q := strings.Join(or, " or ")
		err = g.Raw(`SELECT * FROM claims WHERE search @@ websearch_to_tsquery('simple', ?) AND id <> ? AND status IN ?
			ORDER BY ts_rank_cd(search, websearch_to_tsquery('simple', ?)) DESC, id LIMIT ?`, q, exclude, checkedStatuses, q, matchPool).Scan(&pool.claims).Error
		if err == nil {
			err = g.Raw(`SELECT * FROM external_reviews WHERE search @@ websearch_to_tsquery('simple', ?)
				ORDER BY ts_rank_cd(search, websearch_to_tsquery('simple', ?)) DESC, id LIMIT ?`, q, q, matchPool).Scan(&pool.reviews).Error
		}
	} else {
		fq := ftsQuery(terms, " OR ")
		err = g.Raw(`SELECT c.* FROM claims c
			WHERE c.status IN ? AND c.id <> ? AND c.id IN (SELECT docid FROM claims_fts WHERE claims_fts MATCH ?)
			ORDER BY c.id DESC LIMIT ?`, checkedStatuses, exclude, fq, matchPool).Scan(&pool.claims).Error
		if err == nil {
			err = g.Raw(`SELECT r.* FROM external_reviews r
				WHERE r.id IN (SELECT docid FROM external_reviews_fts WHERE external_reviews_fts MATCH ?)
				ORDER BY r.id DESC LIMIT ?`, fq, matchPool).Scan(&pool.reviews).Error
		}
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
	pool, err := db.matchCandidates(db.gorm.WithContext(ctx), text, exclude)
	if err != nil {
		return nil, err
	}
	var out []Match
	for i := range pool.claims {
		if s, why, ok := extract.Match(text, pool.claims[i].Text); ok {
			out = append(out, Match{Claim: &pool.claims[i], Score: s, Why: why})
		}
	}
	for i := range pool.reviews {
		if s, why, ok := extract.Match(text, pool.reviews[i].ClaimText); ok {
			out = append(out, Match{Review: &pool.reviews[i], Score: s, Why: why})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// MatchesOf is MatchText for a stored claim.
func (db *DB) MatchesOf(ctx context.Context, id int64, limit int) ([]Match, error) {
	c, err := db.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.MatchText(ctx, c.Text, id, limit)
}
