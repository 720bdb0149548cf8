// Package notify delivers what the store's outbox holds: the emails and
// webhook POSTs of notifications (store.Notify) and the one message a
// reader who reported an error or suggested a claim asked for. The outbox
// is in the database, so a delivery survives a restart; leases let several
// workers and replicas share it; failures are retried with
// store.Backoff up to store.MaxAttempts, and each attempt is logged on
// the delivery.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/store"
)

// Config is the worker's configuration.
type Config struct {
	SMTP    *SMTP  // nil: emails fail with a message saying email is not configured
	BaseURL string // the site's public URL, for links in emails
	OrgName string
	// Fetch sends webhooks, under the address checks of every outbound
	// request (--fetch-allow for an endpoint on a private network); nil is
	// fetch.New with a 15 s timeout.
	Fetch  *fetch.Fetcher
	Logger *slog.Logger
	// Poll is how often the outbox is read without a wake-up (other
	// replicas' writes, retries coming due); 0 is 5 s.
	Poll time.Duration
	// Lease is how long a taken delivery is kept from other workers; 0 is
	// two minutes.
	Lease time.Duration
}

// Worker sends the outbox.
type Worker struct {
	db  *store.DB
	cfg Config
	// expired is when the addresses of reports left unmoderated too long
	// were last erased (hourly).
	expired time.Time
}

// New returns a worker on db.
func New(db *store.DB, cfg Config) *Worker {
	if cfg.Fetch == nil {
		cfg.Fetch = fetch.New(fetch.Config{Timeout: 15 * time.Second})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.OrgName == "" {
		cfg.OrgName = "Factdesk"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Worker{db: db, cfg: cfg}
}

// Run sends what is due until ctx ends: at once when this replica wrote
// to the outbox (store.OutboxWake), and every Poll otherwise.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Logger.Warn("notify: outbox", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-w.db.OutboxWake():
		case <-t.C:
		}
	}
}

// Drain sends every delivery and reader reply due now, one at a time, and
// says how many it tried; once an hour it also erases the addresses of
// readers whose report waited for moderation longer than
// models.KeepReplyAddress.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		d, err := w.db.ClaimDelivery(ctx, w.cfg.Lease)
		if err != nil {
			return n, err
		}
		if d == nil {
			break
		}
		n++
		status, failure := w.deliver(ctx, d)
		var final *permanent
		switch {
		case errors.As(failure, &final):
			// Logged at debug: a newsroom without email sees it in the
			// delivery log, not as a warning per notification.
			w.cfg.Logger.Debug("notify: delivery given up", "delivery", d.ID, "channel", string(d.Channel), "error", failure.Error())
			err = w.db.GiveUpDelivery(context.WithoutCancel(ctx), d.ID, failure)
		default:
			if failure != nil {
				w.cfg.Logger.Warn("notify: delivery failed", "delivery", d.ID, "channel", string(d.Channel), "attempt", d.Attempts+1, "error", failure.Error())
			}
			err = w.db.FinishDelivery(context.WithoutCancel(ctx), d.ID, status, failure)
		}
		if err != nil {
			return n, err
		}
	}
	for ctx.Err() == nil {
		r, err := w.db.ClaimReply(ctx, w.cfg.Lease)
		if err != nil {
			return n, err
		}
		if r == nil {
			break
		}
		n++
		failure := w.reply(r)
		var final *permanent
		giveUp := errors.As(failure, &final)
		if failure != nil && !giveUp {
			w.cfg.Logger.Warn("notify: reply to a reader failed", "report", r.ID, "attempt", r.ReplyAttempts+1, "error", failure.Error())
		}
		if err := w.db.FinishReply(context.WithoutCancel(ctx), r.ID, failure, giveUp); err != nil {
			return n, err
		}
	}
	if time.Since(w.expired) > time.Hour {
		if _, err := w.db.ExpireReplyAddresses(ctx, w.db.Now().Add(-models.KeepReplyAddress)); err != nil {
			return n, err
		}
		w.expired = time.Now()
	}
	return n, ctx.Err()
}

