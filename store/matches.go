package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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
	return byKey(db.gorm.WithContext(ctx).Model(&models.Claim{}), "id", ids, func(c models.Claim) int64 { return c.ID })
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
	// As for claims, the rarest words only, and a review sharing two of
	// them (sharingTwo): every review retrieved is ranked and judged, and
	// a common word would make most of them candidates (8.8 s a document
	// at 100,000 reviews with every word, bench/RESULTS.md).
	var held []int64
	if terms, held, err = db.distinctiveReviewTerms(g, terms); err != nil || len(terms) == 0 {
		return pool, err
	}
	q := sharingTwo(terms, held)
	if db.dialect == Postgres {
		err = g.Raw(`SELECT r.* FROM external_reviews r, to_tsquery('simple', ?) q WHERE r.search @@ q
			ORDER BY ts_rank_cd(r.search, q) DESC, r.id LIMIT ?`, q.tsquery(), matchPool).Scan(&pool.reviews).Error
	} else {
		// Every match ranked by BM25 (factdesk_rank), not a window of
		// the newest: an old review of the very claim comes first.
		err = g.Raw(`SELECT r.* FROM external_reviews_fts CROSS JOIN external_reviews r ON r.id = external_reviews_fts.docid
			WHERE external_reviews_fts MATCH ?
			ORDER BY factdesk_rank(matchinfo(external_reviews_fts, 'pcnalx'), 1.0, 0.5) DESC, r.id LIMIT ?`, q.fts4(), matchPool).Scan(&pool.reviews).Error
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
	all, err := db.matchAll(ctx, claims, limit)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Match{}
	for i, m := range all {
		if len(m) > 0 {
			out[claims[i].ID] = m
		}
	}
	return out, nil
}

// matchWorkers is how many proposals of a document are matched at once,
// each on its own connection: a proposal is a few reads, nearly all CPU
// inside the database, so one at a time a core each.
var matchWorkers = min(runtime.GOMAXPROCS(0), 4)

// matchAll is MatchText for each of claims, in their order, matchWorkers
// at a time (each on its own connection).
func (db *DB) matchAll(ctx context.Context, claims []models.Claim, limit int) ([][]Match, error) {
	out := make([][]Match, len(claims))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(matchWorkers)
	for i := range claims {
		g.Go(func() error {
			var err error
			out[i], err = db.MatchText(ctx, claims[i].Text, claims[i].ID, limit)
			return err
		})
	}
	return out, g.Wait()
}

// Matching a document's proposals costs one ranked retrieval each: 1.4 to
// 1.8 s for a 1,000-word document at 100,000 claims. The triage list is
// drawn far more often than a document is imported, so the matches of
// each proposal are stored (computed at import, RefreshDocumentMatches)
// and read back with the page; the records they name are read fresh, so a
// verdict shows as it stands now. A stored list older than MatchesMaxAge
// is computed again when the page is drawn, so a verdict published or a
// review imported since shows within that time.

// MatchesMaxAge is how long a proposal's stored matches are used.
const MatchesMaxAge = 15 * time.Minute

// proposalMatches is the stored row: the matches of one proposal as JSON.
type proposalMatches struct {
	ClaimID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Matches    string
	ComputedAt time.Time
}

func (proposalMatches) TableName() string { return "proposal_matches" }

// storedMatch is one stored match: our claim (C) or a review (R).
type storedMatch struct {
	C   int64           `json:"c,omitempty"`
	R   int64           `json:"r,omitempty"`
	S   float64         `json:"s"`
	Why extract.Reasons `json:"w"`
}

// storedLimit is how many matches are stored per proposal.
const storedLimit = 10

// RefreshDocumentMatches computes and stores the matches of every proposal
// of document id: called after an import commits, outside its transaction.
func (db *DB) RefreshDocumentMatches(ctx context.Context, id int64) error {
	var props []models.Claim
	if err := db.gorm.WithContext(ctx).Where("document_id = ? AND status = ?", id, models.StatusCandidate).Find(&props).Error; err != nil {
		return fmt.Errorf("refresh matches: %w", err)
	}
	_, err := db.refreshMatches(ctx, props)
	return err
}

// matchAtImport stores the matches of a document just imported. The
// import has committed: a failure here leaves the matches to be computed
// when the triage list is drawn.
func (db *DB) matchAtImport(ctx context.Context, id int64) {
	_ = db.RefreshDocumentMatches(ctx, id)
}

