package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// EntityReport names readers' reports in the history.
const EntityReport = "report"

// ReportDetail is a report with the claim it is about, for the queue.
type ReportDetail struct {
	models.Report
	ClaimText   string `json:"claim_text"`
	ClaimStatus string `json:"claim_status"`
}

// CreateReport stores a reader's report in the moderation queue. An error
// report must name a published verdict; its assignee (or, with none, the
// editor who submitted the verdict) is told, in the same transaction.
func (db *DB) CreateReport(ctx context.Context, r *models.Report) error {
	r.Normalize()
	if r.Kind == models.ReportSuggestion {
		r.ClaimID = nil
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		var claim *models.Claim
		if r.ClaimID != nil {
			c, err := getClaim(tx, *r.ClaimID)
			if err != nil {
				return err
			}
			if c.Status != models.StatusPublished {
				return models.Errorf(models.ENOTFOUND, "claim %d has no published verdict", c.ID)
			}
			claim = c
		}
		now := db.Now()
		r.ID, r.Status, r.CreatedAt = 0, models.ReportNew, now
		r.ResultClaimID, r.ModeratorID, r.ModeratedAt, r.Note = nil, nil, nil, ""
		r.Reply, r.ReplyAttempts, r.ReplyNextAt, r.ReplyError = models.ReplyNone, 0, nil, ""
		if r.Email != "" {
			r.Reply = models.ReplyWanted
		}
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("create report: %w", err)
		}
		if claim == nil {
			return nil
		}
		to := claim.AssigneeID
		if to == nil {
			to = claim.SubmitterID
		}
		if to == nil {
			return nil
		}
		return db.notify(tx, models.Notification{UserID: *to, Event: models.EventReaderReport, ClaimID: &claim.ID,
			Summary: "a reader reported an error: " + excerptRunes(r.Body, 140)})
	})
}

func excerptRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// ReportFilter selects reports for the queue.
type ReportFilter struct {
	Status  models.ReportStatus // "" for every status
	Kind    models.ReportKind   // "" for both kinds
	ClaimID int64               // 0 for any claim
	Limit   int
}

// ListReports returns reports, the oldest waiting first for new ones and
// the newest first otherwise.
func (db *DB) ListReports(ctx context.Context, f ReportFilter) ([]ReportDetail, error) {
	q := db.gorm.WithContext(ctx).Table("reports").
		Select("reports.*, COALESCE(claims.text, '') AS claim_text, COALESCE(claims.status, '') AS claim_status").
		Joins("LEFT JOIN claims ON claims.id = reports.claim_id")
	q = whereGiven(q, "reports.status", f.Status)
	q = whereGiven(q, "reports.kind", f.Kind)
	q = whereGiven(q, "reports.claim_id", f.ClaimID)
	order := "reports.id DESC"
	if f.Status == models.ReportNew {
		order = "reports.id"
	}
	var out []ReportDetail
	if err := q.Order(order).Limit(limitOf(f.Limit)).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// CountReports counts reports by status.
func (db *DB) CountReports(ctx context.Context) (map[models.ReportStatus]int64, error) {
	var rows []struct {
		Status models.ReportStatus
		N      int64
	}
	if err := db.gorm.WithContext(ctx).Table("reports").Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count reports: %w", err)
	}
	out := map[models.ReportStatus]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// GetReport returns one report.
func (db *DB) GetReport(ctx context.Context, id int64) (*models.Report, error) {
	return get[models.Report](db.gorm.WithContext(ctx), EntityReport, id)
}

// ModerateReport records an editor's decision on a report, in one
// transaction with what it becomes: an accepted suggestion a claim
// proposal (a candidate of origin reader), an accepted error report a
// pending correction of its verdict (m.Correction: a public note and what
// changes), which waits for a second editor like any other. Spam erases
// the reader's address unused; otherwise the outcome is queued to be
// mailed to the reader, and the address erased once it is sent.
func (db *DB) ModerateReport(ctx context.Context, id int64, m models.Moderation, actor *models.User) (*models.Report, error) {
	var out *models.Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := get[models.Report](tx, EntityReport, id)
		if err != nil {
			return err
		}
		m.Note = strings.TrimSpace(m.Note)
		if err := models.CheckModeration(old, &m); err != nil {
			return err
		}
		r := *old
		now := db.Now()
		r.Status, r.Note, r.ModeratorID, r.ModeratedAt = m.Status, m.Note, userID(actor), &now
		if m.Status == models.ReportAccepted {
			switch r.Kind {
			case models.ReportSuggestion:
				text := strings.TrimSpace(m.ClaimText)
				if text == "" {
					text = r.Body
				}
				c := &models.Claim{Text: text, Claimant: strings.TrimSpace(m.Claimant), Kind: models.KindOther,
					Status: models.StatusCandidate, Origin: models.OriginReader}
				if err := db.createClaim(tx, nil, c, actor, "proposed from reader suggestion "+fmt.Sprint(r.ID)); err != nil {
					return err
				}
				r.ResultClaimID = &c.ID
			case models.ReportError:
				if r.ClaimID == nil {
					return models.Conflict(old, "the claim of this report was deleted")
				}
				if m.Correction == nil {
					return &models.Error{Code: models.EINVALID, Message: "accepting an error report proposes a correction",
						Fields: map[string]string{"note": "a correction needs a public note"}}
				}
				c, err := getClaim(tx, *r.ClaimID)
				if err != nil {
					return err
				}
				in := *m.Correction
				in.Action = models.ActionCorrect
				if _, err := db.transitionClaim(ctx, tx, c.ID, c.Version, in, actor); err != nil {
					return err
				}
				r.ResultClaimID = &c.ID
			}
		}
		if r.Email != "" {
			if m.Status == models.ReportSpam {
				r.Email, r.Reply = "", models.ReplyDropped
			} else {
				r.Reply, r.ReplyNextAt = models.ReplyPending, &now
			}
		}
		res := tx.Model(&models.Report{}).Where("id = ? AND status = ?", id, models.ReportNew).Updates(map[string]any{
			"status": r.Status, "note": r.Note, "moderator_id": r.ModeratorID, "moderated_at": r.ModeratedAt,
			"result_claim_id": r.ResultClaimID, "email": r.Email, "reply": r.Reply, "reply_next_at": r.ReplyNextAt})
		if res.Error != nil {
			return fmt.Errorf("moderate report: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return models.Conflict(old, "this report was already moderated")
		}
		if err := db.record(tx, change{entity: EntityReport, entityID: id, claimID: r.ClaimID, action: "moderate", actor: actor,
			before: map[string]any{"status": old.Status}, after: map[string]any{"status": r.Status, "note": r.Note},
			summary: "reader " + string(r.Kind) + " report: " + string(r.Status)}); err != nil {
			return err
		}
		out = &r
		return nil
	})
	if err == nil && out.Reply == models.ReplyPending {
		db.outboxWritten()
	}
	return out, err
}

