package notify_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/notify"
	"factdesk/notify/notifytest"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// published makes a verdict by ed, approved by rev, assigned to ed.
func published(t *testing.T, db *store.DB, ed, rev *models.User) *models.Claim {
	t.Helper()
	return storetest.Publish(t, db, storetest.FigureClaim(t, db, ed).ID, models.RatingFalse, "The figure is wrong.", ed, rev)
}

// TestDeliveries: a reader's error report reaches the verdict's editor by
// email through a real SMTP server (signed in with the URL's credentials)
// and by a webhook whose receiver verifies the signature; a failed POST is
// retried after its backoff, and the delivery log says so. The reader is
// then told the outcome once, and their address is erased.
func TestDeliveries(t *testing.T) {
	ctx := context.Background()
	db, now := clockedDB(t)
	ed := storetest.User(t, db, "sara.k@example.org", models.RoleEditor)
	rev := storetest.User(t, db, "omar@example.org", models.RoleEditor)
	mailer := notifytest.StartSMTP(t)
	hooks := notifytest.StartWebhook(t, db, "a webhook secret of some length", 1, ed.ID, models.Preferences{models.EventReaderReport: {models.ChannelWebhook: true}})
	c := published(t, db, ed, rev)
	smtpCfg, err := notify.ParseSMTP(mailer.URL(), "Fact Desk <desk@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := notify.New(db, notify.Config{SMTP: smtpCfg, BaseURL: "https://facts.example", OrgName: "Test Desk", Fetch: notifytest.Fetcher(t)})
	if _, err := w.Drain(ctx); err != nil { // what the workflow sent so far
		t.Fatal(err)
	}
	before := len(mailer.Mails())

	r := &models.Report{Kind: models.ReportError, ClaimID: &c.ID, Body: "The figure is for 2019, not last year.", Email: "reader@example.net"}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 2 {
		t.Fatalf("drain: %d, %v; want the email and the webhook", n, err)
	}
	m := mailer.WaitFor(t, ed.Email, "", time.Second)
	if len(mailer.Mails()) != before+1 || m.From != "desk@example.org" {
		t.Fatalf("mails: %+v", mailer.Mails())
	}
	for _, want := range []string{"Subject: [Test Desk] A reader reported an error on your verdict", "Claim: unemployment fell by 4 per cent",
		"A reader reported an error: The figure is for 2019", "https://facts.example/desk/claims/"} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("the email lacks %q:\n%s", want, m.Data)
		}
	}
	// The first POST failed with 500: retried after the backoff, not before.
	if hooks.Tries() != 1 || len(hooks.Hooks()) != 0 {
		t.Fatalf("webhook tries %d, taken %d", hooks.Tries(), len(hooks.Hooks()))
	}
	log, err := db.ListDeliveries(ctx, store.DeliveryFilter{Channel: models.ChannelWebhook})
	if err != nil || len(log) != 1 || log[0].Status != store.DeliveryPending || log[0].Attempts != 1 || log[0].LastStatus != 500 {
		t.Fatalf("delivery log after a failure: %+v %v", log, err)
	}
	if n, _ := w.Drain(ctx); n != 0 {
		t.Fatalf("retried %d before the backoff", n)
	}
	*now = now.Add(store.Backoff(1) + time.Second)
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("retry: %d, %v", n, err)
	}
	got := hooks.Hooks()
	if len(got) != 1 || !got[0].Valid || got[0].Event != "reader_report" || !strings.HasPrefix(got[0].Signature, "sha256=") {
		t.Fatalf("webhook: %+v", got)
	}
	var p store.NotificationPayload
	if err := json.Unmarshal(got[0].Body, &p); err != nil || p.Event != models.EventReaderReport || p.User.ID != ed.ID || p.ClaimID == nil || *p.ClaimID != c.ID {
		t.Fatalf("payload %s: %v", got[0].Body, err)
	}
	if notify.Verify("another secret", got[0].Body, got[0].Signature) {
		t.Error("the signature verifies with the wrong secret")
	}
	log, _ = db.ListDeliveries(ctx, store.DeliveryFilter{})
	for _, d := range log {
		if d.Status != store.DeliverySent {
			t.Errorf("delivery %d (%s): %s", d.ID, d.Channel, d.Status)
		}
	}

	// The outcome goes to the reader once; then the address is gone.
	if _, err := db.ModerateReport(ctx, r.ID, models.Moderation{Status: models.ReportDuplicate, Note: "Corrected last week."}, rev); err != nil {
		t.Fatal(err)
	}
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("reply: %d, %v", n, err)
	}
	m = mailer.WaitFor(t, "reader@example.net", "", time.Second)
	for _, want := range []string{"It repeats something already reported", "Corrected last week.", "We have now erased your email address", "https://facts.example/claims/"} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("the reply lacks %q:\n%s", want, m.Data)
		}
	}
	stored, err := db.GetReport(ctx, r.ID)
	if err != nil || stored.Email != "" || stored.Reply != models.ReplySent {
		t.Fatalf("after the reply: %+v %v", stored, err)
	}
	if n, _ := w.Drain(ctx); n != 0 {
		t.Errorf("sent again: %d", n)
	}
}

