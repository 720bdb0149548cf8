package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for schema set-up
	_ "github.com/mattn/go-sqlite3"    // the "sqlite3" database/sql driver, for Raw

	"factdesk/store"
)

// PostgresEnv names the environment variable holding the DSN of the
// PostgreSQL server the tests may use (a postgres:// URL). Each test gets a
// schema of its own there, dropped when it ends.
const PostgresEnv = "FACTDESK_TEST_POSTGRES"

// engine is the engine of the current run of the tests; Main sets it.
var engine = store.SQLite

// Engine returns store.SQLite or store.Postgres: the engine the current run
// of the package's tests is on.
func Engine() string { return engine }

// Main runs a package's tests once on SQLite and, when FACTDESK_TEST_POSTGRES
// holds a DSN, once more on PostgreSQL, so that one set of tests covers
// both engines. Call it from TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
func Main(m *testing.M) {
	flag.Parse()
	engine = store.SQLite
	fmt.Println("storetest: running the tests on SQLite")
	code := m.Run()
	if dsn := os.Getenv(PostgresEnv); dsn != "" && listing() == "" {
		engine = store.Postgres
		fmt.Printf("storetest: running the tests on PostgreSQL (%s)\n", redact(dsn))
		if c := m.Run(); c != 0 {
			code = c
		}
		if admin != nil {
			admin.Close()
		}
	}
	os.Exit(code)
}

// listing is the value of -test.list: listing tests runs nothing, once is enough.
func listing() string {
	if f := flag.Lookup("test.list"); f != nil {
		return f.Value.String()
	}
	return ""
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// PostgresDSN creates a schema of its own on the server named by
// FACTDESK_TEST_POSTGRES and returns a DSN whose search_path is that schema.
// The schema is dropped when the test ends. Without the variable the test
// is skipped.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("no PostgreSQL server: set %s to a postgres:// URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil || store.Dialect(base) != store.Postgres {
		tb.Fatalf("%s must be a postgres:// URL, not %q", PostgresEnv, redact(base))
	}
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			adminErr = admin.PingContext(context.Background())
		}
	})
	if adminErr != nil {
		tb.Fatalf("PostgreSQL server of %s does not answer: %v", PostgresEnv, adminErr)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "factdesk_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Raw opens a plain database/sql handle on dsn (either engine), for tests
// that must reach under the store, such as writing a schema version from
// the future. It is closed when the test ends.
func Raw(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	driver, name := "sqlite3", dsn
	if store.Dialect(dsn) == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		tb.Fatalf("open %s: %v", driver, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}

// HoldWriteLock makes another writer hold the database of dsn, as a long
// import would: SQLite's write lock, or on PostgreSQL an exclusive lock on
// the tables named (reads go on, writes wait). release ends it; it is
// also called when the test ends.
func HoldWriteLock(tb testing.TB, dsn string, tables ...string) (release func()) {
	tb.Helper()
	ctx := context.Background()
	conn, err := Raw(tb, dsn).Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	lock := "BEGIN IMMEDIATE"
	if store.Dialect(dsn) == store.Postgres {
		lock = "BEGIN; LOCK TABLE " + strings.Join(tables, ", ") + " IN EXCLUSIVE MODE"
	}
	if _, err := conn.ExecContext(ctx, lock); err != nil {
		tb.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
		})
	}
	tb.Cleanup(release)
	return release
}
