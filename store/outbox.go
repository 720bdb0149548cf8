package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// Delivery statuses.
const (
	DeliveryPending = "pending" // waiting for its next attempt
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // gave up after MaxAttempts
)

// MaxAttempts is how often a delivery is tried before it is given up.
const MaxAttempts = 6

// Backoff is the wait after the n-th failed attempt (1-based): 10 s, then
// doubling, at most an hour.
func Backoff(n int) time.Duration {
	d := 10 * time.Second << (n - 1)
	if n < 1 || d > time.Hour || d <= 0 {
		return time.Hour
	}
	return d
}

// shortError is err's message cut to what a delivery or a reply keeps of
// its last failure.
func shortError(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

// Delivery is one email or webhook POST of a notification, in the outbox:
// the durable queue a worker sends with retries, so a notification raised
// in a write is delivered even if the server stops before it was sent.
type Delivery struct {
	ID             int64          `json:"id"`
	NotificationID int64          `json:"notification_id"`
	Channel        models.Channel `json:"channel"`
	WebhookID      *int64         `json:"webhook_id"`
	Recipient      string         `json:"recipient"`
	Payload        string         `json:"payload"`
	Status         string         `json:"status"`
	Attempts       int            `json:"attempts"`
	NextAt         time.Time      `json:"next_at"`
	LastStatus     int            `json:"last_status"`
	LastError      string         `json:"last_error"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// Webhook is an endpoint an admin set up; Secret signs every POST.
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"-"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// outboxWritten wakes the delivery worker (of this replica) after a commit.
func (db *DB) outboxWritten() {
	select {
	case db.outboxWake <- struct{}{}:
	default:
	}
}

// OutboxWake is signalled when a write may have queued a delivery; other
// replicas' deliveries are found by polling.
func (db *DB) OutboxWake() <-chan struct{} { return db.outboxWake }

// ClaimDelivery takes the oldest due pending delivery and moves its next
// attempt a lease ahead, so another worker (or replica) does not send it at
// the same time; the caller reports the outcome with FinishDelivery.
// It returns nil when none is due.
func (db *DB) ClaimDelivery(ctx context.Context, lease time.Duration) (*Delivery, error) {
	var out *Delivery
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var d Delivery
		now := db.Now()
		err := tx.Where("status = ? AND next_at <= ?", DeliveryPending, now).Order("next_at, id").Take(&d).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim delivery: %w", err)
		}
		res := tx.Model(&Delivery{}).Where("id = ? AND next_at = ?", d.ID, d.NextAt).
			Updates(map[string]any{"next_at": now.Add(lease), "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("claim delivery: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			out = &d
		}
		return nil
	})
	return out, err
}

// FinishDelivery records an attempt: sent when failure is nil, else
// retried after Backoff, or failed after MaxAttempts. status is the HTTP
// status of a webhook's answer (0 for none).
func (db *DB) FinishDelivery(ctx context.Context, id int64, status int, failure error) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		d, err := get[Delivery](tx, "delivery", id)
		if err != nil {
			return err
		}
		now := db.Now()
		d.Attempts++
		d.LastStatus, d.UpdatedAt = status, now
		if failure == nil {
			d.Status, d.LastError = DeliverySent, ""
		} else {
			d.LastError = shortError(failure)
			if d.Attempts >= MaxAttempts {
				d.Status = DeliveryFailed
			} else {
				d.NextAt = now.Add(Backoff(d.Attempts))
			}
		}
		if err := tx.Save(d).Error; err != nil {
			return fmt.Errorf("finish delivery: %w", err)
		}
		return nil
	})
}

// GiveUpDelivery records an attempt that no retry can mend (email not
// configured, the webhook gone or paused): the delivery is failed at once.
func (db *DB) GiveUpDelivery(ctx context.Context, id int64, failure error) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		d, err := get[Delivery](tx, "delivery", id)
		if err != nil {
			return err
		}
		err = tx.Model(&Delivery{}).Where("id = ?", id).Updates(map[string]any{"status": DeliveryFailed, "attempts": d.Attempts + 1,
			"last_status": 0, "last_error": shortError(failure), "updated_at": db.Now()}).Error
		if err != nil {
			return fmt.Errorf("give up delivery: %w", err)
		}
		return nil
	})
}

// DeliveryFilter selects deliveries for the log.
type DeliveryFilter struct {
	WebhookID int64
	Channel   models.Channel
	Limit     int
}

// ListDeliveries returns deliveries, newest first: the admins' delivery log.
func (db *DB) ListDeliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error) {
	q := db.gorm.WithContext(ctx).Model(&Delivery{})
	q = whereGiven(q, "webhook_id", f.WebhookID)
	q = whereGiven(q, "channel", f.Channel)
	var out []Delivery
	if err := q.Order("id DESC").Limit(limitOf(f.Limit)).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}

// CreateWebhook adds an endpoint with its signing secret.
func (db *DB) CreateWebhook(ctx context.Context, url, secret string) (*Webhook, error) {
	if err := models.CheckWebhookURL(url); err != nil {
		return nil, err
	}
	if len(secret) < 16 {
		return nil, &models.Error{Code: models.EINVALID, Message: "the secret is too short",
			Fields: map[string]string{"secret": "must be at least 16 characters"}}
	}
	now := db.Now()
	h := &Webhook{URL: url, Secret: secret, Active: true, CreatedAt: now, UpdatedAt: now}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(h).Error; err != nil {
			return fmt.Errorf("create webhook: %w", err)
		}
		return nil
	})
	return h, err
}

// ListWebhooks returns every endpoint.
func (db *DB) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	var out []Webhook
	if err := db.gorm.WithContext(ctx).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

// GetWebhook returns one endpoint, its secret included.
func (db *DB) GetWebhook(ctx context.Context, id int64) (*Webhook, error) {
	return get[Webhook](db.gorm.WithContext(ctx), "webhook", id)
}

// SetWebhookActive pauses an endpoint (nothing more is queued for it, and
// what is queued fails as paused) or resumes it.
func (db *DB) SetWebhookActive(ctx context.Context, id int64, active bool) (*Webhook, error) {
	var out *Webhook
	err := db.tx(ctx, func(tx *gorm.DB) error {
		h, err := get[Webhook](tx, "webhook", id)
		if err != nil {
			return err
		}
		h.Active, h.UpdatedAt = active, db.Now()
		if err := tx.Model(&Webhook{}).Where("id = ?", id).Updates(map[string]any{"active": active, "updated_at": h.UpdatedAt}).Error; err != nil {
			return fmt.Errorf("update webhook: %w", err)
		}
		out = h
		return nil
	})
	return out, err
}

// DeleteWebhook removes an endpoint and its delivery log.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Delete(&Webhook{}, id)
		if res.Error != nil {
			return fmt.Errorf("delete webhook: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ENOTFOUND, "webhook %d not found", id)
		}
		return nil
	})
}
