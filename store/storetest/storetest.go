// Package storetest builds real databases for tests: a SQLite file in a
// temporary directory or, on a PostgreSQL run, a fresh schema on the server
// named by FACTDESK_TEST_POSTGRES; migrated, and removed when the test ends.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
