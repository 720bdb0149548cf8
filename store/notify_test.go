package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func events(t *testing.T, db *store.DB, u *models.User) []models.Event {
	t.Helper()
	ns, err := db.ListNotifications(context.Background(), store.NotificationFilter{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []models.Event
	for _, n := range ns {
		out = append(out, n.Event)
	}
	return out
}

// Assigning, submitting and sending back tell the right people, in the
// write's own transaction; nobody is told of their own doing.
func TestWorkflowNotifies(t *testing.T) {
	db, ctx, ann, bob := openDeskOfTwo(t)
	cy := storetest.User(t, db, "cy@example.org", models.RoleAdmin)
	_, c := bodyClaim(t, db, ann)

	self := &ann.ID
	c, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, AssigneeID: &self}, ann)
	if err != nil {
		t.Fatal(err)
	}
	if got := events(t, db, ann); len(got) != 0 {
		t.Fatalf("ann assigned herself and was told: %v", got)
	}
	to := &bob.ID
	if c, err = db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, AssigneeID: &to}, ann); err != nil {
		t.Fatal(err)
	}
	if got := events(t, db, bob); len(got) != 1 || got[0] != models.EventAssigned {
		t.Fatalf("bob got %v, want [assigned]", got)
	}
	c, err = storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionStart}, bob)
	if err != nil {
		t.Fatal(err)
	}
	r, e := models.RatingFalse, "The figure is **wrong**."
	c, err = storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionSubmit, Rating: &r, Explanation: &e}, bob)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{ann, cy} {
		if got := events(t, db, u); len(got) == 0 || got[0] != models.EventReviewWanted {
			t.Errorf("%s got %v, want review_wanted first", u.Email, got)
		}
	}
	if got := events(t, db, bob); len(got) != 1 {
		t.Errorf("the submitter was asked to review: %v", got)
	}
	if _, err = storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionSendBack, Note: "cite the census"}, ann); err != nil {
		t.Fatal(err)
	}
	if got := events(t, db, bob); len(got) != 2 || got[0] != models.EventSentBack {
		t.Errorf("bob got %v, want sent_back first", got)
	}
	n, err := db.UnreadNotifications(ctx, bob.ID)
	if err != nil || n != 2 {
		t.Fatalf("unread %d (%v), want 2", n, err)
	}
	if err := db.MarkNotificationsRead(ctx, bob.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.UnreadNotifications(ctx, bob.ID); n != 0 {
		t.Errorf("unread %d after marking all read", n)
	}
	if err := db.MarkNotificationsRead(ctx, ann.ID, []int64{1 << 40}); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("marking another's notification: %v, want not_found", err)
	}
}

// Each channel follows the user's choice: off in the desk is neither
// listed nor counted; email and webhook deliveries wait in the outbox only
// when chosen.
func TestNotifyFollowsPreferences(t *testing.T) {
	db, ctx, ann, bob := openDeskOfTwo(t)
	if _, err := db.CreateWebhook(ctx, "http://127.0.0.1:9/hook", "a-secret-of-16-chars"); err != nil {
		t.Fatal(err)
	}
	_, c := bodyClaim(t, db, ann)
	tests := []struct {
		name          string
		prefs         models.Preferences
		listed        int
		email, hooked int
	}{
		{"defaults", nil, 1, 1, 0},
		{"desk off", models.Preferences{models.EventMentioned: {models.ChannelDesk: false}}, 0, 1, 0},
		{"email off, webhook on", models.Preferences{models.EventMentioned: {models.ChannelDesk: true, models.ChannelEmail: false, models.ChannelWebhook: true}}, 1, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.SetPreferences(ctx, bob.ID, tt.prefs); err != nil {
				t.Fatal(err)
			}
			_ = db.MarkNotificationsRead(ctx, bob.ID, nil)
			before, _ := db.ListDeliveries(ctx, store.DeliveryFilter{Limit: 100})
			if err := db.Notify(ctx, models.Notification{UserID: bob.ID, Event: models.EventMentioned, ClaimID: &c.ID, ActorID: &ann.ID}); err != nil {
				t.Fatal(err)
			}
			if n, _ := db.UnreadNotifications(ctx, bob.ID); int(n) != tt.listed {
				t.Errorf("unread %d, want %d", n, tt.listed)
			}
			after, _ := db.ListDeliveries(ctx, store.DeliveryFilter{Limit: 100})
			var email, hooked int
			for _, d := range after[:len(after)-len(before)] {
				switch d.Channel {
				case models.ChannelEmail:
					email++
				case models.ChannelWebhook:
					hooked++
				}
			}
			if email != tt.email || hooked != tt.hooked {
				t.Errorf("deliveries: %d emails, %d webhooks; want %d, %d", email, hooked, tt.email, tt.hooked)
			}
		})
	}
	if err := db.SetPreferences(ctx, bob.ID, models.Preferences{"gossip": {models.ChannelDesk: true}}); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("an unknown event: %v, want invalid", err)
	}
}

