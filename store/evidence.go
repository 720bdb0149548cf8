package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"factdesk/models"
)

// AddEvidence links a source to a claim. With e.SourceID zero the source is
// created from newSource in the same transaction.
func (db *DB) AddEvidence(ctx context.Context, e *models.Evidence, newSource *models.Source, actor *models.User) (*EvidenceDetail, error) {
	var out *EvidenceDetail
	err := db.tx(ctx, func(tx *gorm.DB) error {
		claim, err := getClaim(tx, e.ClaimID)
		if err != nil {
			return err
		}
		if err := evidenceFrozen(claim); err != nil {
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
		if err := db.bumpClaim(ctx, tx, claim); err != nil {
			return err
		}
		return db.record(tx, change{entity: models.EntityEvidence, entityID: e.ID, claimID: &e.ClaimID, action: "create", actor: actor, after: e, summary: "evidence added: " + src.Title})
	})
	return out, err
}

// EvidenceUpdate is a partial edit of an evidence link: nil fields are left
// as they are.
type EvidenceUpdate struct {
	Stance       *models.Stance
	Excerpt      *string
	PublicNote   *string
	ResearchNote *string
}

// UpdateEvidence edits one evidence link of a claim. On a published claim
// only the research note may change here: readers see the rest.
func (db *DB) UpdateEvidence(ctx context.Context, claimID, id int64, u EvidenceUpdate, actor *models.User) (*EvidenceDetail, error) {
	var out *EvidenceDetail
	err := db.tx(ctx, func(tx *gorm.DB) error {
		claim, e, err := db.evidenceOf(ctx, tx, claimID, id)
		if err != nil {
			return err
		}
		next := *e
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		if u.Stance != nil {
			next.Stance = *u.Stance
		}
		set(&next.Excerpt, u.Excerpt)
		set(&next.PublicNote, u.PublicNote)
		set(&next.ResearchNote, u.ResearchNote)
		if next.Stance != e.Stance || next.Excerpt != e.Excerpt || next.PublicNote != e.PublicNote {
			if err := evidenceFrozen(claim); err != nil {
				return err
			}
		}
		if err := next.Validate(); err != nil {
			return err
		}
		if next == *e {
			out = &EvidenceDetail{Evidence: next}
			return nil
		}
		if err := tx.Model(&models.Evidence{}).Where("id = ?", id).
			Updates(map[string]any{"stance": next.Stance, "excerpt": next.Excerpt, "public_note": next.PublicNote, "research_note": next.ResearchNote}).Error; err != nil {
			return fmt.Errorf("update evidence: %w", err)
		}
		src, err := getSource(tx, next.SourceID)
		if err != nil {
			return err
		}
		out = &EvidenceDetail{Evidence: next, Source: *src}
		if err := db.bumpClaim(ctx, tx, claim); err != nil {
			return err
		}
		return db.record(tx, change{entity: models.EntityEvidence, entityID: id, claimID: &claimID, action: "update", actor: actor, before: e, after: &next, summary: "evidence edited: " + src.Title})
	})
	return out, err
}

// DeleteEvidence removes one evidence link of a claim.
func (db *DB) DeleteEvidence(ctx context.Context, claimID, id int64, actor *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		claim, e, err := db.evidenceOf(ctx, tx, claimID, id)
		if err != nil {
			return err
		}
		if err := evidenceFrozen(claim); err != nil {
			return err
		}
		if err := tx.Delete(&models.Evidence{}, id).Error; err != nil {
			return fmt.Errorf("delete evidence: %w", err)
		}
		if err := db.bumpClaim(ctx, tx, claim); err != nil {
			return err
		}
		return db.record(tx, change{entity: models.EntityEvidence, entityID: id, claimID: &claimID, action: "delete", actor: actor, before: e, summary: "evidence removed"})
	})
}

func (db *DB) evidenceOf(ctx context.Context, tx *gorm.DB, claimID, id int64) (*models.Claim, *models.Evidence, error) {
	claim, err := getClaim(tx, claimID)
	if err != nil {
		return nil, nil, err
	}
	var e models.Evidence
	if err := tx.Where("id = ? AND claim_id = ?", id, claimID).First(&e).Error; err != nil {
		return nil, nil, notFound(err, "evidence %d of claim %d not found", id, claimID)
	}
	return claim, &e, nil
}

// evidenceFrozen refuses a change readers would see of a published
// verdict's sources: those are part of what a second editor approved.
func evidenceFrozen(c *models.Claim) error {
	if c.Status == models.StatusPublished {
		return models.Conflict(c, "the sources of a published verdict change through a correction that a second editor approves (CorrectEvidence)")
	}
	return nil
}

