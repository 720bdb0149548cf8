package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"gorm.io/gorm"

	"factdesk/models"
)

// The rating scale is read on every page that shows a rating, and changes
// a few times in a newsroom's life. It is kept in memory with the
// database's change generation (Generation) it was read at: any write, by
// this process or another replica, moves the generation and the next
// reader reads the scale again.
type scaleCache struct {
	mu    sync.Mutex
	gen   uint64
	valid bool
	scale models.Scale
}

type ratingRow struct {
	RatingKey   string `gorm:"primaryKey"`
	Label       string
	Description string
	Colour      string
	Position    int
	RatingValue *int
	Retired     bool
}

func (ratingRow) TableName() string { return "ratings" }

type scaleRow struct {
	ID          int64
	BestRating  int
	WorstRating int
	Version     int64
}

func (scaleRow) TableName() string { return "rating_scales" }

// Scale returns the newsroom's rating scale.
func (db *DB) Scale(ctx context.Context) (models.Scale, error) {
	gen, tracked := db.Generation()
	if tracked {
		db.scale.mu.Lock()
		if db.scale.valid && db.scale.gen == gen {
			s := db.scale.scale
			db.scale.mu.Unlock()
			return s, nil
		}
		db.scale.mu.Unlock()
	}
	s, err := readScale(db.gorm.WithContext(ctx))
	if err != nil {
		return models.Scale{}, err
	}
	if tracked {
		db.scale.mu.Lock()
		db.scale.gen, db.scale.valid, db.scale.scale = gen, true, s
		db.scale.mu.Unlock()
	}
	return s, nil
}

// The cached scale is shared: its slice must not be written by callers,
// and readScale always makes a new one.
func readScale(tx *gorm.DB) (models.Scale, error) {
	var head scaleRow
	if err := tx.Take(&head, 1).Error; err != nil {
		return models.Scale{}, fmt.Errorf("read scale: %w", err)
	}
	var rows []ratingRow
	if err := tx.Order("position, rating_key").Find(&rows).Error; err != nil {
		return models.Scale{}, fmt.Errorf("read scale: %w", err)
	}
	s := models.Scale{BestRating: head.BestRating, WorstRating: head.WorstRating, Version: head.Version}
	for _, r := range rows {
		s.Ratings = append(s.Ratings, models.ScaleRating{Key: models.Rating(r.RatingKey), Label: r.Label, Description: r.Description,
			Colour: models.Colour(r.Colour), Value: r.RatingValue, Retired: r.Retired})
	}
	return s, nil
}

// offerRating refuses a rating the scale does not offer, read in tx.
func offerRating(tx *gorm.DB, r models.Rating) error {
	s, err := readScale(tx)
	if err != nil {
		return err
	}
	return s.Offer(r)
}

// ratingUse counts, per rating, the claims and pending corrections that
// hold it and the published verdicts.
func ratingUse(tx *gorm.DB) (map[models.Rating]models.RatingUse, error) {
	var rows []struct {
		Rating    string
		N         int
		Published int
	}
	if err := tx.Model(&models.Claim{}).
		Select("rating, COUNT(*) AS n, SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS published", models.StatusPublished).
		Where("rating <> ''").Group("rating").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count ratings: %w", err)
	}
	out := map[models.Rating]models.RatingUse{}
	for _, r := range rows {
		out[models.Rating(r.Rating)] = models.RatingUse{Claims: r.N, Published: r.Published}
	}
	var pending []pendingCorrection
	if err := tx.Find(&pending).Error; err != nil {
		return nil, fmt.Errorf("count ratings: %w", err)
	}
	for _, p := range pending {
		var pc models.PendingCorrection
		if json.Unmarshal([]byte(p.Proposal), &pc) == nil && pc.Rating != nil {
			u := out[*pc.Rating]
			u.Claims++
			out[*pc.Rating] = u
		}
	}
	return out, nil
}

// RatingUse counts, per rating, the claims that hold it (the desk shows
// which ratings may still be removed).
func (db *DB) RatingUse(ctx context.Context) (map[models.Rating]models.RatingUse, error) {
	return ratingUse(db.gorm.WithContext(ctx))
}

// ScaleResult is what a change of the scale did.
type ScaleResult struct {
	Scale models.Scale `json:"scale"`
	// Changed are the ratings whose published verdicts changed.
	Changed []models.Rating `json:"changed"`
	// Proposed counts the corrections now waiting for a second editor
	// (review mode); Published those printed at once (apply_all).
	Proposed  int `json:"corrections_proposed"`
	Published int `json:"corrections_published"`
}

