package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/extract"
	"factdesk/models"
)

// AppearanceLink is an editor's "this was said again here": a span of a
// document, by code points (Start, End) or by its quote (Quote, with prefix
// and suffix to tell repeats apart), based on the claim's Version.
type AppearanceLink struct {
	Version    int
	DocumentID int64
	Start, End int
	Quote      *models.Anchor
	// FromClaimID is the triage proposal that says the same: it is
	// dismissed as a duplicate in the same transaction.
	FromClaimID int64
	// Note is the public note of the correction a link of a published
	// claim proposes.
	Note string
}

// AppearanceResult is what a link or unlink did: the claim as it now
// stands, the appearance (nil when it waits for approval or was removed)
// and whether the change waits in the claim's pending correction.
type AppearanceResult struct {
	Claim      *models.Claim
	Appearance *models.Appearance
	Pending    bool
}

// LinkAppearance records that claim id was made again in another document.
// On a published claim readers would see it, so it waits in the pending
// correction for a second editor, like a change of its sources.
func (db *DB) LinkAppearance(ctx context.Context, id int64, in AppearanceLink, actor *models.User) (*AppearanceResult, error) {
	var out *AppearanceResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := claimToEdit(tx, id, in.Version)
		if err != nil {
			return err
		}
		if c.Status == models.StatusCandidate || c.Status == models.StatusDismissed {
			return models.Conflict(c, "a claim not taken up cannot collect appearances: link the repeat to the claim being checked")
		}
		d, err := getDocument(tx, in.DocumentID)
		if err != nil {
			if models.ErrorCode(err) == models.ENOTFOUND {
				return &models.Error{Code: models.EINVALID, Message: "no such document", Fields: map[string]string{"document_id": "no document has this ID"}}
			}
			return err
		}
		a, err := appearanceAnchor(d, in)
		if err != nil {
			return err
		}
		if err := notLinkedYet(tx, c, d.ID, a); err != nil {
			return err
		}
		now := db.Now()
		app := models.Appearance{ClaimID: id, DocumentID: d.ID, Anchor: a, SaidAt: now, LinkedBy: userID(actor), CreatedAt: now}
		if d.PublishedOn != nil && !d.PublishedOn.IsZero() {
			app.SaidAt = d.PublishedOn.UTC()
		}
		if in.FromClaimID != 0 {
			if err := db.dismissDuplicate(tx, in.FromClaimID, c, d.ID, actor); err != nil {
				return err
			}
			app.FromClaimID = &in.FromClaimID
		}
		out = &AppearanceResult{}
		if c.Status == models.StatusPublished {
			ch := models.AppearanceChange{Op: models.AppearanceLink, DocumentID: d.ID, Anchor: &app.Anchor, SaidAt: app.SaidAt,
				FromClaimID: app.FromClaimID, LinkedBy: app.LinkedBy}
			out.Claim, err = db.proposeAppearance(ctx, tx, c, ch, in.Note, actor)
			out.Pending = true
			return err
		}
		if err := db.insertAppearance(tx, &app, actor, "appearance linked: "+d.Title); err != nil {
			return err
		}
		if err := db.bumpClaim(ctx, tx, c); err != nil {
			return err
		}
		c.Version++
		out.Claim, out.Appearance = c, &app
		return nil
	})
	return out, err
}

// UnlinkAppearance removes an appearance of claim id (based on version): at
// once, or through the pending correction of a published claim.
func (db *DB) UnlinkAppearance(ctx context.Context, id, appearanceID int64, version int, note string, actor *models.User) (*AppearanceResult, error) {
	var out *AppearanceResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := claimToEdit(tx, id, version)
		if err != nil {
			return err
		}
		var app models.Appearance
		if err := tx.Where("id = ? AND claim_id = ?", appearanceID, id).Take(&app).Error; err != nil {
			return notFound(err, "appearance %d of claim %d not found", appearanceID, id)
		}
		out = &AppearanceResult{}
		if c.Status == models.StatusPublished {
			out.Claim, err = db.proposeAppearance(ctx, tx, c, models.AppearanceChange{Op: models.AppearanceUnlink, AppearanceID: appearanceID}, note, actor)
			out.Pending = true
			return err
		}
		if err := db.deleteAppearance(tx, &app, actor, "appearance unlinked"); err != nil {
			return err
		}
		if err := db.bumpClaim(ctx, tx, c); err != nil {
			return err
		}
		c.Version++
		out.Claim = c
		return nil
	})
	return out, err
}

func (db *DB) proposeAppearance(ctx context.Context, tx *gorm.DB, c *models.Claim, ch models.AppearanceChange, note string, actor *models.User) (*models.Claim, error) {
	pending, err := pendingOf(tx, c.ID)
	if err != nil {
		return nil, err
	}
	next, err := models.ProposeAppearance(pending, ch, note, db.Now())
	if err != nil {
		return nil, err
	}
	return db.proposeCorrection(ctx, tx, c, pending, next, actor, "correction proposed: appearance "+ch.Op)
}

