package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"factdesk/extract"
	"factdesk/models"
)

// ClaimMatch is a claim already checked that may say the same thing.
type ClaimMatch struct {
	Claim models.Claim
	Score float64 // extract.Similarity, 0..1
}

// MinMatchScore is the least similarity worth showing an editor.
const MinMatchScore = 0.3

// matchPool bounds how many full-text candidates are scored one by one.
const matchPool = 200

// checkedStatuses are the claims a newsroom has already put work into.
var checkedStatuses = []models.Status{models.StatusResearching, models.StatusInReview, models.StatusPublished}

// MatchClaims returns the claims already checked (or being checked) that
// say what claim id says, best first: the full-text index finds those
// sharing its figures and names, then extract.Similarity ranks them.
func (db *DB) MatchClaims(ctx context.Context, id int64, limit int) ([]ClaimMatch, error) {
	c, err := db.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	terms := matchTerms(c.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	// The search engine retrieves; Similarity then judges the best matchPool.
	pool, err := db.checkedClaimsSharing(ctx, terms, id)
	if err != nil {
		return nil, fmt.Errorf("match claims: %w", err)
	}
	m := extract.MatcherOf(c.Text)
	var judged []ClaimMatch
	for _, other := range pool {
		if s := m.Similarity(other.Title); s >= MinMatchScore {
			judged = append(judged, ClaimMatch{Claim: models.Claim{ID: other.ID}, Score: s})
		}
	}
	judged = strongest(judged, limit, func(m ClaimMatch) float64 { return m.Score })
	claims, err := db.claimsByID(ctx, idsOf(judged, func(m ClaimMatch) int64 { return m.Claim.ID }))
	if err != nil {
		return nil, fmt.Errorf("match claims: %w", err)
	}
	var out []ClaimMatch
	for _, j := range judged {
		if c, ok := claims[j.Claim.ID]; ok { // not deleted meanwhile
			out = append(out, ClaimMatch{Claim: c, Score: j.Score})
		}
	}
	return out, nil
}

// checkedClaimsSharing returns the best matchPool of the checked claims
// (except exclude) that share any of terms, as the ranked search engine
// (Search, BM25 over every match) finds them, in the order of their ids:
// each hit's ID and, as its Title, the claim's text, which is all that
// matching judges by.
func (db *DB) checkedClaimsSharing(ctx context.Context, terms [][]string, exclude int64) ([]SearchHit, error) {
	words := make([]string, len(terms))
	for i, t := range terms {
		words[i] = strings.Join(t, "-") // one term, matched as a phrase
	}
	hits, err := db.Search(ctx, strings.Join(words, " "), SearchOptions{Kind: KindClaim, AnyWord: true,
		Statuses: checkedStatuses, ExcludeClaim: exclude, Limit: matchPool, NoSnippets: true})
	slices.SortFunc(hits, func(a, b SearchHit) int { return cmp.Compare(a.ID, b.ID) })
	return hits, err
}

// claimsByID reads in full the claims of ids: the few that matching kept
// of the pool it judged by their texts.
func (db *DB) claimsByID(ctx context.Context, ids []int64) (map[int64]models.Claim, error) {
	out := make(map[int64]models.Claim, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var claims []models.Claim
	if err := db.gorm.WithContext(ctx).Where("id IN ?", ids).Find(&claims).Error; err != nil {
		return nil, err
	}
	for _, c := range claims {
		out[c.ID] = c
	}
	return out, nil
}

// strongest sorts matches by score, strongest first (ties keep their
// order), and keeps the first limit: 10 when limit is not in 1..50.
func strongest[M any](matches []M, limit int, score func(M) float64) []M {
	sort.SliceStable(matches, func(i, j int) bool { return score(matches[i]) > score(matches[j]) })
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	return matches[:min(limit, len(matches))]
}

// matchTerms keeps the words of a claim that carry its meaning: figures,
// names and longer words, not the glue.
func matchTerms(text string) [][]string {
	var out [][]string
	for _, t := range searchTerms(text) {
		word := strings.Join(t, "")
		hasDigit := strings.IndexFunc(word, unicode.IsDigit) >= 0
		if hasDigit || (len([]rune(word)) >= 4 && !stopwords[word]) {
			out = append(out, t)
		}
	}
	if len(out) > 16 {
		out = out[:16]
	}
	return out
}

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again against also been before being below between both could does doing down during each from further have having here into itself just more most must only other over same should some such than that their theirs them then there these they this those through under until very were what when where which while whom will with would your yours`) {
		stopwords[w] = true
	}
}