// UpdateScale replaces the scale with edit.Scale, based on edit.Version: a
// stale version is a conflict carrying the scale as it stands. Published
// verdicts whose rating changes are corrected as edit.Mode says, in the
// same transaction.
func (db *DB) UpdateScale(ctx context.Context, edit models.ScaleEdit, actor *models.User) (ScaleResult, error) {
	var out ScaleResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := readScale(tx)
		if err != nil {
			return err
		}
		if edit.Version != old.Version {
			return models.Conflict(old, "the scale was changed by someone else since you opened it (now version %d, yours %d)", old.Version, edit.Version)
		}
		use, err := ratingUse(tx)
		if err != nil {
			return err
		}
		plan, err := models.PlanScale(old, edit, use)
		if err != nil {
			return err
		}
		next := plan.Next
		next.Version = old.Version + 1
		if err := tx.Where("1 = 1").Delete(&ratingRow{}).Error; err != nil {
			return fmt.Errorf("write scale: %w", err)
		}
		for i, r := range next.Ratings {
			row := ratingRow{RatingKey: string(r.Key), Label: r.Label, Description: r.Description, Colour: string(r.Colour), Position: i, RatingValue: r.Value, Retired: r.Retired}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("write scale: %w", err)
			}
		}
		res := tx.Model(&scaleRow{}).Where("id = 1 AND version = ?", old.Version).
			UpdateColumns(map[string]any{"best_rating": next.BestRating, "worst_rating": next.WorstRating, "version": next.Version})
		if res.Error != nil {
			return fmt.Errorf("write scale: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return models.Conflict(old, "the scale was changed by someone else since you opened it")
		}
		summary := "rating scale changed"
		if plan.Note != "" {
			summary += ": " + plan.Note
		}
		if err := db.record(tx, change{entity: models.EntityScale, entityID: 1, action: "update", actor: actor,
			before: scaleFields(old), after: scaleFields(next), summary: summary}); err != nil {
			return err
		}
		out = ScaleResult{Scale: next, Changed: plan.Changed}
		switch plan.Mode {
		case models.RelabelApplyAll:
			out.Published, err = db.correctAll(tx, plan, actor)
		case models.RelabelReview:
			out.Proposed, err = db.proposeEach(ctx, tx, plan, actor)
		}
		return err
	})
	return out, err
}

// scaleFields is what the history shows of a scale.
func scaleFields(s models.Scale) map[string]any {
	b, _ := json.Marshal(s.Ratings)
	return map[string]any{"ratings": string(b), "best_rating": s.BestRating, "worst_rating": s.WorstRating}
}

func publishedWith(tx *gorm.DB, ratings []models.Rating) ([]models.Claim, error) {
	var claims []models.Claim
	if err := tx.Where("status = ? AND rating IN ?", models.StatusPublished, ratings).Order("id").Find(&claims).Error; err != nil {
		return nil, fmt.Errorf("list verdicts: %w", err)
	}
	return claims, nil
}

// correctAll prints the plan's note as a correction on every published
// verdict whose rating changed.
func (db *DB) correctAll(tx *gorm.DB, plan models.ScalePlan, actor *models.User) (int, error) {
	claims, err := publishedWith(tx, plan.Changed)
	if err != nil {
		return 0, err
	}
	for _, c := range claims {
		corr := models.Correction{ClaimID: c.ID, Note: plan.Note, UserID: userID(actor), CreatedAt: db.Now()}
		if err := tx.Create(&corr).Error; err != nil {
			return 0, fmt.Errorf("record correction: %w", err)
		}
	}
	return len(claims), nil
}

// proposeEach keeps every changed verdict on the retired copy of its old
// wording and proposes, as its pending correction, the rating's new one.
func (db *DB) proposeEach(ctx context.Context, tx *gorm.DB, plan models.ScalePlan, actor *models.User) (int, error) {
	claims, err := publishedWith(tx, plan.Changed)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range claims {
		old := &claims[i]
		target := old.Rating
		moved := *old
		moved.Rating = plan.Archive[target]
		if err := db.saveClaim(tx, old, &moved, "update", actor, "rating scale changed: the verdict keeps its wording until its correction is approved"); err != nil {
			return 0, err
		}
		pending, err := pendingOf(tx, moved.ID)
		if err != nil {
			return 0, err
		}
		if pending != nil && pending.Rating != nil {
			continue // its own correction already gives it another rating
		}
		note := plan.Note
		if pending != nil && pending.Note != "" {
			note = pending.Note + " " + plan.Note
		}
		p, err := models.Propose(&moved, pending, nil, nil, &target, nil, note, db.Now())
		if err != nil {
			return 0, err
		}
		if _, err := db.proposeCorrection(ctx, tx, &moved, pending, p, actor, "correction proposed: "+plan.Note); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
