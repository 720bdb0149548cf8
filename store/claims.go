package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// CreateClaim stores a claim proposed by hand: from a span of its document
// (DocumentID, Start, End; the quote is taken from the body) or free-standing.
func (db *DB) CreateClaim(ctx context.Context, c *models.Claim, actor *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var doc *models.Document
		if c.DocumentID != nil {
			d, err := getDocument(tx, *c.DocumentID)
			if err != nil {
				if models.ErrorCode(err) == models.ENOTFOUND {
					return &models.Error{Code: models.EINVALID, Message: "the claim's document does not exist",
						Fields: map[string]string{"document_id": "no such document"}}
				}
				return err
			}
			doc = d
		}
		var body []rune
		if doc != nil {
			body = []rune(doc.Body)
		}
		return db.createClaim(tx, body, c, actor, "claim created")
	})
}

// createClaim anchors c in its document's body (given as code points, nil
// for a free-standing claim), fills the defaults, validates and inserts it
// with its revision.
func (db *DB) createClaim(tx *gorm.DB, body []rune, c *models.Claim, actor *models.User, summary string) error {
	if body != nil {
		a, err := models.NewAnchorRunes(body, c.Start, c.End)
		if err != nil {
			return err
		}
		c.Anchor = a
		if strings.TrimSpace(c.Text) == "" {
			c.Text = a.Exact
		}
	} else {
		c.Anchor = models.Anchor{}
	}
	if c.Status == "" {
		c.Status = models.StatusOpen
	}
	if c.Origin == "" {
		c.Origin = models.OriginManual
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	now := db.Now()
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = 0, 1, now, now
	if err := tx.Create(c).Error; err != nil {
		return fmt.Errorf("create claim: %w", err)
	}
	return db.record(tx, change{entity: models.EntityClaim, entityID: c.ID, claimID: &c.ID, action: "create", actor: actor, after: c, summary: summary})
}

// GetClaim returns one claim.
func (db *DB) GetClaim(ctx context.Context, id int64) (*models.Claim, error) {
	return getClaim(db.gorm.WithContext(ctx), id)
}

func getClaim(tx *gorm.DB, id int64) (*models.Claim, error) {
	return get[models.Claim](tx, models.EntityClaim, id)
}

// claimToEdit reads claim id for a write based on version, the one the
// editor saw: a stale version gets a conflict carrying the claim as it
// stands, and nothing is written.
func claimToEdit(tx *gorm.DB, id int64, version int) (*models.Claim, error) {
	return toEdit(tx, models.EntityClaim, id, version, func(c *models.Claim) int { return c.Version })
}

// saveClaim writes c over old, the claim as read in tx, with the revision
// of the change: see update.
func (db *DB) saveClaim(tx *gorm.DB, old, c *models.Claim, action string, actor *models.User, summary string) error {
	if err := db.update(tx, old, c, change{entity: models.EntityClaim, entityID: old.ID, claimID: &old.ID, action: action, actor: actor, summary: summary}); err != nil {
		return err
	}
	return db.claimEvents(tx, old, c, action, actor)
}

// UpdateClaim applies a partial edit based on version u.Version. A stale
// version gets a conflict carrying the claim as it stands; nothing is written.
// On a published claim the fields readers see are not changed: they are
// folded into the claim's pending correction, which needs u.Note.
func (db *DB) UpdateClaim(ctx context.Context, id int64, u models.ClaimUpdate, actor *models.User) (*models.Claim, error) {
	var out *models.Claim
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := claimToEdit(tx, id, u.Version)
		if err != nil {
			return err
		}
		c := *old
		if err := u.Apply(&c); err != nil {
			return err
		}
		if u.Rating != nil && *u.Rating != old.Rating && *u.Rating != models.RatingNone {
			if err := offerRating(tx, *u.Rating); err != nil {
				return err
			}
		}
		if u.AssigneeID != nil && *u.AssigneeID != nil {
			if err := mustBeActiveUser(tx, **u.AssigneeID, "assignee_id"); err != nil {
				return err
			}
		}
		var proposal, pending *models.PendingCorrection
		if old.Status == models.StatusPublished {
			if pending, err = pendingOf(tx, id); err != nil {
				return err
			}
			if proposal, err = models.Propose(old, pending, u.Text, u.Claimant, u.Rating, u.Explanation, u.Note, db.Now()); err != nil {
				return err
			}
		}
		summary := u.Summary
		if summary == "" {
			summary = "claim edited"
		}
		write := old.Status != models.StatusPublished
		if !write {
			_, changed, err := diff(old, &c)
			if err != nil {
				return err
			}
			write = len(changed) > 0
		}
		if write {
			if err := db.saveClaim(tx, old, &c, "update", actor, summary); err != nil {
				return err
			}
		}
		if old.Status == models.StatusPublished && !samePending(pending, proposal) {
			next, err := db.proposeCorrection(ctx, tx, &c, pending, proposal, actor, "correction proposed: "+summary)
			if err != nil {
				return err
			}
			c = *next
		}
		out = &c
		return nil
	})
	return out, err
}