// bumpClaim moves the claim's version when its evidence changes: the
// evidence is part of the verdict a reviewer approves by version.
func (db *DB) bumpClaim(ctx context.Context, tx *gorm.DB, c *models.Claim) error {
	res := tx.Model(&models.Claim{}).Where("id = ?", c.ID).UpdateColumn("version", gorm.Expr("version + 1"))
	if res.Error != nil {
		return fmt.Errorf("update claim version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.ENOTFOUND, "claim %d not found", c.ID)
	}
	return nil
}

func listEvidence(tx *gorm.DB, claimID int64) ([]EvidenceDetail, error) {
	var links []models.Evidence
	if err := tx.Where("claim_id = ?", claimID).Order("id").Find(&links).Error; err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	if len(links) == 0 {
		return nil, nil
	}
	ids := idsOf(links, func(l models.Evidence) int64 { return l.SourceID })
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

// CorrectEvidence proposes a change of a published verdict's sources: it
// waits in the claim's pending correction, with note, until a second editor
// approves it. A new source (newSource, for an add without SourceID) is
// created now: no reader sees it until the link is approved. It returns the
// claim, its version moved.
func (db *DB) CorrectEvidence(ctx context.Context, claimID int64, ch models.EvidenceChange, newSource *models.Source, note string, actor *models.User) (*models.Claim, error) {
	var out *models.Claim
	err := db.tx(ctx, func(tx *gorm.DB) error {
		claim, err := getClaim(tx, claimID)
		if err != nil {
			return err
		}
		if claim.Status != models.StatusPublished {
			return models.Conflict(claim, "only the sources of a published verdict change through a correction")
		}
		switch ch.Op {
		case models.EvidenceAdd:
			switch {
			case ch.SourceID != 0:
				if _, err := getSource(tx, ch.SourceID); err != nil {
					if models.ErrorCode(err) == models.ENOTFOUND {
						return &models.Error{Code: models.EINVALID, Message: "no such source", Fields: map[string]string{"source_id": "no source has this ID"}}
					}
					return err
				}
			case newSource != nil:
				if err := db.createSource(tx, newSource, actor); err != nil {
					return err
				}
				ch.SourceID = newSource.ID
			default:
				return &models.Error{Code: models.EINVALID, Message: "evidence needs a source", Fields: map[string]string{"source_id": "give a source ID or a new source"}}
			}
		case models.EvidenceEdit, models.EvidenceRemove:
			if _, _, err := db.evidenceOf(ctx, tx, claimID, ch.EvidenceID); err != nil {
				return err
			}
		default:
			return &models.Error{Code: models.EINVALID, Message: "unknown evidence change", Fields: map[string]string{"op": "must be add, edit or remove"}}
		}
		pending, err := pendingOf(tx, claimID)
		if err != nil {
			return err
		}
		next, err := models.ProposeEvidence(claim, pending, ch, note, db.Now())
		if err != nil {
			return err
		}
		out, err = db.proposeCorrection(ctx, tx, claim, pending, next, actor, "correction proposed: evidence "+ch.Op)
		return err
	})
	return out, err
}

// applyEvidence carries out the evidence changes of an approved
// correction, each with its revision. A link removed since is skipped.
func (db *DB) applyEvidence(tx *gorm.DB, claimID int64, changes []models.EvidenceChange, actor *models.User) error {
	for _, ch := range changes {
		switch ch.Op {
		case models.EvidenceAdd:
			e := models.Evidence{ClaimID: claimID, SourceID: ch.SourceID, Stance: ch.Stance, Excerpt: ch.Excerpt, PublicNote: ch.PublicNote,
				ResearchNote: ch.ResearchNote, AddedBy: userID(actor), CreatedAt: db.Now()}
			if err := tx.Create(&e).Error; err != nil {
				return fmt.Errorf("add evidence: %w", err)
			}
			if err := db.record(tx, change{entity: models.EntityEvidence, entityID: e.ID, claimID: &claimID, action: "create", actor: actor, after: &e, summary: "evidence added with the correction"}); err != nil {
				return err
			}
		case models.EvidenceEdit, models.EvidenceRemove:
			e, found, err := ofClaim[models.Evidence](tx, ch.EvidenceID, claimID, "evidence")
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if ch.Op == models.EvidenceRemove {
				if err := tx.Delete(&models.Evidence{}, e.ID).Error; err != nil {
					return fmt.Errorf("delete evidence: %w", err)
				}
				if err := db.record(tx, change{entity: models.EntityEvidence, entityID: e.ID, claimID: &claimID, action: "delete", actor: actor, before: e, summary: "evidence removed with the correction"}); err != nil {
					return err
				}
				continue
			}
			next := *e
			next.Stance, next.Excerpt, next.PublicNote = ch.Stance, ch.Excerpt, ch.PublicNote
			if err := tx.Model(&models.Evidence{}).Where("id = ?", e.ID).
				Updates(map[string]any{"stance": next.Stance, "excerpt": next.Excerpt, "public_note": next.PublicNote}).Error; err != nil {
				return fmt.Errorf("update evidence: %w", err)
			}
			if err := db.record(tx, change{entity: models.EntityEvidence, entityID: e.ID, claimID: &claimID, action: "update", actor: actor, before: e, after: &next, summary: "evidence edited with the correction"}); err != nil {
				return err
			}
		}
	}
	return nil
}
