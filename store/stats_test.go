package store_test

import (
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store/storetest"
)

// The desk's figures: claims per status, the median wait from proposal to
// publication (the last submission before it counts), and each editor's
// proposals, reviews and assignments.
func TestDeskStats(t *testing.T) {
	db, ctx, a, b := openDeskOfTwo(t)
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	admin := storetest.User(t, db, "admin@example.org", models.RoleAdmin)
	body := "One figure. Two figures. Three figures. Four figures. Five figures."
	d := storetest.Document(t, db, body, a)
	claim := func(i int) *models.Claim { return storetest.Claim(t, db, d, i*12, i*12+10, a) }
	step := func(c *models.Claim, by *models.User, in models.TransitionInput) {
		t.Helper()
		if _, err := storetest.Transition(ctx, db, c.ID, in, by); err != nil {
			t.Fatalf("%s: %v", in.Action, err)
		}
	}
	r, why := models.RatingFalse, "Wrong."
	submit := models.TransitionInput{Action: models.ActionSubmit, Rating: &r, Explanation: &why}
	start := models.TransitionInput{Action: models.ActionStart}
	// Published after 1 h, 3 h (sent back once: the second submission
	// counts) and 8 h; one in review; one open, assigned to b.
	for _, tt := range []struct {
		wait     time.Duration
		sentBack bool
	}{{time.Hour, false}, {3 * time.Hour, true}, {8 * time.Hour, false}} {
		c := claim(0)
		step(c, a, start)
		step(c, a, submit)
		if tt.sentBack {
			clock = clock.Add(48 * time.Hour)
			step(c, b, models.TransitionInput{Action: models.ActionSendBack, Note: "More sources."})
			step(c, a, submit)
		}
		clock = clock.Add(tt.wait)
		step(c, b, models.TransitionInput{Action: models.ActionApprove})
	}
	inReview := claim(1)
	step(inReview, b, start)
	step(inReview, b, submit)
	open := claim(2)
	bid := &b.ID
	if _, err := db.UpdateClaim(ctx, open.ID, models.ClaimUpdate{Version: open.Version, AssigneeID: &bid}, admin); err != nil {
		t.Fatal(err)
	}
	// An admin's verdict of their own is not a review.
	alone := claim(3)
	step(alone, admin, start)
	step(alone, admin, submit)
	step(alone, admin, models.TransitionInput{Action: models.ActionApprove, OverrideReason: "Nobody else tonight."})

	got, err := db.DeskStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := map[models.Status]int{models.StatusPublished: 4, models.StatusInReview: 1, models.StatusOpen: 1}
	for s, n := range wantStatus {
		if got.ByStatus[s] != n {
			t.Errorf("%s: %d, want %d (all: %v)", s, got.ByStatus[s], n, got.ByStatus)
		}
	}
	// Four timed verdicts: 0 (the admin's), 1 h, 3 h, 8 h.
	if got.Timed != 4 || got.MedianToPublish != 2*time.Hour {
		t.Errorf("timed %d, median %s; want 4 and 2h", got.Timed, got.MedianToPublish)
	}
	want := map[int64]struct{ proposed, published, reviewed, assigned int }{
		a.ID:     {3, 3, 0, 0},
		b.ID:     {1, 0, 3, 1},
		admin.ID: {1, 1, 0, 0},
	}
	if len(got.Editors) != 3 {
		t.Fatalf("editors = %+v", got.Editors)
	}
	for _, e := range got.Editors {
		w := want[e.UserID]
		if e.Proposed != w.proposed || e.Published != w.published || e.Reviewed != w.reviewed || e.Assigned != w.assigned {
			t.Errorf("%s: %+v, want %+v", e.Name, e, w)
		}
	}
}