// samePending reports whether two pending corrections propose the same.
func samePending(a, b *models.PendingCorrection) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	return fmt.Sprint(proposalFields(&x)) == fmt.Sprint(proposalFields(&y))
}

// TransitionClaim moves a claim through the workflow. version must be the
// claim's version: an approval publishes exactly what its reviewer read. A
// correction waits for a second editor; approving it publishes it with its
// public note, as a retraction publishes its own.
func (db *DB) TransitionClaim(ctx context.Context, id int64, version int, in models.TransitionInput, actor *models.User) (*models.Claim, error) {
	var out *models.Claim
	err := db.tx(ctx, func(tx *gorm.DB) (err error) {
		out, err = db.transitionClaim(ctx, tx, id, version, in, actor)
		return err
	})
	return out, err
}

// transitionClaim is TransitionClaim inside tx, for writes that move a
// claim as part of their own (a reader's report accepted as a correction).
func (db *DB) transitionClaim(ctx context.Context, tx *gorm.DB, id int64, version int, in models.TransitionInput, actor *models.User) (*models.Claim, error) {
	var out *models.Claim
	err := func() error {
		old, err := claimToEdit(tx, id, version)
		if err != nil {
			return err
		}
		if in.Rating != nil && *in.Rating != old.Rating {
			if err := offerRating(tx, *in.Rating); err != nil {
				return err
			}
		}
		rv, err := db.review(tx, old)
		if err != nil {
			return err
		}
		c := *old
		res, err := models.Transition(&c, actor, in, rv, db.Now())
		if err != nil {
			return err
		}
		if in.Action == models.ActionCorrect {
			next, err := db.proposeCorrection(ctx, tx, old, rv.Pending, res.Pending, actor, "correction proposed: "+strings.TrimSpace(in.Note))
			if err != nil {
				return err
			}
			out = next
			return nil
		}
		summary := strings.TrimSpace(in.Note)
		if res.Override {
			summary = strings.TrimSpace("admin override of the two-person rule: " + c.OverrideReason + ". " + summary)
		}
		if in.Action == models.ActionApprove && old.Status == models.StatusPublished {
			summary = strings.TrimSpace("correction approved: " + res.Correction + " " + summary)
		}
		// The changes of an approved correction are recorded before the
		// approval, so the approval is the newest revision of the round:
		// the approver wrote none of the next correction
		// (models.VerdictAuthors stops at it).
		if in.Action == models.ActionApprove && old.Status == models.StatusPublished {
			if err := db.applyEvidence(tx, id, rv.Pending.Evidence, actor); err != nil {
				return err
			}
			if err := db.applyAppearances(tx, id, rv.Pending.Appearances, actor); err != nil {
				return err
			}
		}
		if err := db.saveClaim(tx, old, &c, string(in.Action), actor, summary); err != nil {
			return err
		}
		if res.EndsPending {
			if err := setPending(tx, id, nil); err != nil {
				return err
			}
		}
		if res.Correction != "" {
			corr := models.Correction{ClaimID: id, Note: res.Correction, UserID: userID(actor), CreatedAt: db.Now()}
			if err := tx.Create(&corr).Error; err != nil {
				return fmt.Errorf("record correction: %w", err)
			}
		}
		out = &c
		return nil
	}()
	return out, err
}