// applyAppearances carries out the appearance changes of an approved
// correction. An appearance unlinked meanwhile is skipped.
func (db *DB) applyAppearances(tx *gorm.DB, claimID int64, changes []models.AppearanceChange, actor *models.User) error {
	for _, ch := range changes {
		switch ch.Op {
		case models.AppearanceLink:
			if ch.Anchor == nil {
				continue
			}
			app := models.Appearance{ClaimID: claimID, DocumentID: ch.DocumentID, Anchor: *ch.Anchor, SaidAt: ch.SaidAt,
				FromClaimID: ch.FromClaimID, LinkedBy: ch.LinkedBy, CreatedAt: db.Now()}
			if err := getDocumentExists(tx, ch.DocumentID); err != nil {
				continue // the document was deleted while the correction waited
			}
			if err := db.insertAppearance(tx, &app, actor, "appearance linked with the correction"); err != nil {
				return err
			}
		case models.AppearanceUnlink:
			app, found, err := ofClaim[models.Appearance](tx, ch.AppearanceID, claimID, "appearance")
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if err := db.deleteAppearance(tx, app, actor, "appearance unlinked with the correction"); err != nil {
				return err
			}
		}
	}
	return nil
}

func getDocumentExists(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&models.Document{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("read document: %w", err)
	}
	if n == 0 {
		return models.Errorf(models.ENOTFOUND, "document %d not found", id)
	}
	return nil
}

func (db *DB) insertAppearance(tx *gorm.DB, app *models.Appearance, actor *models.User, summary string) error {
	if err := tx.Create(app).Error; err != nil {
		return fmt.Errorf("link appearance: %w", err)
	}
	return db.record(tx, change{entity: models.EntityAppearance, entityID: app.ID, claimID: &app.ClaimID, action: "create", actor: actor, after: app, summary: summary})
}

func (db *DB) deleteAppearance(tx *gorm.DB, app *models.Appearance, actor *models.User, summary string) error {
	if err := tx.Delete(&models.Appearance{}, app.ID).Error; err != nil {
		return fmt.Errorf("unlink appearance: %w", err)
	}
	return db.record(tx, change{entity: models.EntityAppearance, entityID: app.ID, claimID: &app.ClaimID, action: "delete", actor: actor, before: app, summary: summary})
}

// appearanceAnchor finds the linked words in the document: by position, or
// by quote (exact, then the best fit of prefix and suffix).
func appearanceAnchor(d *models.Document, in AppearanceLink) (models.Anchor, error) {
	if in.Quote != nil {
		if strings.TrimSpace(in.Quote.Exact) == "" {
			return models.Anchor{}, &models.Error{Code: models.EINVALID, Message: "the quote is empty", Fields: map[string]string{"quote.exact": "give the words as they stand in the document"}}
		}
		a, ok := extract.Reanchor(*in.Quote, d.Body)
		if !ok {
			return models.Anchor{}, &models.Error{Code: models.EINVALID, Message: "the quote is not in the document", Fields: map[string]string{"quote.exact": "these words are not in the document"}}
		}
		return a, nil
	}
	return models.NewAnchor(d.Body, in.Start, in.End)
}

// notLinkedYet refuses a span that is already the claim's: its own anchor
// or one of its appearances overlapping it.
func notLinkedYet(tx *gorm.DB, c *models.Claim, docID int64, a models.Anchor) error {
	if c.DocumentID != nil && *c.DocumentID == docID && !c.Orphaned && c.Start < a.End && a.Start < c.End {
		return &models.Error{Code: models.EINVALID, Message: "these words are the claim's own quote", Fields: map[string]string{"start": "overlaps the claim's own anchor"}}
	}
	var n int64
	if err := tx.Model(&models.Appearance{}).Where(`claim_id = ? AND document_id = ? AND start < ? AND "end" > ?`, c.ID, docID, a.End, a.Start).Count(&n).Error; err != nil {
		return fmt.Errorf("read appearances: %w", err)
	}
	if n > 0 {
		return &models.Error{Code: models.EINVALID, Message: "these words are already linked as an appearance of the claim", Fields: map[string]string{"start": "overlaps an appearance of the claim"}}
	}
	return nil
}

