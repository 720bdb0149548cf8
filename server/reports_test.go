package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/models"
	"factdesk/notify"
	"factdesk/notify/notifytest"
	"factdesk/server"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

func reportCount(t *testing.T, db *store.DB) int {
	t.Helper()
	rs, err := db.ListReports(context.Background(), store.ReportFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func notificationCount(t *testing.T, db *store.DB, u *models.User) int {
	t.Helper()
	ns, err := db.ListNotifications(context.Background(), store.NotificationFilter{UserID: u.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(ns)
}

// postReader posts a reader's form, with headers in pairs.
func postReader(t *testing.T, base, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res, readBody(t, res)
}

// TestReportSpamGuards: every refusal answers 4xx with a message that says
// nothing was kept, gives the reader's text back, and stores nothing: no
// report, no notification.
func TestReportSpamGuards(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{Config: func(c *server.Config) { c.ReportsPerHour = -1 }})
	f := &fixture{t: t, env: env, as: env.Editor}
	published := f.claim(models.StatusPublished)
	inReview := f.claim(models.StatusInReview)
	good := func() url.Values {
		return url.Values{"body": {"The unemployment figure is from 2019, not 2023."}, "link": {"https://stats.example/2023"}, "email": {"reader@example.org"}, "website": {""}}
	}
	with := func(k, v string) url.Values { f := good(); f.Set(k, v); return f }
	errorPath := fmt.Sprintf("/claims/%d/report", published.ID)
	cases := []struct {
		name    string
		path    string
		form    url.Values
		headers []string
		status  int
		message string
	}{
		{"honeypot", errorPath, with("website", "http://spam.example"), nil, 400, "a field that must stay empty"},
		{"honeypot on suggestions", "/suggest", with("website", "cheap pills"), nil, 400, "a field that must stay empty"},
		{"cross-site", errorPath, good(), []string{"Sec-Fetch-Site", "cross-site"}, 403, "not sent from this site"},
		{"empty", errorPath, with("body", "   "), nil, 400, "please correct the fields"},
		{"bad email", "/suggest", with("email", "not an address"), nil, 400, "is not an email address"},
		{"bad link", errorPath, with("link", "javascript:alert(1)"), nil, 400, "must be a web address"},
		{"verdict not published", fmt.Sprintf("/claims/%d/report", inReview.ID), good(), nil, 404, "no public page"},
		{"no such claim", "/claims/999999/report", good(), nil, 404, "no public page"},
	}
	before := notificationCount(t, env.DB, env.Editor)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, page := postReader(t, env.URL, tc.path, tc.form, tc.headers...)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, page)
			}
			if !strings.Contains(page, tc.message) {
				t.Errorf("page lacks %q", tc.message)
			}
			if tc.status != 404 {
				mustContain(t, page, "Nothing was stored", "role=\"alert\"")
				if !strings.Contains(page, "stats.example") && tc.form.Get("link") == "https://stats.example/2023" {
					t.Errorf("the reader's text is not given back")
				}
			}
			if n := reportCount(t, env.DB); n != 0 {
				t.Errorf("%d reports stored, want none", n)
			}
			if n := notificationCount(t, env.DB, env.Editor); n != before {
				t.Errorf("notifications went from %d to %d", before, n)
			}
		})
	}
	t.Run("accepted", func(t *testing.T) {
		res, _ := postReader(t, env.URL, errorPath, good())
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reports/thanks?kind=error&reply=1" {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if n := reportCount(t, env.DB); n != 1 {
			t.Fatalf("%d reports", n)
		}
		if n := notificationCount(t, env.DB, env.Editor); n != before+1 {
			t.Errorf("the verdict's editor has %d notifications, want %d", n, before+1)
		}
	})
}

