package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/extract"
	"factdesk/models"
)

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
	for i := range props {
		if _, err := db.refreshMatches(ctx, &props[i]); err != nil {
			return err
		}
	}
	return nil
}

// matchAtImport stores the matches of a document just imported. The
// import has committed: a failure here leaves the matches to be computed
// when the triage list is drawn.
func (db *DB) matchAtImport(ctx context.Context, id int64) {
	_ = db.RefreshDocumentMatches(ctx, id)
}

func (db *DB) refreshMatches(ctx context.Context, c *models.Claim) ([]Match, error) {
	m, err := db.MatchText(ctx, c.Text, c.ID, storedLimit)
	if err != nil {
		return nil, err
	}
	rows := make([]storedMatch, len(m))
	for i, x := range m {
		rows[i] = storedMatch{S: x.Score, Why: x.Why}
		if x.Claim != nil {
			rows[i].C = x.Claim.ID
		} else if x.Review != nil {
			rows[i].R = x.Review.ID
		}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("store matches: %w", err)
	}
	row := proposalMatches{ClaimID: c.ID, Matches: string(b), ComputedAt: db.Now()}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "claim_id"}}, DoUpdates: clause.AssignmentColumns([]string{"matches", "computed_at"})}).
			Create(&row).Error
	})
	if err != nil {
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			return m, nil // the proposal was deleted meanwhile
		}
		return nil, fmt.Errorf("store matches: %w", err)
	}
	return m, nil
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
	for i := range claims {
		c := &claims[i]
		ms, ok := stored[c.ID]
		var got []Match
		if ok {
			for _, m := range ms {
				switch {
				case m.C != 0 && byClaim[m.C] != nil:
					got = append(got, Match{Claim: byClaim[m.C], Score: m.S, Why: m.Why})
				case m.R != 0 && byReview[m.R] != nil:
					got = append(got, Match{Review: byReview[m.R], Score: m.S, Why: m.Why})
				}
			}
		} else {
			var err error
			if got, err = db.refreshMatches(ctx, c); err != nil {
				return nil, err
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
