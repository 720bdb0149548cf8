package store_test

import (
	"context"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// openDesk is how most store tests begin: a new database on the engine of
// the run, a context, and one editor, ed@example.org, to act as.
func openDesk(tb testing.TB) (*store.DB, context.Context, *models.User) {
	tb.Helper()
	db := storetest.Open(tb)
	return db, context.Background(), storetest.User(tb, db, "ed@example.org", models.RoleEditor)
}

// bodyClaim stores the test document (body) and an open claim on its
// words "23,000 terrorists" (code points 24 to 41), by actor.
func bodyClaim(tb testing.TB, db *store.DB, actor *models.User) (*models.Document, *models.Claim) {
	tb.Helper()
	d := storetest.Document(tb, db, body, actor)
	return d, storetest.Claim(tb, db, d, 24, 41, actor)
}

// checkedStamp reads the stamp of claim id in SQL (ClaimStamp), and says
// so, naming when, unless it is the stamp computed from the claim as read
// (StampOf of GetClaimDetail), key and time: a page rendered from the
// detail must validate against the stamp.
func checkedStamp(tb testing.TB, db *store.DB, id int64, when string) store.ClaimStamp {
	tb.Helper()
	ctx := context.Background()
	got, err := db.ClaimStamp(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	detail, err := db.GetClaimDetail(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	if want := store.StampOf(detail); got.Key() != want.Key() || !got.LastModified.Equal(want.LastModified) {
		tb.Errorf("%s: ClaimStamp %s at %v, StampOf %s at %v", when, got.Key(), got.LastModified, want.Key(), want.LastModified)
	}
	return got
}

// openDeskOfTwo is openDesk with a second editor, rev@example.org: the
// two-person rule wants one editor to submit a verdict and another to
// approve it.
func openDeskOfTwo(tb testing.TB) (*store.DB, context.Context, *models.User, *models.User) {
	tb.Helper()
	db, ctx, ed := openDesk(tb)
	return db, ctx, ed, storetest.User(tb, db, "rev@example.org", models.RoleEditor)
}