// TestReportRateLimit: an address past its reports per hour is refused
// with 429, Retry-After and a message, and nothing is stored; another
// address still gets through.
func TestReportRateLimit(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{TrustedProxies: []string{"127.0.0.1"}, Config: func(c *server.Config) { c.ReportsPerHour = 2 }})
	form := url.Values{"body": {"Check the claim that 23,000 fighters are in the country."}}
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	for i := range 2 {
		if res, page := postReader(t, env.URL, "/suggest", form, from("203.0.113.7")...); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("report %d: %d %s", i+1, res.StatusCode, page)
		}
	}
	res, page := postReader(t, env.URL, "/suggest", form, from("203.0.113.7")...)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third report: %d, want 429", res.StatusCode)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	mustContain(t, page, "too many reports came from your address", "Nothing was stored", "Please try again in", "23,000 fighters")
	if n := reportCount(t, env.DB); n != 2 {
		t.Errorf("%d reports stored, want 2", n)
	}
	if res, _ := postReader(t, env.URL, "/suggest", form, from("198.51.100.9")...); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: %d", res.StatusCode)
	}
}

// assignedVerdict publishes a claim assigned to and written by ed,
// approved by rev.
func assignedVerdict(t *testing.T, env *servertest.Env, ed, rev *models.User) *models.Claim {
	t.Helper()
	ctx := context.Background()
	d := storetest.Document(t, env.DB, body, ed)
	start, end := span(t, body, "unemployment fell by 4 per cent")
	c := storetest.Claim(t, env.DB, d, start, end, env.Admin)
	who := &ed.ID
	c, err := env.DB.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, AssigneeID: &who}, env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	return storetest.Publish(t, env.DB, c.ID, models.RatingFalse, "The figure is wrong: the survey says 1 per cent.", ed, rev)
}

