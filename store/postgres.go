package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// openPostgres opens dsn with customPlans.
func openPostgres(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	return gorm.Open(postgres.Open(customPlans(dsn)), cfg)
}

// customPlans adds plan_cache_mode=force_custom_plan to a DSN (a URL or
// key=value pairs) unless it sets the mode itself. pgx prepares every
// statement, and after five executions PostgreSQL may keep a generic plan
// that ignores the values: the term index's queries differ by orders of
// magnitude between a word held by 576 claims and one held by 462,430 (at
// a million claims a one-word search took 49 ms on its generic plan,
// 2.8 ms planned for its word).
func customPlans(dsn string) string {
	const mode = "plan_cache_mode=force_custom_plan"
	switch {
	case strings.Contains(dsn, "plan_cache_mode"):
		return dsn
	case strings.Contains(dsn, "://") && strings.Contains(dsn, "?"):
		return dsn + "&" + mode
	case strings.Contains(dsn, "://"):
		return dsn + "?" + mode
	}
	return dsn + " " + mode
}

// backupPostgres writes one consistent snapshot of a PostgreSQL database
// into a new SQLite file at path, the same kind of file a SQLite backup
// makes: it can be opened, served, or restored with
// 'factdesk copy --from FILE --to postgres://…'. For a database too large
// for one file, pg_dump is the tool (see the README).
func backupPostgres(ctx context.Context, db *DB, path string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	out, err := Open(ctx, path, Options{})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("backup: %w", cerr)
		}
		if err != nil {
			// Half a backup must not pass for one.
			err = errors.Join(err, removeSQLite(path))
		}
	}()
	if _, err := db.CopyTo(ctx, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// removeSQLite deletes a SQLite file with its write-ahead log.
func removeSQLite(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// migrationLock is the key of the advisory lock PostgreSQL sessions take
// while they migrate ("factdesk" in ASCII, read as a number).
const migrationLock = 0x666163746465736b

// lockMigrations makes migration steps of several processes take turns:
// on PostgreSQL with a transaction-scoped advisory lock; SQLite's immediate
// transactions already take the database's write lock when they begin.
func (db *DB) lockMigrations(tx *gorm.DB) error {
	if db.dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(migrationLock)).Error; err != nil {
		return fmt.Errorf("migrate: wait for other replicas: %w", err)
	}
	return nil
}

// tsQueryText makes what a person typed acceptable to websearch_to_tsquery,
// which reads any text but cannot be given a NUL: PostgreSQL text holds
// none. Control characters separate words, as SQLite's tokenizer takes them.
func tsQueryText(q string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
}