// TestReplyGivesUp: a reply that cannot be sent is given up (at once when
// no SMTP server is configured: no retry would help), and the address is
// erased all the same; spam is never answered.
func TestReplyGivesUp(t *testing.T) {
	ctx := context.Background()
	db, _ := clockedDB(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	w := notify.New(db, notify.Config{}) // no SMTP server
	spam := &models.Report{Kind: models.ReportSuggestion, Body: "Buy cheap watches now, best prices", Email: "bot@example.net"}
	real := &models.Report{Kind: models.ReportSuggestion, Body: "Check the claim about 23,000 fighters.", Email: "reader@example.net"}
	for _, r := range []*models.Report{spam, real} {
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ModerateReport(ctx, spam.ID, models.Moderation{Status: models.ReportSpam}, ed); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.GetReport(ctx, spam.ID); r.Email != "" || r.Reply != models.ReplyDropped {
		t.Fatalf("spam keeps %q, reply %q", r.Email, r.Reply)
	}
	if _, err := db.ModerateReport(ctx, real.ID, models.Moderation{Status: models.ReportAccepted}, ed); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.Drain(ctx); n != 1 {
		t.Fatalf("tried %d", n)
	}
	r, _ := db.GetReport(ctx, real.ID)
	if r.Email != "" || r.Reply != models.ReplyFailed || !strings.Contains(r.ReplyError, "email is not configured") {
		t.Fatalf("after giving up: email %q, reply %q, error %q", r.Email, r.Reply, r.ReplyError)
	}
	if r.ResultClaimID == nil {
		t.Fatal("the accepted suggestion is no claim")
	}
	cl, err := db.GetClaim(ctx, *r.ResultClaimID)
	if err != nil || cl.Status != models.StatusCandidate || cl.Origin != models.OriginReader || cl.Text != real.Body {
		t.Fatalf("claim: %+v %v", cl, err)
	}
}

func TestParseSMTP(t *testing.T) {
	cases := []struct {
		url, from, addr, mode, user, pass string
		bad                               bool
	}{
		{url: "smtp://u:p%20w@127.0.0.1:2525", from: "d@example.org", addr: "127.0.0.1:2525", mode: "plain", user: "u", pass: "p w"},
		{url: "smtps://mail.example.org", from: "Desk <d@example.org>", addr: "mail.example.org:465", mode: "tls"},
		{url: "smtp+starttls://mail.example.org", from: "d@example.org", addr: "mail.example.org:587", mode: "starttls"},
		{url: "http://mail.example.org", from: "d@example.org", bad: true},
		{url: "smtp://mail.example.org", from: "", bad: true},
		{url: "smtp://mail.example.org", from: "not an address", bad: true},
	}
	for _, tc := range cases {
		s, err := notify.ParseSMTP(tc.url, tc.from)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error", tc.url)
			}
			continue
		}
		if err != nil || s.Addr != tc.addr || s.Mode != tc.mode || s.User != tc.user || s.Password != tc.pass {
			t.Errorf("%s: %+v %v", tc.url, s, err)
		}
	}
}