// TestReaderReportBrowser: in a real browser, a reader reports an error on
// a published verdict with the form (no script needed); the assigned
// editor sees it in the desk (the unread count, the list), gets an email
// (read back from the test's SMTP server) and a signed webhook (verified by
// the test's receiver); accepting the report proposes a correction and the
// reader is told once, then their address is erased. The honeypot refuses
// in the browser too, with its message, and stores nothing.
func TestReaderReportBrowser(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{BaseURL: "http://facts.test", Config: func(c *server.Config) { c.ReportsPerHour = 20 }})
	ctx := context.Background()
	ed := env.Editor2
	mailer := notifytest.StartSMTP(t)
	hooks := notifytest.StartWebhook(t, env.DB, "the newsroom's webhook secret", 0, ed.ID, models.Preferences{models.EventReaderReport: {models.ChannelWebhook: true}})
	c := assignedVerdict(t, env, ed, env.Editor)
	smtpCfg, err := notify.ParseSMTP(mailer.URL(), "desk@facts.test")
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		notify.New(env.DB, notify.Config{SMTP: smtpCfg, BaseURL: "http://facts.test", OrgName: "Test Desk", Poll: 100 * time.Millisecond, Fetch: notifytest.Fetcher(t)}).Run(wctx)
	}()
	t.Cleanup(func() { stop(); <-done })
	unreadBefore, _ := env.DB.UnreadNotifications(ctx, ed.ID)

	browser := servertest.Browser(t)
	reader := newTab(t, browser, env.URL)
	reader.open(fmt.Sprintf("/claims/%d", c.ID))
	reader.do(chromedp.WaitVisible(chromedp.CSS("#report-title")))
	if w := eval[int](reader, `document.getElementById('r-website').getBoundingClientRect().right`); w > 0 {
		t.Errorf("the honeypot field is on screen (right edge at %d px)", w)
	}
	reader.check("verdict page with the report form")

	// A bot fills every field: refused, with the reason, nothing stored.
	reader.do(chromedp.SendKeys(chromedp.CSS("#r-body"), "Great site, visit my shop for cheap watches"),
		chromedp.SetValue(chromedp.CSS("#r-website"), "http://watches.example"),
		chromedp.Click(chromedp.CSS(".report-form button[type=submit]")))
	reader.waitFor("!!document.querySelector('.report-refused') && document.readyState === 'complete'")
	mustHave(t, "honeypot refusal", reader.text(".report-refused"), "a field that must stay empty", "Nothing was stored")
	if n := reportCount(t, env.DB); n != 0 {
		t.Fatalf("the honeypot stored %d reports", n)
	}
	reader.check("refused report")
	reader.screenshot("reader-report-refused.png", 1280, true)

	// A reader reports the error.
	reader.open(fmt.Sprintf("/claims/%d", c.ID))
	reader.do(chromedp.SendKeys(chromedp.CSS("#r-body"), "The survey you cite is from 2019; the 2024 release says 3 per cent."),
		chromedp.SendKeys(chromedp.CSS("#r-link"), "https://stats.example/2024/labour"),
		chromedp.SendKeys(chromedp.CSS("#r-email"), "reader@example.net"),
		chromedp.Click(chromedp.CSS(".report-form button[type=submit]")))
	reader.waitURL("/reports/thanks")
	sent := time.Now()
	mustHave(t, "thank-you page", reader.text("main"), "Your report has reached our editors", "erase your email address")
	reports, err := env.DB.ListReports(ctx, store.ReportFilter{Status: models.ReportNew})
	if err != nil || len(reports) != 1 || reports[0].Email != "reader@example.net" || reports[0].ClaimID == nil || *reports[0].ClaimID != c.ID {
		t.Fatalf("reports: %+v %v", reports, err)
	}

	// The email and the signed webhook.
	m := mailer.WaitFor(t, ed.Email, "A reader reported an error", 10*time.Second)
	mustHave(t, "email", m.Data, "Subject: [Test Desk] A reader reported an error on your verdict", "The survey you cite is from 2019",
		fmt.Sprintf("http://facts.test/desk/claims/%d", c.ID))
	var hook notifytest.Hook
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if h := hooks.Hooks(); len(h) > 0 {
			hook = h[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no webhook within 10 s")
		}
	}
	var p store.NotificationPayload
	t.Logf("the email and the webhook arrived within %s of the thank-you page", time.Since(sent).Round(time.Millisecond))
	if !hook.Valid || hook.Event != "reader_report" || json.Unmarshal(hook.Body, &p) != nil || p.User.ID != ed.ID || *p.ClaimID != c.ID {
		t.Fatalf("webhook: valid %v, event %q, body %s", hook.Valid, hook.Event, hook.Body)
	}

	// The desk: the unread count and the list.
	desk := newTab(t, browser, env.URL)
	desk.signIn(ed.Email)
	if got, want := strings.TrimSpace(desk.text("#unread-count")), fmt.Sprint(unreadBefore+1); got != want {
		t.Errorf("unread count %q, want %s", got, want)
	}
	desk.do(chromedp.Click(chromedp.CSS("a.bell")))
	desk.waitURL("/desk/notifications")
	mustHave(t, "notifications", desk.text(".notifications li.unread"), "a reader reported an error: The survey you cite", "unemployment fell by 4 per cent")
	desk.check("notifications")
	desk.screenshot("desk-notifications.png", 1280)

	// The claim's page says a reader reported an error.
	desk.open(fmt.Sprintf("/desk/claims/%d", c.ID))
	mustHave(t, "claim page", desk.text("#reader-reports"), "Readers report an error", "(1 waiting)", "The survey you cite")
	desk.check("claim page with a reader's report")

	// A comment for the colleague who approved the verdict, with a mention.
	before := len(notificationsOf(t, env, env.Editor))
	desk.do(chromedp.SendKeys(chromedp.CSS("#f-comment"), "@editor a reader says the survey is from 2019: can you check the **2024 release**?"),
		chromedp.Click(chromedp.CSS(`form[action$="/comments"] button[type=submit]`)))
	desk.waitURL("done=commented")
	mustHave(t, "comments", desk.text("#comments"), "a reader says the survey is from 2019")
	if got := eval[string](desk, `document.querySelector('#comments .comment-body strong').textContent`); got != "2024 release" {
		t.Errorf("the comment's Markdown: %q", got)
	}
	if got := notificationsOf(t, env, env.Editor); len(got) != before+1 || got[0].Event != models.EventMentioned {
		t.Errorf("the mentioned editor's notifications: %+v", got)
	}
	desk.do(chromedp.ScrollIntoView(chromedp.CSS("#comments")))
	desk.screenshot("desk-comments.png", 1280, true)

	// The queue: accept the report as a correction.
	desk.open("/desk/reports")
	mustHave(t, "queue", desk.text(".reports"), "The survey you cite is from 2019", "https://stats.example/2024/labour", "asked to be told the outcome")
	if strings.Contains(desk.text("main"), "reader@example.net") {
		t.Error("the queue shows the reader's address")
	}
	id := reports[0].ID
	desk.do(chromedp.Click(chromedp.CSS(fmt.Sprintf("#report-%d details.accept summary", id))))
	desk.check("reports")
	desk.screenshot("desk-reports.png", 1280)
	desk.do(chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#cn-%d", id)), "The survey figure was from 2019; updated to the 2024 release."),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#cr-%d", id)), "mostly_false"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#report-%d details.accept button.primary", id))))
	desk.waitURL("done=accepted")
	cl, _ := env.DB.GetClaim(ctx, c.ID)
	rv, err := env.DB.ReviewOf(ctx, cl)
	if err != nil || rv.Pending == nil || rv.Pending.Rating == nil || *rv.Pending.Rating != models.RatingMostlyFalse ||
		!strings.Contains(rv.Pending.Note, "2024 release") {
		t.Fatalf("pending correction: %+v %v", rv.Pending, err)
	}
	reply := mailer.WaitFor(t, "reader@example.net", "", 10*time.Second)
	mustHave(t, "reply", reply.Data, "Our editors agreed", "We have now erased your email address")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		r, err := env.DB.GetReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Email == "" && r.Reply == models.ReplySent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the reply the report keeps %q (reply %q)", r.Email, r.Reply)
		}
	}
	// The account page's notification choices, and the admin's webhook
	// page with the delivery log.
	desk.open("/desk/account")
	desk.do(chromedp.WaitVisible(chromedp.CSS("#prefs")))
	if !eval[bool](desk, `document.querySelector('input[name="reader_report.webhook"]').checked`) {
		t.Error("the account page does not show the webhook choice")
	}
	desk.check("account")
	admin := newTab(t, browser, env.URL)
	admin.signIn(env.Admin.Email)
	admin.open("/desk/webhooks")
	mustHave(t, "delivery log", admin.text("main"), hooks.URL, "webhook", "sent")
	admin.check("webhooks")
	admin.screenshot("desk-webhooks.png", 1280)

	// The reader's page is unchanged until a second editor approves.
	reader.open(fmt.Sprintf("/claims/%d", c.ID))
	if strings.Contains(reader.text("main"), "2024 release") {
		t.Error("the correction is public before its review")
	}
}