func (w *Worker) deliver(ctx context.Context, d *store.Delivery) (int, error) {
	switch d.Channel {
	case models.ChannelEmail:
		var p store.NotificationPayload
		if err := json.Unmarshal([]byte(d.Payload), &p); err != nil {
			return 0, &permanent{"the payload is not JSON: " + err.Error()}
		}
		if w.cfg.SMTP == nil {
			return 0, errNoEmail
		}
		return 0, w.cfg.SMTP.Send(w.notificationMail(d, &p))
	case models.ChannelWebhook:
		if d.WebhookID == nil {
			return 0, &permanent{"the delivery names no webhook"}
		}
		h, err := w.db.GetWebhook(ctx, *d.WebhookID)
		if models.ErrorCode(err) == models.ENOTFOUND {
			return 0, &permanent{"the webhook was deleted"}
		}
		if err != nil {
			return 0, err
		}
		if !h.Active {
			return 0, &permanent{"the webhook is paused"}
		}
		var p store.NotificationPayload
		_ = json.Unmarshal([]byte(d.Payload), &p)
		return postWebhook(ctx, w.cfg.Fetch, h.URL, h.Secret, []byte(d.Payload), string(p.Event), d.ID)
	}
	return 0, fmt.Errorf("no way to deliver by %q", d.Channel)
}

var eventSubjects = map[models.Event]string{
	models.EventAssigned:     "Assigned to you",
	models.EventMentioned:    "You were mentioned",
	models.EventSentBack:     "Sent back to you",
	models.EventReviewWanted: "Waiting for your review",
	models.EventReaderReport: "A reader reported an error on your verdict",
}

// notificationMail is the email of a notification.
func (w *Worker) notificationMail(d *store.Delivery, p *store.NotificationPayload) Message {
	subject := "[" + w.cfg.OrgName + "] " + eventSubjects[p.Event]
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", p.User.Name)
	if p.ClaimText != "" {
		fmt.Fprintf(&b, "Claim: %s\n\n", p.ClaimText)
		subject += ": " + excerpt(p.ClaimText, 60)
	}
	fmt.Fprintf(&b, "%s.\n", sentence(p.Summary))
	if p.ClaimID != nil && w.cfg.BaseURL != "" {
		fmt.Fprintf(&b, "\nOpen it in the desk: %s/desk/claims/%d\n", w.cfg.BaseURL, *p.ClaimID)
	}
	b.WriteString("\nYou get this email because of your notification choices")
	if w.cfg.BaseURL != "" {
		b.WriteString(": " + w.cfg.BaseURL + "/desk/account")
	}
	b.WriteString("\n")
	return Message{To: d.Recipient, Subject: subject, Body: b.String(), ID: "delivery-" + strconv.FormatInt(d.ID, 10)}
}

// reply is the one message to a reader about their report.
func (w *Worker) reply(r *models.Report) error {
	link := ""
	if r.Kind == models.ReportError && r.ClaimID != nil && w.cfg.BaseURL != "" {
		link = w.cfg.BaseURL + "/claims/" + strconv.FormatInt(*r.ClaimID, 10)
	}
	subject, body := models.ReplyText(r, w.cfg.OrgName, link)
	if w.cfg.SMTP == nil {
		return errNoEmail
	}
	return w.cfg.SMTP.Send(Message{To: r.Email, Subject: subject, Body: body, ID: "report-" + strconv.FormatInt(r.ID, 10)})
}

func excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// sentence is s with its first letter in upper case.
func sentence(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// permanent is a failure no retry can mend: the delivery is given up at
// once.
type permanent struct{ msg string }

func (e *permanent) Error() string { return e.msg }

var errNoEmail = &permanent{"email is not configured: start factdesk serve with --smtp-url and --smtp-from"}