// TestWebhookAddressCheck: a webhook goes through the fetcher's address
// checks like every outbound request: loopback is refused unless allowed.
func TestWebhookAddressCheck(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	hooks := notifytest.StartWebhook(t, db, "a webhook secret of some length", 0, ed.ID, models.Preferences{models.EventAssigned: {models.ChannelWebhook: true, models.ChannelEmail: false}})
	if err := db.Notify(ctx, models.Notification{UserID: ed.ID, Event: models.EventAssigned, Summary: "assigned to you"}); err != nil {
		t.Fatal(err)
	}
	if n, err := notify.New(db, notify.Config{}).Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	log, _ := db.ListDeliveries(ctx, store.DeliveryFilter{})
	if len(log) != 1 || log[0].Status != store.DeliveryPending || !strings.Contains(log[0].LastError, "127.0.0.1") || hooks.Tries() != 0 {
		t.Fatalf("a webhook to loopback: %+v, %d tries", log, hooks.Tries())
	}
}

// TestReplyRetried: a reply the SMTP server cannot take is retried after
// each backoff, then given up after store.MaxAttempts, and the address is
// erased.
func TestReplyRetried(t *testing.T) {
	ctx := context.Background()
	db, now := clockedDB(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	down, err := notify.ParseSMTP("smtp://127.0.0.1:1", "desk@example.org") // nothing listens on port 1
	if err != nil {
		t.Fatal(err)
	}
	w := notify.New(db, notify.Config{SMTP: down})
	r := &models.Report{Kind: models.ReportSuggestion, Body: "Check the claim about 23,000 fighters.", Email: "reader@example.net"}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ModerateReport(ctx, r.ID, models.Moderation{Status: models.ReportDuplicate}, ed); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= store.MaxAttempts; i++ {
		if n, _ := w.Drain(ctx); n != 1 {
			t.Fatalf("attempt %d: tried %d", i, n)
		}
		if n, _ := w.Drain(ctx); n != 0 {
			t.Fatalf("attempt %d: retried before the backoff", i)
		}
		got, _ := db.GetReport(ctx, r.ID)
		if i < store.MaxAttempts && (got.Email == "" || got.Reply != models.ReplyPending) {
			t.Fatalf("attempt %d: %q %q", i, got.Email, got.Reply)
		}
		*now = now.Add(store.Backoff(i) + time.Second)
	}
	got, _ := db.GetReport(ctx, r.ID)
	if got.Email != "" || got.Reply != models.ReplyFailed || !strings.Contains(got.ReplyError, "127.0.0.1:1") {
		t.Fatalf("after giving up: %q %q %q", got.Email, got.Reply, got.ReplyError)
	}
}

// TestNoEmailGivenUp: without an SMTP server an email delivery is failed
// at once with the reason in the delivery log, not retried for an hour.
func TestNoEmailGivenUp(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	if err := db.Notify(ctx, models.Notification{UserID: ed.ID, Event: models.EventAssigned, Summary: "assigned to you"}); err != nil {
		t.Fatal(err)
	}
	if n, err := notify.New(db, notify.Config{}).Drain(ctx); err != nil || n != 1 {
		t.Fatalf("drain: %d %v", n, err)
	}
	log, _ := db.ListDeliveries(ctx, store.DeliveryFilter{Channel: models.ChannelEmail})
	if len(log) != 1 || log[0].Status != store.DeliveryFailed || log[0].Attempts != 1 || !strings.Contains(log[0].LastError, "--smtp-url") {
		t.Fatalf("delivery log: %+v", log)
	}
}

// clockedDB is a fresh database whose clock stands at now until the test
// moves it, so that backoffs pass without waiting.
func clockedDB(t *testing.T) (db *store.DB, now *time.Time) {
	db = storetest.Open(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return at }
	return db, &at
}
