package store

import "context"

// ImpactRanks ranks q's claims both ways the term index can, the
// threshold algorithm and scoring every match, for tests to compare.
func (db *DB) ImpactRanks(ctx context.Context, q string, opt SearchOptions, n int) (topK, every []SearchHit, err error) {
	g := db.gorm.WithContext(ctx)
	words, ok, err := db.wordTerms(g, searchTerms(q))
	if err != nil || !ok {
		return nil, nil, err
	}
	held, err := db.claimsHolding(g, words)
	if err != nil {
		return nil, nil, err
	}
	s, err := db.impactScorerOf(g, words, held, opt)
	if err != nil || s == nil {
		return nil, nil, err
	}
	s.batch = 2
	if topK, err = s.topK(n); err != nil {
		return nil, nil, err
	}
	every, err = s.every(n)
	return topK, every, err
}