// TestSuggestBrowser: the "Suggest a claim" page works without JavaScript
// and is linked with the corrections policy from every page's footer.
func TestSuggestBrowser(t *testing.T) {
	env := servertest.New(t)
	browser := servertest.Browser(t)
	reader := newTab(t, browser, env.URL)
	reader.open("/")
	reader.do(chromedp.Click(chromedp.CSS(`footer a[href="/corrections-policy"]`)))
	reader.waitURL("/corrections-policy")
	mustHave(t, "policy", reader.text("main"), "Corrections policy", "second editor", "Report an error")
	reader.check("corrections policy")
	reader.do(chromedp.Click(chromedp.CSS(`main a[href="/suggest"]`)))
	reader.waitURL("/suggest")
	reader.check("suggest")
	reader.screenshot("reader-suggest.png", 1280, true)
	reader.do(chromedp.SendKeys(chromedp.CSS("#r-body"), "The mayor said crime fell by half since 2020."),
		chromedp.Click(chromedp.CSS(".report-form button[type=submit]")))
	reader.waitURL("/reports/thanks?kind=suggestion")
	if n := reportCount(t, env.DB); n != 1 {
		t.Fatalf("%d reports", n)
	}
}

func notificationsOf(t *testing.T, env *servertest.Env, u *models.User) []models.Notification {
	t.Helper()
	ns, err := env.DB.ListNotifications(context.Background(), store.NotificationFilter{UserID: u.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}