// ClaimReply takes the oldest report whose outcome waits to be mailed to
// its reader and moves its next attempt a lease ahead (as ClaimDelivery).
// It returns nil when none is due.
func (db *DB) ClaimReply(ctx context.Context, lease time.Duration) (*models.Report, error) {
	var out *models.Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r models.Report
		now := db.Now()
		err := tx.Where("reply = ? AND reply_next_at <= ?", models.ReplyPending, now).Order("reply_next_at, id").Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim reply: %w", err)
		}
		res := tx.Model(&models.Report{}).Where("id = ? AND reply_next_at = ?", r.ID, r.ReplyNextAt).Update("reply_next_at", now.Add(lease))
		if res.Error != nil {
			return fmt.Errorf("claim reply: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			out = &r
		}
		return nil
	})
	return out, err
}

// FinishReply records an attempt to mail a report's outcome: once sent, or
// given up after MaxAttempts (at once when giveUp: no retry can mend it),
// the reader's address is erased.
func (db *DB) FinishReply(ctx context.Context, id int64, failure error, giveUp ...bool) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		r, err := get[models.Report](tx, EntityReport, id)
		if err != nil {
			return err
		}
		now := db.Now()
		up := map[string]any{"reply_attempts": r.ReplyAttempts + 1}
		switch {
		case failure == nil:
			up["reply"], up["email"], up["reply_error"], up["reply_next_at"] = models.ReplySent, "", "", nil
		case r.ReplyAttempts+1 >= MaxAttempts || (len(giveUp) > 0 && giveUp[0]):
			up["reply"], up["email"], up["reply_next_at"] = models.ReplyFailed, "", nil
			up["reply_error"] = shortError(failure)
		default:
			up["reply_next_at"], up["reply_error"] = now.Add(Backoff(r.ReplyAttempts+1)), shortError(failure)
		}
		if err := tx.Model(&models.Report{}).Where("id = ?", id).Updates(up).Error; err != nil {
			return fmt.Errorf("finish reply: %w", err)
		}
		return nil
	})
}

// ExpireReplyAddresses erases the addresses readers left on reports still
// waiting for moderation since before: nobody will answer them, so they
// are not kept. It returns how many were erased.
func (db *DB) ExpireReplyAddresses(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.Report{}).Where("reply = ? AND created_at < ?", models.ReplyWanted, before).
			Updates(map[string]any{"email": "", "reply": models.ReplyExpired})
		if res.Error != nil {
			return fmt.Errorf("expire reply addresses: %w", res.Error)
		}
		n = res.RowsAffected
		return nil
	})
	return n, err
}
