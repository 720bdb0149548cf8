package server_test

import (
	"fmt"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
)

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
