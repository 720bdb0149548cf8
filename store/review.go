package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// pendingCorrection is the row of a correction waiting for a second editor.
type pendingCorrection struct {
	ClaimID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Proposal  string
	UpdatedAt time.Time
}

// ReviewOf says what waits for approval on the claim: its pending
// correction, who wrote it and the newsroom's two-person rule.
func (db *DB) ReviewOf(ctx context.Context, c *models.Claim) (models.Review, error) {
	return db.review(db.gorm.WithContext(ctx), c)
}

func (db *DB) review(tx *gorm.DB, c *models.Claim) (models.Review, error) {
	rv := models.Review{Rule: db.twoPerson}
	if c.Status != models.StatusInReview && c.Status != models.StatusPublished {
		return rv, nil
	}
	p, err := pendingOf(tx, c.ID)
	if err != nil {
		return rv, err
	}
	rv.Pending = p
	var revs []models.Revision
	if err := tx.Where("claim_id = ?", c.ID).Order("id DESC").Limit(5000).Find(&revs).Error; err != nil {
		return rv, fmt.Errorf("read review: %w", err)
	}
	rv.Authors = models.VerdictAuthors(c, revs)
	return rv, nil
}

func pendingOf(tx *gorm.DB, claimID int64) (*models.PendingCorrection, error) {
	var row pendingCorrection
	err := tx.Where("claim_id = ?", claimID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read pending correction: %w", err)
	}
	var p models.PendingCorrection
	if err := json.Unmarshal([]byte(row.Proposal), &p); err != nil {
		return nil, fmt.Errorf("read pending correction: %w", err)
	}
	return &p, nil
}

// proposeCorrection stores p as the claim's pending correction (nil drops
// it) and records the change. The claim's version moves, so that an
// approval names what it read, but nothing readers see of the claim does:
// not even its update time.
func (db *DB) proposeCorrection(ctx context.Context, tx *gorm.DB, old *models.Claim, before, p *models.PendingCorrection, actor *models.User, summary string) (*models.Claim, error) {
	res := tx.Model(&models.Claim{}).Where("id = ? AND version = ?", old.ID, old.Version).UpdateColumn("version", old.Version+1)
	if res.Error != nil {
		return nil, fmt.Errorf("propose correction: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		current, err := getClaim(tx, old.ID)
		if err != nil {
			return nil, err
		}
		return nil, models.Conflict(current, "the claim was changed by someone else since you opened it")
	}
	if err := setPending(tx, old.ID, p); err != nil {
		return nil, err
	}
	if err := db.record(tx, change{entity: models.EntityClaim, entityID: old.ID, claimID: &old.ID, action: models.RevisionProposeCorrection,
		actor: actor, before: proposalFields(before), after: proposalFields(p), summary: summary}); err != nil {
		return nil, err
	}
	c := *old
	c.Version++
	return &c, nil
}

func setPending(tx *gorm.DB, claimID int64, p *models.PendingCorrection) error {
	if err := tx.Where("claim_id = ?", claimID).Delete(&pendingCorrection{}).Error; err != nil {
		return fmt.Errorf("drop pending correction: %w", err)
	}
	if p == nil {
		return nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store pending correction: %w", err)
	}
	if err := tx.Create(&pendingCorrection{ClaimID: claimID, Proposal: string(b), UpdatedAt: p.UpdatedAt}).Error; err != nil {
		return fmt.Errorf("store pending correction: %w", err)
	}
	return nil
}

// proposalFields is what the history shows of a pending correction.
func proposalFields(p *models.PendingCorrection) map[string]any {
	out := map[string]any{}
	if p == nil {
		return out
	}
	if p.Text != nil {
		out["text"] = *p.Text
	}
	if p.Claimant != nil {
		out["claimant"] = *p.Claimant
	}
	if p.Rating != nil {
		out["rating"] = *p.Rating
	}
	if p.Explanation != nil {
		out["explanation"] = *p.Explanation
	}
	if len(p.Evidence) > 0 {
		b, _ := json.Marshal(p.Evidence)
		out["evidence"] = string(b)
	}
	out["note"] = p.Note
	return out
}

// ListPendingCorrections returns the published claims whose correction
// waits for a second editor, the longest waiting first.
func (db *DB) ListPendingCorrections(ctx context.Context, limit int) ([]models.Claim, error) {
	g := db.gorm.WithContext(ctx)
	var ids []int64
	if err := g.Model(&pendingCorrection{}).Order("updated_at, claim_id").Limit(limit).Pluck("claim_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list pending corrections: %w", err)
	}
	out := make([]models.Claim, 0, len(ids))
	for _, id := range ids {
		c, err := getClaim(g, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}
