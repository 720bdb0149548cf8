package store

import (
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

// claimEvents raises the notifications of one write of a claim, old as it
// was and c as written, inside the write's transaction: every path that
// saves a claim (API, desk, commands) goes through saveClaim and so here.
func (db *DB) claimEvents(tx *gorm.DB, old, c *models.Claim, action string, actor *models.User) error {
	actorID := userID(actor)
	var events []models.Notification
	if c.AssigneeID != nil && (old.AssigneeID == nil || *old.AssigneeID != *c.AssigneeID) {
		events = append(events, models.Notification{UserID: *c.AssigneeID, Event: models.EventAssigned,
			Summary: "assigned to you" + byName(actor)})
	}
	if action == string(models.ActionSendBack) && old.SubmitterID != nil {
		events = append(events, models.Notification{UserID: *old.SubmitterID, Event: models.EventSentBack,
			Summary: "sent back" + byName(actor)})
	}
	if c.Status == models.StatusInReview && old.Status != models.StatusInReview {
		var users []models.User
		if err := tx.Where("disabled = ?", false).Order("id").Find(&users).Error; err != nil {
			return fmt.Errorf("reviewers: %w", err)
		}
		for _, id := range models.ReviewersOf(c, users) {
			events = append(events, models.Notification{UserID: id, Event: models.EventReviewWanted,
				Summary: "waits for your review" + byName(actor)})
		}
	}
	for _, n := range events {
		n.ClaimID, n.ActorID = &c.ID, actorID
		if err := db.notify(tx, n); err != nil {
			return err
		}
	}
	return nil
}

func byName(u *models.User) string {
	if u == nil {
		return ""
	}
	return " by " + u.Name
}
