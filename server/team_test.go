package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
)

// TestDeskComments: a comment's Markdown goes through the sanitiser, an
// @mention tells the colleague, its author may edit it for 15 minutes and
// nobody else may; comments never reach the reader's page.
func TestDeskComments(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	f := &fixture{t: t, env: e.Env, as: e.ed1}
	c := f.claim(models.StatusPublished)
	one := e.signIn(t, e.ed1)
	path := fmt.Sprintf("/desk/claims/%d", c.ID)
	before, _ := e.db.UnreadNotifications(ctx, e.ed2.ID)
	res, _ := one.post(path+"/comments", url.Values{"csrf_token": {one.csrf()}, "body": {"Ask @editor2 about **table 3** <script>alert(1)</script>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.StatusCode)
	}
	_, page := one.get(path)
	mustContain(t, page, "<strong>table 3</strong>", `id="comments-h"`)
	if strings.Contains(page, "<script>alert(1)") {
		t.Error("the comment's script reached the page")
	}
	if n, _ := e.db.UnreadNotifications(ctx, e.ed2.ID); n != before+1 {
		t.Errorf("the mentioned editor has %d unread, want %d", n, before+1)
	}
	list, err := e.db.ListComments(ctx, c.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("comments: %v %v", list, err)
	}
	cm := list[0]
	edit := func(cl *deskClient, body string) int {
		res, _ := cl.post(fmt.Sprintf("%s/comments/%d", path, cm.ID), url.Values{"csrf_token": {cl.csrf()}, "body": {body}, "version": {"1"}})
		return res.StatusCode
	}
	if got := edit(e.signIn(t, e.ed2), "Not mine"); got != http.StatusForbidden {
		t.Errorf("another editor's edit: %d, want 403", got)
	}
	now := time.Now()
	e.db.Now = func() time.Time { return now.Add(16 * time.Minute) }
	if got := edit(one, "Too late"); got != http.StatusForbidden {
		t.Errorf("an edit after the window: %d, want 403", got)
	}
	e.db.Now = time.Now
	if got := edit(one, "Ask @editor2 about table 4"); got != http.StatusSeeOther {
		t.Errorf("an edit in the window: %d", got)
	}
	res, reader := (&deskClient{t: t, base: e.URL, http: http.DefaultClient}).get(fmt.Sprintf("/claims/%d", c.ID))
	if res.StatusCode != 200 || strings.Contains(reader, "table 4") {
		t.Errorf("the reader's page (%d) shows the comment", res.StatusCode)
	}
}

// TestDeskPreferencesAndNotifications: the account page's table turns a
// channel off; the list marks notifications read.
func TestDeskPreferencesAndNotifications(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	one := e.signIn(t, e.ed1)
	form := url.Values{"csrf_token": {one.csrf()}}
	for _, ev := range models.Events {
		form.Set(string(ev)+".desk", "on")
	}
	form.Set("reader_report.webhook", "on") // email off everywhere
	if res, _ := one.post("/desk/account/preferences", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	p, err := e.db.Preferences(ctx, e.ed1.ID)
	if err != nil || p.Wants(models.EventAssigned, models.ChannelEmail) || !p.Wants(models.EventReaderReport, models.ChannelWebhook) || !p.Wants(models.EventMentioned, models.ChannelDesk) {
		t.Fatalf("preferences: %v %v", p, err)
	}
	_, page := one.get("/desk/account")
	mustContain(t, page, `name="reader_report.webhook" value="on" aria-label="A reader reports an error on my verdict: webhook" checked`)

	for range 2 {
		if err := e.db.Notify(ctx, models.Notification{UserID: e.ed1.ID, Event: models.EventAssigned, Summary: "assigned to you"}); err != nil {
			t.Fatal(err)
		}
	}
	_, page = one.get("/desk/notifications")
	mustContain(t, page, `id="unread-count">2<`, "assigned to you")
	ns, _ := e.db.ListNotifications(ctx, store.NotificationFilter{UserID: e.ed1.ID})
	if res, _ := one.post("/desk/notifications/read", url.Values{"csrf_token": {one.csrf()}, "id": {fmt.Sprint(ns[0].ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", res.StatusCode)
	}
	if n, _ := e.db.UnreadNotifications(ctx, e.ed1.ID); n != 1 {
		t.Errorf("unread %d, want 1", n)
	}
	// Emails were turned off: the outbox holds none for this user.
	if d, _ := e.db.ListDeliveries(ctx, store.DeliveryFilter{Channel: models.ChannelEmail}); len(d) != 0 {
		t.Errorf("%d emails queued after email was turned off", len(d))
	}
	if res, _ := one.post("/desk/notifications/read", url.Values{"csrf_token": {one.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", res.StatusCode)
	}
	if n, _ := e.db.UnreadNotifications(ctx, e.ed1.ID); n != 0 {
		t.Errorf("unread %d after mark all", n)
	}
}

// TestDeskModeration: spam, duplicate and accepted suggestions from the
// queue; a second decision is a conflict; an editor cannot reach the
// admins' webhook page, an admin adds an endpoint and sees its secret once.
func TestDeskModeration(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	mk := func(body string) *models.Report {
		r := &models.Report{Kind: models.ReportSuggestion, Body: body, Email: "r@example.net"}
		if err := e.db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	spam, dup, good := mk("Visit my shop for cheap watches"), mk("The 23,000 terrorists claim again"), mk("The mayor said crime fell by half.")
	one := e.signIn(t, e.ed1)
	_, page := one.get("/desk/reports")
	mustContain(t, page, "Visit my shop", "The mayor said", `id="new-reports">3`)
	if strings.Contains(page, "r@example.net") {
		t.Error("the queue shows a reader's address")
	}
	decide := func(r *models.Report, form url.Values) *http.Response {
		form.Set("csrf_token", one.csrf())
		res, _ := one.post(fmt.Sprintf("/desk/reports/%d", r.ID), form)
		return res
	}
	cases := []struct {
		r     *models.Report
		form  url.Values
		code  int
		state models.ReportStatus
		reply string
	}{
		{spam, url.Values{"status": {"spam"}}, 303, models.ReportSpam, models.ReplyDropped},
		{dup, url.Values{"status": {"duplicate"}, "note": {"Checked in May."}}, 303, models.ReportDuplicate, models.ReplyPending},
		{good, url.Values{"status": {"accepted"}, "claim_text": {"Crime fell by half since 2020"}, "claimant": {"The mayor"}}, 303, models.ReportAccepted, models.ReplyPending},
		{good, url.Values{"status": {"spam"}}, 409, models.ReportAccepted, models.ReplyPending},
		{mk("Another suggestion to check"), url.Values{"status": {"maybe"}}, 400, models.ReportNew, models.ReplyWanted},
	}
	for _, tc := range cases {
		if res := decide(tc.r, tc.form); res.StatusCode != tc.code {
			t.Errorf("%s on %q: %d, want %d", tc.form.Get("status"), tc.r.Body, res.StatusCode, tc.code)
		}
		got, _ := e.db.GetReport(ctx, tc.r.ID)
		if got.Status != tc.state || got.Reply != tc.reply {
			t.Errorf("%q: %s/%s, want %s/%s", tc.r.Body, got.Status, got.Reply, tc.state, tc.reply)
		}
	}
	got, _ := e.db.GetReport(ctx, good.ID)
	cl, err := e.db.GetClaim(ctx, *got.ResultClaimID)
	if err != nil || cl.Text != "Crime fell by half since 2020" || cl.Claimant != "The mayor" || cl.Status != models.StatusCandidate {
		t.Fatalf("claim from the suggestion: %+v %v", cl, err)
	}

	if res, _ := one.get("/desk/webhooks"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor on the webhook page: %d", res.StatusCode)
	}
	adm := e.signIn(t, e.admin)
	res, page := adm.post("/desk/webhooks", url.Values{"csrf_token": {adm.csrf()}, "url": {"https://hooks.example/factdesk"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(page, `class="secret"`) || !strings.Contains(page, "https://hooks.example/factdesk") {
		t.Fatalf("add webhook: %d", res.StatusCode)
	}
	_, page = adm.get("/desk/webhooks")
	if strings.Contains(page, `class="secret"`) {
		t.Error("the secret is shown again")
	}
	hooks, _ := e.db.ListWebhooks(ctx)
	if res, _ := adm.post(fmt.Sprintf("/desk/webhooks/%d/active", hooks[0].ID), url.Values{"csrf_token": {adm.csrf()}, "active": {"false"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause: %d", res.StatusCode)
	}
	if h, _ := e.db.GetWebhook(ctx, hooks[0].ID); h.Active {
		t.Error("the webhook is not paused")
	}
	_, page = adm.get("/desk/webhooks")
	mustContain(t, page, "paused", `value="true">Resume`)
}

// TestTeamAPI walks the desk's conversation through the JSON API: a
// comment mentions a colleague, who sees the notification, its count and
// marks it read; preferences round-trip; an admin adds a webhook (its
// secret shown once) and reads the delivery log.
func TestTeamAPI(t *testing.T) {
	env := servertest.New(t)
	f := &fixture{t: t, env: env, as: env.Editor}
	c := f.claim(models.StatusResearching)
	one, two := env.SignedIn(env.Editor), env.SignedIn(env.Editor2)

	r := one.Do("POST", fmt.Sprintf("/api/v1/claims/%d/comments", c.ID), map[string]any{"body": "@editor2 see _table 3_ <img src=x onerror=alert(1)>"})
	want(t, r, 201, "comment")
	cm := object(t, r)
	if html := cm["html"].(string); !strings.Contains(html, "<em>table 3</em>") || strings.Contains(html, "onerror") {
		t.Errorf("html %q", html)
	}
	if cm["editable"] != true || cm["author"] != env.Editor.Name {
		t.Errorf("comment %v", cm)
	}
	r = two.Do("GET", fmt.Sprintf("/api/v1/claims/%d/comments", c.ID), nil)
	want(t, r, 200, "list comments")
	var list struct {
		Comments []struct {
			ID       int64 `json:"id"`
			Editable bool  `json:"editable"`
		} `json:"comments"`
	}
	r.Decode(t, &list)
	if len(list.Comments) != 1 || list.Comments[0].Editable {
		t.Errorf("comments seen by another editor: %+v", list.Comments)
	}

	r = two.Do("GET", "/api/v1/notifications/unread", nil)
	want(t, r, 200, "unread")
	if n := object(t, r)["unread"].(float64); n != 1 {
		t.Fatalf("unread %v", n)
	}
	r = two.Do("GET", "/api/v1/notifications?unread=true&limit=1", nil)
	want(t, r, 200, "notifications")
	var ns struct {
		Notifications []models.Notification `json:"notifications"`
		Next          *string               `json:"next_cursor"`
	}
	r.Decode(t, &ns)
	if len(ns.Notifications) != 1 || ns.Notifications[0].Event != models.EventMentioned || ns.Next != nil {
		t.Fatalf("notifications %+v", ns)
	}
	want(t, two.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{ns.Notifications[0].ID}}), 204, "mark read")
	if n := object(t, two.Do("GET", "/api/v1/notifications/unread", nil))["unread"].(float64); n != 0 {
		t.Errorf("unread after mark read: %v", n)
	}
	// Someone else's notification is not found, and marks nothing.
	want(t, one.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{ns.Notifications[0].ID}}), 404, "another's")

	want(t, two.Do("PUT", "/api/v1/me/preferences", map[string]any{"preferences": map[string]any{"mentioned": map[string]bool{"email": false, "webhook": true}}}), 200, "set preferences")
	var prefs struct {
		Preferences models.Preferences `json:"preferences"`
	}
	two.Do("GET", "/api/v1/me/preferences", nil).Decode(t, &prefs)
	if prefs.Preferences.Wants(models.EventMentioned, models.ChannelEmail) || !prefs.Preferences.Wants(models.EventMentioned, models.ChannelWebhook) ||
		!prefs.Preferences.Wants(models.EventAssigned, models.ChannelEmail) || len(prefs.Preferences) != len(models.Events) {
		t.Errorf("preferences %v", prefs.Preferences)
	}

	adm := env.SignedIn(env.Admin)
	r = adm.Do("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example/in"})
	want(t, r, 201, "webhook")
	if s, _ := object(t, r)["secret"].(string); len(s) < 32 {
		t.Errorf("secret %q", s)
	}
	if strings.Contains(string(adm.Do("GET", "/api/v1/webhooks", nil).Body), "secret") {
		t.Error("the list shows secrets")
	}
	// A new mention now goes to the webhook too, and is in the log.
	want(t, one.Do("POST", fmt.Sprintf("/api/v1/claims/%d/comments", c.ID), map[string]any{"body": "@editor2 and now?"}), 201, "second comment")
	r = adm.Do("GET", "/api/v1/deliveries?channel=webhook", nil)
	want(t, r, 200, "deliveries")
	var log struct {
		Deliveries []struct {
			Channel   string `json:"channel"`
			Recipient string `json:"recipient"`
			Status    string `json:"status"`
			Payload   string `json:"payload"`
		} `json:"deliveries"`
	}
	r.Decode(t, &log)
	if len(log.Deliveries) != 1 || log.Deliveries[0].Recipient != "https://hooks.example/in" || log.Deliveries[0].Status != "pending" ||
		!strings.Contains(log.Deliveries[0].Payload, `"event":"mentioned"`) {
		t.Errorf("delivery log %+v", log.Deliveries)
	}
}

// An editor gives claims a due date and a priority, through the API and
// the desk's claim form; the queue sorts by them and says what is overdue.
func TestDueDatesAndPriority(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	var ids []int64
	for _, text := range []string{"Exports fell by 12 percent in 2024.", "The dam holds 4 billion cubic metres.", "Wheat prices doubled since March."} {
		var c struct{ ID int64 }
		ed.Do("POST", "/api/v1/claims", map[string]any{"text": text}).Decode(t, &c)
		ids = append(ids, c.ID)
	}
	var got struct {
		DueOn    *string `json:"due_on"`
		Priority int     `json:"priority"`
		Version  int     `json:"version"`
	}
	r := ed.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", ids[0]), map[string]any{"version": 1, "due_on": "2020-01-02", "priority": 4})
	r.Decode(t, &got)
	if r.Status != http.StatusOK || got.DueOn == nil || *got.DueOn != "2020-01-02T00:00:00Z" || got.Priority != int(models.PriorityUrgent) {
		t.Fatalf("PATCH due and priority: %d %s", r.Status, r.Body)
	}
	r = ed.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", ids[1]), map[string]any{"version": 1, "due_on": "2999-05-01", "priority": 1})
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", r.Status, r.Body)
	}

	// The desk's form: a date and a priority, then clearing the date.
	page := ed.Do("GET", fmt.Sprintf("/desk/claims/%d", ids[2]), nil)
	csrf := csrfOf(t, page.Body)
	form := url.Values{"csrf_token": {csrf}, "version": {"1"}, "text": {"Wheat prices doubled since March."}, "claimant": {""}, "kind": {"statistic"},
		"assignee_id": {""}, "due_on": {"2998-01-01"}, "priority": {"3"}, "op": {"save"}}
	r = ed.Do("POST", fmt.Sprintf("/desk/claims/%d", ids[2]), form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("desk save: %d %s", r.Status, r.Body)
	}
	c, err := env.DB.GetClaim(t.Context(), ids[2])
	if err != nil || c.DueOn == nil || c.DueOn.Format("2006-01-02") != "2998-01-01" || c.Priority != models.PriorityHigh {
		t.Fatalf("after the desk's save: %+v, %v", c, err)
	}
	form.Set("version", fmt.Sprint(c.Version))
	form.Set("due_on", "not a day")
	r = ed.Do("POST", fmt.Sprintf("/desk/claims/%d", ids[2]), form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "must be a date") {
		t.Errorf("a due date that is not a date: %d", r.Status)
	}

	// The queue, due soonest: the overdue claim first, then the dated, then the rest.
	q := string(ed.Do("GET", "/desk/claims?sort=due", nil).Body)
	first, second, third := strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[0])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[2])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[1]))
	if first < 0 || !(first < second && second < third) {
		t.Errorf("queue by due date: positions %d %d %d", first, second, third)
	}
	if !strings.Contains(q, "2020-01-02 (overdue)") || !strings.Contains(q, "Urgent") {
		t.Errorf("the queue does not say the first claim is overdue and urgent")
	}
	q = string(ed.Do("GET", "/desk/claims?sort=-priority", nil).Body)
	if a, b := strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[0])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[2])); a < 0 || a > b {
		t.Errorf("queue by priority: urgent at %d, high at %d", a, b)
	}
}

func csrfOf(t *testing.T, page []byte) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the page")
	}
	return string(m[1])
}
