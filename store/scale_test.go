package store_test

import (
	"context"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// publishedOn publishes a claim rated r, written by ed and approved by rev.
func publishedOn(t *testing.T, db *store.DB, d *models.Document, start int, r models.Rating, ed, rev *models.User) *models.Claim {
	t.Helper()
	c := storetest.Claim(t, db, d, start, start+5, ed)
	return storetest.Publish(t, db, c.ID, r, "Because.", ed, rev)
}

func TestScaleChanges(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	admin := storetest.User(t, db, "admin@example.org", models.RoleAdmin)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	rev := storetest.User(t, db, "rev@example.org", models.RoleEditor)
	d := storetest.Document(t, db, "Alpha beta gamma delta epsilon zeta eta theta iota kappa.", admin)
	a := publishedOn(t, db, d, 0, models.RatingMixed, ed, rev)
	b := publishedOn(t, db, d, 6, models.RatingMixed, ed, rev)

	s, err := db.Scale(ctx)
	if err != nil || s.Version != 1 || len(s.Ratings) != 7 {
		t.Fatalf("seeded scale %+v, %v", s, err)
	}
	before, _ := db.ClaimStamp(ctx, a.ID)

	// A rating in use cannot leave the scale.
	drop := s
	drop.Ratings = append([]models.ScaleRating{}, s.Ratings[:2]...)
	if _, err := db.UpdateScale(ctx, models.ScaleEdit{Scale: drop, Version: s.Version}, admin); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("removing a rating in use: %v", err)
	}
	// A stale version conflicts.
	if _, err := db.UpdateScale(ctx, models.ScaleEdit{Scale: s, Version: 99}, admin); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("stale version: %v", err)
	}

	// Relabel applied to all: one public note on each verdict.
	next := models.DefaultScale()
	next.Ratings[2].Label = "Partly true"
	res, err := db.UpdateScale(ctx, models.ScaleEdit{Scale: next, Version: 1, Mode: models.RelabelApplyAll, Note: "We now say partly true."}, admin)
	if err != nil || res.Published != 2 || res.Scale.Version != 2 {
		t.Fatalf("apply to all: %+v, %v", res, err)
	}
	da, _ := db.GetClaimDetail(ctx, a.ID)
	if n := len(da.Corrections); n != 1 || da.Corrections[0].Note != "We now say partly true." {
		t.Errorf("corrections %+v", da.Corrections)
	}
	if step, _ := da.Scale.Find(models.RatingMixed); step.Label != "Partly true" {
		t.Errorf("label %q", step.Label)
	}
	after, _ := db.ClaimStamp(ctx, a.ID)
	if after.Key() == before.Key() || store.StampOf(da).Key() != after.Key() {
		t.Errorf("stamp did not follow the scale: %s → %s (page %s)", before.Key(), after.Key(), store.StampOf(da).Key())
	}

	// Relabel reviewed: each verdict keeps the old wording until a second
	// editor approves its correction.
	next.Ratings[2].Label = "Half and half"
	res, err = db.UpdateScale(ctx, models.ScaleEdit{Scale: next, Version: 2, Mode: models.RelabelReview, Note: "Clearer wording."}, admin)
	if err != nil || res.Proposed != 2 {
		t.Fatalf("review: %+v, %v", res, err)
	}
	cb, _ := db.GetClaim(ctx, b.ID)
	kept, ok := res.Scale.Find(cb.Rating)
	if !ok || !kept.Retired || kept.Label != "Partly true" {
		t.Fatalf("verdict moved to %q: %+v", cb.Rating, kept)
	}
	rv, _ := db.ReviewOf(ctx, cb)
	if rv.Pending == nil || rv.Pending.Rating == nil || *rv.Pending.Rating != models.RatingMixed {
		t.Fatalf("pending %+v", rv.Pending)
	}
	if _, err := storetest.Transition(ctx, db, b.ID, models.TransitionInput{Action: models.ActionApprove}, admin); models.ErrorCode(err) == "" {
		// The admin proposed it: under the override rule a reason is needed.
		t.Fatalf("the author approved their own correction without a reason")
	}
	got, err := storetest.Transition(ctx, db, b.ID, models.TransitionInput{Action: models.ActionApprove}, rev)
	if err != nil || got.Rating != models.RatingMixed {
		t.Fatalf("approve: %+v, %v", got, err)
	}
	// A retired rating is not offered for a new verdict.
	c := storetest.Claim(t, db, d, 20, 25, ed)
	r, e := cb.Rating, "x"
	if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionStart}, ed); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionSubmit, Rating: &r, Explanation: &e}, ed); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("submitting on a retired rating: %v", err)
	}
}