// dismissDuplicate dismisses triage proposal pid as a duplicate of c, from
// whose appearance it is replaced: the proposal keeps its history and can be
// reopened, and its reason names the claim.
func (db *DB) dismissDuplicate(tx *gorm.DB, pid int64, c *models.Claim, docID int64, actor *models.User) error {
	p, err := getClaim(tx, pid)
	if err != nil {
		if models.ErrorCode(err) == models.ENOTFOUND {
			return &models.Error{Code: models.EINVALID, Message: "no such proposal", Fields: map[string]string{"from_claim_id": "no claim has this ID"}}
		}
		return err
	}
	if p.ID == c.ID || p.DocumentID == nil || *p.DocumentID != docID {
		return &models.Error{Code: models.EINVALID, Message: "the proposal is not in the linked document", Fields: map[string]string{"from_claim_id": "must be a proposal of the same document"}}
	}
	next := *p
	reason := fmt.Sprintf("duplicate of claim #%d: linked as an appearance", c.ID)
	if _, err := models.Transition(&next, actor, models.TransitionInput{Action: models.ActionDismiss, Note: reason}, models.Review{}, db.Now()); err != nil {
		return err
	}
	return db.saveClaim(tx, p, &next, string(models.ActionDismiss), actor, reason)
}

// ListAppearances returns the appearances of a claim, the earliest said first.
func (db *DB) ListAppearances(ctx context.Context, claimID int64) ([]models.Appearance, error) {
	var out []models.Appearance
	if err := db.gorm.WithContext(ctx).Where("claim_id = ?", claimID).Order("said_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list appearances: %w", err)
	}
	return out, nil
}

// DocumentsOfAppearances returns the documents the appearances stand in.
func (db *DB) DocumentsOfAppearances(ctx context.Context, apps []models.Appearance) (map[int64]models.Document, error) {
	ids := make([]int64, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.DocumentID)
	}
	return db.DocumentsByID(ctx, ids)
}

// Repeat is a claim said again: how many appearances it had in a period,
// and how many of them came after its verdict was published.
type Repeat struct {
	Claim      models.Claim
	Times      int
	AfterRated int
}

// Repeats returns the claims with the most appearances said in [from, to),
// most first; afterVerdict keeps only appearances said after the claim's
// verdict was published (a false claim said again is news).
func (db *DB) Repeats(ctx context.Context, from, to time.Time, afterVerdict bool, limit int) ([]Repeat, error) {
	var rows []struct {
		ClaimID int64
		N       int
	}
	q := db.gorm.WithContext(ctx).Table("appearances AS a").Joins("JOIN claims c ON c.id = a.claim_id").
		Select("a.claim_id AS claim_id, COUNT(*) AS n").
		Where("a.said_at >= ? AND a.said_at < ?", from.UTC(), to.UTC())
	if afterVerdict {
		q = q.Where("c.status = ? AND c.published_at IS NOT NULL AND a.said_at > c.published_at", models.StatusPublished)
	}
	if err := q.Group("a.claim_id").Order("n DESC, a.claim_id").Limit(limitOf(limit)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	out := make([]Repeat, 0, len(rows))
	for _, r := range rows {
		c, err := getClaim(db.gorm.WithContext(ctx), r.ClaimID)
		if err != nil {
			return nil, err
		}
		rp := Repeat{Claim: *c, Times: r.N}
		if afterVerdict {
			rp.AfterRated = r.N
		}
		out = append(out, rp)
	}
	return out, nil
}

// RepeatDocuments returns the documents holding an appearance of a claim
// readers may see (public through it, models.DocumentPublicWith), with the
// time of their newest such appearance, by document ID, at most limit.
func (db *DB) RepeatDocuments(ctx context.Context, limit int) (map[int64]time.Time, error) {
	var rows []struct {
		DocumentID int64
		At         flexTime
	}
	rs, err := db.gorm.WithContext(ctx).Table("appearances AS a").Joins("JOIN claims c ON c.id = a.claim_id").
		Select("a.document_id, MAX(a.created_at)").Where("c.status IN ?", models.PublicStatuses()).
		Group("a.document_id").Order("a.document_id").Limit(limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("repeat documents: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var r struct {
			DocumentID int64
			At         flexTime
		}
		if err := rs.Scan(&r.DocumentID, &r.At); err != nil {
			return nil, fmt.Errorf("repeat documents: %w", err)
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("repeat documents: %w", err)
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.DocumentID] = r.At.t
	}
	return out, nil
}

// AppearancesOf returns the appearances of each of the claims, the
// earliest said first, by claim ID: one query for a page of verdicts.
func (db *DB) AppearancesOf(ctx context.Context, claimIDs []int64) (map[int64][]models.Appearance, error) {
	out := map[int64][]models.Appearance{}
	if len(claimIDs) == 0 {
		return out, nil
	}
	var apps []models.Appearance
	if err := db.gorm.WithContext(ctx).Where("claim_id IN ?", claimIDs).Order("said_at, id").Find(&apps).Error; err != nil {
		return nil, fmt.Errorf("appearances: %w", err)
	}
	for _, a := range apps {
		out[a.ClaimID] = append(out[a.ClaimID], a)
	}
	return out, nil
}
