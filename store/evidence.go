package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

// AddEvidence links a source to a claim. With e.SourceID zero the source is
// created from newSource in the same transaction.
func (db *DB) AddEvidence(ctx context.Context, e *models.Evidence, newSource *models.Source, actor *models.User) (*EvidenceDetail, error) {
	var out *EvidenceDetail
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := db.readClaim(ctx, tx, e.ClaimID); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return err
		}
		var src *models.Source
		switch {
		case e.SourceID != 0:
			s, err := getSource(tx, e.SourceID)
			if err != nil {
				if models.ErrorCode(err) == models.ENOTFOUND {
					return &models.Error{Code: models.EINVALID, Message: "no such source", Fields: map[string]string{"source_id": "no source has this ID"}}
				}
				return err
			}
			src = s
		case newSource != nil:
			if err := db.createSource(tx, newSource, actor); err != nil {
				return err
			}
			src = newSource
		default:
			return &models.Error{Code: models.EINVALID, Message: "evidence needs a source", Fields: map[string]string{"source_id": "give a source ID or a new source"}}
		}
		e.ID, e.SourceID, e.AddedBy, e.CreatedAt = 0, src.ID, userID(actor), db.Now()
		if err := tx.Create(e).Error; err != nil {
			return fmt.Errorf("add evidence: %w", err)
		}
		out = &EvidenceDetail{Evidence: *e, Source: *src}
		return db.record(tx, change{entity: models.EntityEvidence, entityID: e.ID, claimID: &e.ClaimID, action: "create", actor: actor, after: e, summary: "evidence added: " + src.Title})
	})
	return out, err
}

// DeleteEvidence removes one evidence link of a claim.
func (db *DB) DeleteEvidence(ctx context.Context, claimID, id int64, actor *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var e models.Evidence
		if err := tx.Where("id = ? AND claim_id = ?", id, claimID).First(&e).Error; err != nil {
			return notFound(err, "evidence %d of claim %d not found", id, claimID)
		}
		if err := tx.Delete(&models.Evidence{}, id).Error; err != nil {
			return fmt.Errorf("delete evidence: %w", err)
		}
		return db.record(tx, change{entity: models.EntityEvidence, entityID: id, claimID: &claimID, action: "delete", actor: actor, before: &e, summary: "evidence removed"})
	})
}

func listEvidence(tx *gorm.DB, claimID int64) ([]EvidenceDetail, error) {
	var links []models.Evidence
	if err := tx.Where("claim_id = ?", claimID).Order("id").Find(&links).Error; err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	if len(links) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.SourceID
	}
	var sources []models.Source
	if err := tx.Where("id IN ?", ids).Find(&sources).Error; err != nil {
		return nil, fmt.Errorf("list evidence sources: %w", err)
	}
	byID := map[int64]models.Source{}
	for _, s := range sources {
		byID[s.ID] = s
	}
	out := make([]EvidenceDetail, len(links))
	for i, l := range links {
		out[i] = EvidenceDetail{Evidence: l, Source: byID[l.SourceID]}
	}
	return out, nil
}
