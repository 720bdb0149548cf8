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