// CountClaimsByStatus returns how many claims stand in each status.
func (db *DB) CountClaimsByStatus(ctx context.Context) (map[models.Status]int64, error) {
	var rows []struct {
		Status models.Status
		N      int64
	}
	if err := db.gorm.WithContext(ctx).Model(&models.Claim{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count claims: %w", err)
	}
	out := map[models.Status]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// ClaimDetail is a claim with what its verdict page and editor show.
type ClaimDetail struct {
	Claim       models.Claim
	Document    *models.Document // nil for a free-standing claim
	Evidence    []EvidenceDetail
	Corrections []models.Correction
	// Scale is the rating scale the claim's rating is read on.
	Scale models.Scale
	// Archives is the archiving state of each cited source that has a URL,
	// by source ID, with its newest copy.
	Archives map[int64]models.Archive
	// Bylines name who checked and who reviewed the verdict.
	Bylines Bylines
	// Appearances are the other places the claim was made, the earliest
	// first, and AppearanceDocuments the documents they stand in (without
	// their bodies).
	Appearances         []models.Appearance
	AppearanceDocuments map[int64]models.Document
	// Review is what waits for approval: the pending correction of a
	// published claim and who wrote it. GetClaimDetail leaves it empty
	// (readers never see it); ReviewOf reads it.
	Review models.Review
}

// EvidenceDetail is an evidence link with its source.
type EvidenceDetail struct {
	models.Evidence
	Source models.Source
}

// GetClaimDetail returns a claim with its document, evidence and corrections.
func (db *DB) GetClaimDetail(ctx context.Context, id int64) (*ClaimDetail, error) {
	g := db.gorm.WithContext(ctx)
	c, err := getClaim(g, id)
	if err != nil {
		return nil, err
	}
	out := &ClaimDetail{Claim: *c}
	if out.Scale, err = db.Scale(ctx); err != nil {
		return nil, err
	}
	if c.DocumentID != nil {
		if out.Document, err = getDocument(g, *c.DocumentID); err != nil {
			return nil, err
		}
	}
	if out.Evidence, err = listEvidence(g, id); err != nil {
		return nil, err
	}
	if err := g.Where("claim_id = ?", id).Order("id").Find(&out.Corrections).Error; err != nil {
		return nil, fmt.Errorf("list corrections: %w", err)
	}
	if out.Bylines, err = bylinesOf(g, c); err != nil {
		return nil, err
	}
	if out.Archives, err = archivesOf(g, out.Evidence); err != nil {
		return nil, err
	}
	if out.Appearances, err = db.ListAppearances(ctx, id); err != nil {
		return nil, err
	}
	if out.AppearanceDocuments, err = db.DocumentsOfAppearances(ctx, out.Appearances); err != nil {
		return nil, err
	}
	return out, nil
}

func mustBeActiveUser(tx *gorm.DB, id int64, field string) error {
	var n int64
	if err := tx.Model(&models.User{}).Where("id = ? AND disabled = ?", id, false).Count(&n).Error; err != nil {
		return fmt.Errorf("check user: %w", err)
	}
	if n == 0 {
		return &models.Error{Code: models.EINVALID, Message: "no such active user", Fields: map[string]string{field: "no active user has this ID"}}
	}
	return nil
}

// LastCorrections returns, for each of the claims that has one, when its
// last correction was published: the date its verdict last changed.
func (db *DB) LastCorrections(ctx context.Context, claimIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(claimIDs) == 0 {
		return out, nil
	}
	var corrections []models.Correction
	if err := db.gorm.WithContext(ctx).Select("claim_id, created_at").Where("claim_id IN ?", claimIDs).Find(&corrections).Error; err != nil {
		return nil, fmt.Errorf("list corrections: %w", err)
	}
	for _, c := range corrections {
		if c.CreatedAt.After(out[c.ClaimID]) {
			out[c.ClaimID] = c.CreatedAt
		}
	}
	return out, nil
}