// refreshMatches computes the matches of claims (matchAll) and stores
// them in one transaction: one commit for a document, not one for each
// of its proposals.
func (db *DB) refreshMatches(ctx context.Context, claims []models.Claim) ([][]Match, error) {
	all, err := db.matchAll(ctx, claims, storedLimit)
	if err != nil || len(claims) == 0 {
		return all, err
	}
	now := db.Now()
	rows := make([]proposalMatches, len(claims))
	for i, m := range all {
		stored := make([]storedMatch, len(m))
		for j, x := range m {
			stored[j] = storedMatch{S: x.Score, Why: x.Why}
			if x.Claim != nil {
				stored[j].C = x.Claim.ID
			} else if x.Review != nil {
				stored[j].R = x.Review.ID
			}
		}
		b, err := json.Marshal(stored)
		if err != nil {
			return nil, fmt.Errorf("store matches: %w", err)
		}
		rows[i] = proposalMatches{ClaimID: claims[i].ID, Matches: string(b), ComputedAt: now}
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		// A proposal deleted meanwhile has no row to keep matches for.
		var live []int64
		if err := tx.Model(&models.Claim{}).Where("id IN ?", idsOf(claims, func(c models.Claim) int64 { return c.ID })).Pluck("id", &live).Error; err != nil {
			return err
		}
		rows = slices.DeleteFunc(rows, func(r proposalMatches) bool { return !slices.Contains(live, r.ClaimID) })
		if len(rows) == 0 {
			return nil
		}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "claim_id"}}, DoUpdates: clause.AssignmentColumns([]string{"matches", "computed_at"})}).
			CreateInBatches(&rows, 100).Error
	})
	if err != nil {
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			return all, nil // a proposal deleted in between, on PostgreSQL: computed again when next drawn
		}
		return nil, fmt.Errorf("store matches: %w", err)
	}
	return all, nil
}

// ProposalMatches is MatchProposals through the stored matches: a proposal
// whose matches were stored less than MatchesMaxAge ago gets them, the
// claims and reviews read fresh (a claim no longer checked is dropped);
// the others are computed and stored now.
func (db *DB) ProposalMatches(ctx context.Context, claims []models.Claim, limit int) (map[int64][]Match, error) {
	if limit <= 0 || limit > storedLimit {
		limit = storedLimit
	}
	out := map[int64][]Match{}
	if len(claims) == 0 {
		return out, nil
	}
	ids := idsOf(claims, func(c models.Claim) int64 { return c.ID })
	g := db.gorm.WithContext(ctx)
	var rows []proposalMatches
	if err := g.Where("claim_id IN ? AND computed_at > ?", ids, db.Now().Add(-MatchesMaxAge)).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("stored matches: %w", err)
	}
	stored := map[int64][]storedMatch{}
	var claimIDs, reviewIDs []int64
	for _, r := range rows {
		var ms []storedMatch
		if err := json.Unmarshal([]byte(r.Matches), &ms); err != nil {
			continue // computed again below
		}
		stored[r.ClaimID] = ms
		for _, m := range ms {
			if m.C != 0 {
				claimIDs = append(claimIDs, m.C)
			} else {
				reviewIDs = append(reviewIDs, m.R)
			}
		}
	}
	byClaim, byReview := map[int64]*models.Claim{}, map[int64]*models.ExternalReview{}
	if len(claimIDs) > 0 {
		var cs []models.Claim
		if err := g.Where("id IN ? AND status IN ?", claimIDs, checkedStatuses).Find(&cs).Error; err != nil {
			return nil, fmt.Errorf("stored matches: %w", err)
		}
		for i := range cs {
			byClaim[cs[i].ID] = &cs[i]
		}
	}
	if len(reviewIDs) > 0 {
		var rs []models.ExternalReview
		if err := g.Where("id IN ?", reviewIDs).Find(&rs).Error; err != nil {
			return nil, fmt.Errorf("stored matches: %w", err)
		}
		for i := range rs {
			byReview[rs[i].ID] = &rs[i]
		}
	}
	var missing []models.Claim
	for _, c := range claims {
		if _, ok := stored[c.ID]; !ok {
			missing = append(missing, c)
		}
	}
	computed, err := db.refreshMatches(ctx, missing)
	if err != nil {
		return nil, err
	}
	fresh := map[int64][]Match{}
	for i, c := range missing {
		fresh[c.ID] = computed[i]
	}
	for i := range claims {
		c := &claims[i]
		ms, ok := stored[c.ID]
		got := fresh[c.ID]
		if ok {
			for _, m := range ms {
				switch {
				case m.C != 0 && byClaim[m.C] != nil:
					got = append(got, Match{Claim: byClaim[m.C], Score: m.S, Why: m.Why})
				case m.R != 0 && byReview[m.R] != nil:
					got = append(got, Match{Review: byReview[m.R], Score: m.S, Why: m.Why})
				}
			}
		}
		if len(got) > limit {
			got = got[:limit]
		}
		if len(got) > 0 {
			out[c.ID] = got
		}
	}
	return out, nil
}
