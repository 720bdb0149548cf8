package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/notify/notifytest"
	"factdesk/store"
	"factdesk/store/storetest"
)

// TestServeDeliversTheOutbox: notifications written while no server ran
// (the outbox is in the database) are sent by `factdesk serve` once it
// starts: the email through --smtp-url, the webhook signed.
func TestServeDeliversTheOutbox(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "x.db")
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ed := storetest.User(t, db, "sara.k@example.org", models.RoleEditor)
	mailer := notifytest.StartSMTP(t)
	hooks := notifytest.StartWebhook(t, db, "the newsroom's webhook secret", 0, ed.ID, models.Preferences{models.EventAssigned: {models.ChannelWebhook: true}})
	if err := db.Notify(ctx, models.Notification{UserID: ed.ID, Event: models.EventAssigned, Summary: "assigned to you by the night editor"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, _, stop := startServe(t, dbPath, "FACTDESK_NO_DEMO=1", "FACTDESK_SMTP_URL="+mailer.URL(), "FACTDESK_SMTP_FROM=desk@facts.test",
		"FACTDESK_FETCH_ALLOW=127.0.0.1/32", "FACTDESK_ORG_NAME=Night Desk")
	defer stop()
	m := mailer.WaitFor(t, ed.Email, "Assigned to you by the night editor", 20*time.Second)
	if !strings.Contains(m.Data, "Subject: [Night Desk] Assigned to you") {
		t.Errorf("mail:\n%s", m.Data)
	}
	for deadline := time.Now().Add(20 * time.Second); len(hooks.Hooks()) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no webhook from serve")
		}
	}
	if h := hooks.Hooks()[0]; !h.Valid || h.Event != "assigned" {
		t.Errorf("webhook: %+v", h)
	}
}
