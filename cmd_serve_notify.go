package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"factdesk/notify"
	"factdesk/store"
)

// notifyFlags are serve's flags of email, webhooks and readers' reports.
type notifyFlags struct {
	smtpURL, smtpFrom *string
	reportsPerHour    *int
}

func addNotifyFlags(fs *flag.FlagSet) notifyFlags {
	return notifyFlags{
		smtpURL: fs.String("smtp-url", env("FACTDESK_SMTP_URL", ""),
			"SMTP server for notification emails and replies to readers: smtp://user:pass@host:port, smtp+starttls://… or smtps://…; empty for no email (env FACTDESK_SMTP_URL)"),
		smtpFrom: fs.String("smtp-from", env("FACTDESK_SMTP_FROM", ""), "sender address of those emails, required with --smtp-url (env FACTDESK_SMTP_FROM)"),
		reportsPerHour: fs.Int("reports-per-hour", envInt("FACTDESK_REPORTS_PER_HOUR", 5),
			"readers' error reports and suggestions per hour and address; -1 for no limit (env FACTDESK_REPORTS_PER_HOUR)"),
	}
}

func (f notifyFlags) smtp() (*notify.SMTP, error) { return notify.ParseSMTP(*f.smtpURL, *f.smtpFrom) }

// startNotify runs the outbox worker until the returned stop is called;
// stop waits for the delivery in hand (at most a few seconds). What is
// still in the outbox is sent on the next start, or by another replica.
func startNotify(db *store.DB, cfg notify.Config, logger *slog.Logger) (stop func()) {
	cfg.Logger = logger
	w := notify.New(db, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			logger.Warn("notify: a delivery was still running at shutdown")
		}
	}
}
