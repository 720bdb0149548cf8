package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// Notify is the one entry point of notifications: any write that raises an
// event calls notify with its own transaction, so the notification, its
// email and its webhook deliveries exist exactly when the write does.
// Notify is for writes of their own (a command, a test).
func (db *DB) Notify(ctx context.Context, n models.Notification) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.notify(tx, n) })
}

// notify records n for its user inside tx, on the channels the user chose:
// a row in the desk's list, an email and a webhook delivery to every
// active endpoint, both in the outbox that the delivery worker sends. An
// actor is never told of their own doing; a disabled user is not told.
func (db *DB) notify(tx *gorm.DB, n models.Notification) error {
	if !n.Event.Valid() {
		return fmt.Errorf("notify: unknown event %q", n.Event)
	}
	if n.ActorID != nil && *n.ActorID == n.UserID {
		return nil
	}
	user, err := get[models.User](tx, "user", n.UserID)
	if err != nil {
		if models.ErrorCode(err) == models.ENOTFOUND {
			return nil
		}
		return err
	}
	if user.Disabled {
		return nil
	}
	prefs, err := preferencesOf(tx, n.UserID)
	if err != nil {
		return err
	}
	n.ID, n.ReadAt, n.CreatedAt = 0, nil, db.Now()
	// The row exists whatever the channels: deliveries refer to it; a user
	// who turned the desk off never sees it listed or counted.
	n.Desk = prefs.Wants(n.Event, models.ChannelDesk)
	if err := tx.Create(&n).Error; err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	payload, err := json.Marshal(db.notificationPayload(tx, &n, user))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	var out []Delivery
	if prefs.Wants(n.Event, models.ChannelEmail) {
		out = append(out, Delivery{Channel: models.ChannelEmail, Recipient: user.Email})
	}
	if prefs.Wants(n.Event, models.ChannelWebhook) {
		var hooks []Webhook
		if err := tx.Where("active = ?", true).Order("id").Find(&hooks).Error; err != nil {
			return fmt.Errorf("notify: webhooks: %w", err)
		}
		for _, h := range hooks {
			out = append(out, Delivery{Channel: models.ChannelWebhook, WebhookID: &h.ID, Recipient: h.URL})
		}
	}
	for i := range out {
		d := &out[i]
		d.NotificationID, d.Payload, d.Status = n.ID, string(payload), DeliveryPending
		d.NextAt, d.CreatedAt, d.UpdatedAt = n.CreatedAt, n.CreatedAt, n.CreatedAt
		if err := tx.Create(d).Error; err != nil {
			return fmt.Errorf("notify: outbox: %w", err)
		}
	}
	if len(out) > 0 {
		db.outboxWritten()
	}
	return nil
}

// NotificationPayload is the JSON body of a webhook and the content of an
// email: the event, the user it is for, the claim it is about.
type NotificationPayload struct {
	ID        int64        `json:"id"`
	Event     models.Event `json:"event"`
	User      PayloadUser  `json:"user"`
	ClaimID   *int64       `json:"claim_id"`
	ClaimText string       `json:"claim_text"`
	Actor     string       `json:"actor"`
	Summary   string       `json:"summary"`
	CreatedAt time.Time    `json:"created_at"`
}

// PayloadUser names the user a notification is for.
type PayloadUser struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (db *DB) notificationPayload(tx *gorm.DB, n *models.Notification, u *models.User) NotificationPayload {
	p := NotificationPayload{ID: n.ID, Event: n.Event, User: PayloadUser{u.ID, u.Name, u.Email},
		ClaimID: n.ClaimID, Summary: n.Summary, CreatedAt: n.CreatedAt}
	if n.ClaimID != nil {
		var text string
		if tx.Model(&models.Claim{}).Where("id = ?", *n.ClaimID).Select("text").Scan(&text).Error == nil {
			p.ClaimText = text
		}
	}
	if n.ActorID != nil {
		var name string
		if tx.Model(&models.User{}).Where("id = ?", *n.ActorID).Select("name").Scan(&name).Error == nil {
			p.Actor = name
		}
	}
	return p
}

func preferencesOf(tx *gorm.DB, userID int64) (models.Preferences, error) {
	var rows []models.Preference
	if err := tx.Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("preferences: %w", err)
	}
	p := models.Preferences{}
	for _, r := range rows {
		if p[r.Event] == nil {
			p[r.Event] = map[models.Channel]bool{}
		}
		p[r.Event][r.Channel] = r.Enabled
	}
	return p, nil
}

// Preferences returns a user's choice of channels per event, defaults filled in.
func (db *DB) Preferences(ctx context.Context, userID int64) (models.Preferences, error) {
	p, err := preferencesOf(db.gorm.WithContext(ctx), userID)
	if err != nil {
		return nil, err
	}
	full := models.Preferences{}
	for _, e := range models.Events {
		full[e] = map[models.Channel]bool{}
		for _, c := range models.Channels {
			full[e][c] = p.Wants(e, c)
		}
	}
	return full, nil
}

// SetPreferences replaces the choices of a user named in p (events and
// channels not named keep theirs).
func (db *DB) SetPreferences(ctx context.Context, userID int64, p models.Preferences) error {
	f := models.FieldErrors{}
	for e, chans := range p {
		if !e.Valid() {
			f.Add(string(e), "is not a known event")
		}
		for c := range chans {
			if !c.Valid() {
				f.Add(string(e)+"."+string(c), "is not a known channel (desk, email, webhook)")
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		for e, chans := range p {
			for c, on := range chans {
				if err := tx.Where("user_id = ? AND event = ? AND channel = ?", userID, e, c).Delete(&models.Preference{}).Error; err != nil {
					return fmt.Errorf("preferences: %w", err)
				}
				if err := tx.Create(&models.Preference{UserID: userID, Event: e, Channel: c, Enabled: on}).Error; err != nil {
					return fmt.Errorf("preferences: %w", err)
				}
			}
		}
		return nil
	})
}

// NotificationFilter selects a user's notifications.
type NotificationFilter struct {
	UserID int64
	Unread bool
	Before int64 // the ID of the last one of the previous page
	Limit  int
}

// ListNotifications returns a user's notifications, newest first; those the
// user turned off in the desk are not listed.
func (db *DB) ListNotifications(ctx context.Context, f NotificationFilter) ([]models.Notification, error) {
	q := db.gorm.WithContext(ctx).Where("user_id = ? AND desk = ?", f.UserID, true)
	if f.Unread {
		q = q.Where("read_at IS NULL")
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var out []models.Notification
	if err := q.Order("id DESC").Limit(limitOf(f.Limit)).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// UnreadNotifications counts a user's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&models.Notification{}).Where("user_id = ? AND desk = ? AND read_at IS NULL", userID, true).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsRead marks the given notifications of a user read, or
// all of them when ids is empty. Another user's IDs are not_found.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
		if len(ids) > 0 {
			var n int64
			if err := tx.Model(&models.Notification{}).Where("user_id = ? AND id IN ?", userID, ids).Count(&n).Error; err != nil {
				return fmt.Errorf("mark read: %w", err)
			}
			if n != int64(len(ids)) {
				return models.Errorf(models.ENOTFOUND, "no such notification")
			}
			q = q.Where("id IN ?", ids)
		}
		if err := q.Update("read_at", db.Now()).Error; err != nil {
			return fmt.Errorf("mark read: %w", err)
		}
		return nil
	})
}

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