// A failed delivery is tried again after a growing wait, and given up
// after MaxAttempts.
func TestOutboxRetries(t *testing.T) {
	db, ctx, ann, bob := openDeskOfTwo(t)
	if err := db.Notify(ctx, models.Notification{UserID: bob.ID, Event: models.EventMentioned, ActorID: &ann.ID}); err != nil {
		t.Fatal(err)
	}
	clock := db.Now()
	db.Now = func() time.Time { return clock }
	for i := 1; i <= store.MaxAttempts; i++ {
		d, err := db.ClaimDelivery(ctx, time.Minute)
		if err != nil || d == nil {
			t.Fatalf("attempt %d: no delivery due (%v)", i, err)
		}
		if again, _ := db.ClaimDelivery(ctx, time.Minute); again != nil {
			t.Fatalf("attempt %d: a leased delivery was handed out twice", i)
		}
		if err := db.FinishDelivery(ctx, d.ID, 500, errors.New("HTTP 500")); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(store.Backoff(i) - time.Second)
		if early, _ := db.ClaimDelivery(ctx, time.Minute); early != nil {
			t.Fatalf("attempt %d: retried before its backoff", i)
		}
		clock = clock.Add(time.Second)
	}
	ds, _ := db.ListDeliveries(ctx, store.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Status != store.DeliveryFailed || ds[0].Attempts != store.MaxAttempts || ds[0].LastError != "HTTP 500" {
		t.Fatalf("log %+v, want one failed delivery after %d attempts", ds, store.MaxAttempts)
	}
}

// A comment mentions by handle; its edit is the author's, within the
// window, and kept in the history; a new mention in an edit is told once.
func TestComments(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	ann := storetest.User(t, db, "ann@example.org", models.RoleEditor)
	bob := storetest.User(t, db, "bob.k@example.org", models.RoleEditor)
	cy := storetest.User(t, db, "cy@example.org", models.RoleEditor)
	_, cl := bodyClaim(t, db, ann)
	c := &models.Comment{ClaimID: cl.ID, Body: "@bob.k can you check the census? mail x@cy.org"}
	if err := db.CreateComment(ctx, c, ann); err != nil {
		t.Fatal(err)
	}
	if got := events(t, db, bob); len(got) != 1 || got[0] != models.EventMentioned {
		t.Fatalf("bob got %v, want [mentioned]", got)
	}
	if got := events(t, db, cy); len(got) != 0 {
		t.Fatalf("an email address mentioned cy: %v", got)
	}
	if _, err := db.UpdateComment(ctx, cl.ID, c.ID, c.Version, "hijacked", bob); models.ErrorCode(err) != models.EFORBIDDEN {
		t.Errorf("another's edit: %v, want forbidden", err)
	}
	up, err := db.UpdateComment(ctx, cl.ID, c.ID, c.Version, "@bob.k and @CY: the census", ann)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateComment(ctx, cl.ID, c.ID, c.Version, "stale", ann); models.ErrorCode(err) != models.ECONFLICT {
		t.Errorf("a stale edit: %v, want conflict", err)
	}
	if len(events(t, db, bob)) != 1 || len(events(t, db, cy)) != 1 {
		t.Errorf("after the edit bob has %v, cy %v; want one each", events(t, db, bob), events(t, db, cy))
	}
	later := db.Now().Add(models.CommentEditWindow + time.Second)
	db.Now = func() time.Time { return later }
	if _, err := db.UpdateComment(ctx, cl.ID, c.ID, up.Version, "too late", ann); models.ErrorCode(err) != models.EFORBIDDEN {
		t.Errorf("an edit after the window: %v, want forbidden", err)
	}
	thread, err := db.ListComments(ctx, cl.ID)
	if err != nil || len(thread) != 1 || thread[0].Author != ann.Name || thread[0].Body != "@bob.k and @CY: the census" {
		t.Fatalf("thread %+v (%v)", thread, err)
	}
	revs, err := db.ListRevisions(ctx, store.RevisionFilter{Entity: store.EntityComment, EntityID: c.ID})
	if err != nil || len(revs) != 2 {
		t.Fatalf("%d revisions of the comment (%v), want 2", len(revs), err)
	}
}

// The queue pages through every claim by due date (undated last) and by
// priority, and the fields are versioned edits with their revisions.
func TestQueueByDueAndPriority(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	ann := storetest.User(t, db, "ann@example.org", models.RoleEditor)
	d := storetest.Document(t, db, body, ann)
	day := func(s string) *time.Time { v, _ := time.Parse("2006-01-02", s); return &v }
	dues := []*time.Time{day("2026-12-09"), nil, day("2026-12-03"), day("2026-12-09"), nil}
	prios := []models.Priority{1, 4, 2, 4, 0}
	var ids []int64
	for i := range dues {
		c := storetest.Claim(t, db, d, 24+i, 41+i, ann)
		due, p := dues[i], prios[i]
		if _, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, DueOn: &due, Priority: &p}, ann); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	bad := models.Priority(9)
	c, _ := db.GetClaim(ctx, ids[0])
	if _, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, Priority: &bad}, ann); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("priority 9: %v, want invalid", err)
	}
	for _, tt := range []struct {
		order string
		want  []int64
	}{
		{"due", []int64{ids[2], ids[0], ids[3], ids[1], ids[4]}},
		{"-priority", []int64{ids[3], ids[1], ids[2], ids[0], ids[4]}},
	} {
		var got []int64
		f := models.ClaimFilter{Order: tt.order, Limit: 2}
		for range 10 {
			page, err := db.ListClaims(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Claims {
				if slices.Contains(ids, c.ID) { // the document's detected claims aside
					got = append(got, c.ID)
				}
			}
			if page.Cursor == "" {
				break
			}
			f.Cursor = page.Cursor
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: %v, want %v", tt.order, got, tt.want)
		}
	}
	revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: ids[0], Limit: 1})
	if len(revs) != 1 || !strings.Contains(revs[0].After, `"due_on"`) || !strings.Contains(revs[0].After, `"priority"`) {
		t.Errorf("the edit's revision %+v names neither due_on nor priority", revs)
	}
}
