// Package storetest builds real databases for tests: a SQLite file in a
// temporary directory or, on a PostgreSQL run, a fresh schema on the server
// named by FACTDESK_TEST_POSTGRES; migrated, and removed when the test ends.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"factdesk/models"
	"factdesk/store"
)

// Open returns a new, migrated database on the engine of the current run
// (see Main): a SQLite file in a temporary directory, or a PostgreSQL schema
// of its own, dropped when the test ends.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	return OpenDSN(tb, DSN(tb))
}

// OpenPath opens (and migrates) the SQLite database at path, closing it at
// the end of the test.
func OpenPath(tb testing.TB, path string) *store.DB {
	tb.Helper()
	return OpenDSN(tb, path)
}

// OpenDSN opens (and migrates) the database named by dsn, closing it at the
// end of the test.
func OpenDSN(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the name of a new, empty database on the engine of the
// current run, for a test that opens it itself (or hands it to a process).
func DSN(tb testing.TB) string {
	tb.Helper()
	// Read the variable inside the test, where go test records it: a cached
	// result is then not reused when the variable changes.
	os.Getenv(PostgresEnv)
	if Engine() == store.Postgres {
		return PostgresDSN(tb)
	}
	return filepath.Join(tb.TempDir(), "factdesk.db")
}

// User creates a user with the given role and a valid password, returning it.
func User(tb testing.TB, db *store.DB, email string, role models.Role) *models.User {
	tb.Helper()
	u := &models.User{Email: email, Name: email, Role: role}
	if err := db.CreateUser(context.Background(), u, Password); err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Password is the password of users made by User.
const Password = "correct horse battery staple"

// Document stores a document with body and no listed claims.
func Document(tb testing.TB, db *store.DB, body string, actor *models.User) *models.Document {
	tb.Helper()
	d := &models.Document{Title: "Test document", Body: body}
	if err := db.CreateDocument(context.Background(), d, nil, actor); err != nil {
		tb.Fatalf("create document: %v", err)
	}
	return d
}

// Claim stores an open claim on the span [start, end) of d.
func Claim(tb testing.TB, db *store.DB, d *models.Document, start, end int, actor *models.User) *models.Claim {
	tb.Helper()
	c := &models.Claim{DocumentID: &d.ID, Anchor: models.Anchor{Start: start, End: end}, Kind: models.KindStatistic}
	if err := db.CreateClaim(context.Background(), c, actor); err != nil {
		tb.Fatalf("create claim: %v", err)
	}
	return c
}

// FigureBody is the document of FigureClaim.
const FigureBody = "The minister said unemployment fell by 4 per cent last year."

// FigureClaim stores FigureBody as a document and an open claim on its
// figure, "unemployment fell by 4 per cent", by actor.
func FigureClaim(tb testing.TB, db *store.DB, actor *models.User) *models.Claim {
	tb.Helper()
	d := Document(tb, db, FigureBody, actor)
	start := strings.Index(FigureBody, "unemployment")
	return Claim(tb, db, d, start, start+len("unemployment fell by 4 per cent"), actor)
}

// Publish takes claim id through the workflow to a published verdict: ed
// starts it and submits rating with the explanation why, rev approves. It
// returns the claim as published.
func Publish(tb testing.TB, db *store.DB, id int64, rating models.Rating, why string, ed, rev *models.User) *models.Claim {
	tb.Helper()
	var c *models.Claim
	for _, step := range []struct {
		in models.TransitionInput
		by *models.User
	}{
		{models.TransitionInput{Action: models.ActionStart}, ed},
		{models.TransitionInput{Action: models.ActionSubmit, Rating: &rating, Explanation: &why}, ed},
		{models.TransitionInput{Action: models.ActionApprove}, rev},
	} {
		var err error
		if c, err = Transition(context.Background(), db, id, step.in, step.by); err != nil {
			tb.Fatalf("%s: %v", step.in.Action, err)
		}
	}
	return c
}

// AllClaims is store.AllClaims for tests: a failure fails the test.
func AllClaims(tb testing.TB, db *store.DB, f models.ClaimFilter) []models.Claim {
	tb.Helper()
	out, err := db.AllClaims(context.Background(), f)
	if err != nil {
		tb.Fatalf("list claims: %v", err)
	}
	return out
}

// Orphaned stores a document with body and an open claim on its words
// quote, then edits the body, replacing old with new, so that the claim
// loses its place. It returns the document as edited, the orphaned claim
// and the new body.
func Orphaned(tb testing.TB, db *store.DB, body, quote, old, new string, actor *models.User) (*models.Document, *models.Claim, string) {
	tb.Helper()
	ctx := context.Background()
	d := Document(tb, db, body, actor)
	i := strings.Index(body, quote)
	if i < 0 {
		tb.Fatalf("%q is not in the body", quote)
	}
	start := utf8.RuneCountInString(body[:i])
	c := Claim(tb, db, d, start, start+utf8.RuneCountInString(quote), actor)
	edited := strings.Replace(body, old, new, 1)
	d, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &edited}, actor)
	if err != nil {
		tb.Fatalf("edit document: %v", err)
	}
	if c, err = db.GetClaim(ctx, c.ID); err != nil || !c.Orphaned {
		tb.Fatalf("the claim kept its place after the edit: %+v, %v", c, err)
	}
	return d, c, edited
}

// Transition takes one workflow step on the claim as it stands now, naming
// its current version as an editor's form would.
func Transition(ctx context.Context, db *store.DB, id int64, in models.TransitionInput, actor *models.User) (*models.Claim, error) {
	c, err := db.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.TransitionClaim(ctx, id, c.Version, in, actor)
}
