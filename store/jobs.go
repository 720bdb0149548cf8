package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// The job queue (package jobs) is River, on this database: its tables live
// beside Factdesk's and are migrated with them. River reaches the database
// only through the driver made here, so the SQL stays in store.
//
// Both engines use database/sql drivers: a job is enqueued on the very
// *sql.Tx a store write runs in (AfterWrite), so it exists if and only if
// the write committed. On PostgreSQL that rules out riverpgxv5, whose
// transactions are pgx.Tx, not gorm's; riverdatabasesql polls for new
// jobs instead of listening, which FetchPollInterval bounds.

// AfterWrite runs inside a store write's transaction once the write's rows
// are in; package jobs enqueues there. An error rolls the write back.
type AfterWrite func(ctx context.Context, tx *sql.Tx) error

// JobsDriver is River's driver on this database.
func (db *DB) JobsDriver() riverdriver.Driver[*sql.Tx] {
	if db.dialect == Postgres {
		return riverdatabasesql.New(db.sql)
	}
	return riversqlite.New(db.riverPool())
}

// riverPool is the connection River's own work uses on SQLite: one
// connection, as River's SQLite driver advises (its parallel maintenance
// otherwise trips over SQLite's single writer), waiting longer for the lock
// than requests do. A DSN with its own parameters (tests' shared memory)
// keeps the store's pool: a second pool on it might be another database.
func (db *DB) riverPool() *sql.DB {
	db.riverOnce.Do(func() {
		db.river = db.sql
		if db.path == "" || strings.ContainsAny(db.path, "?:") {
			return
		}
		p, err := sql.Open(sqliteDriver, "file:"+db.path+"?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=5000&_txlock=immediate")
		if err != nil {
			return
		}
		p.SetMaxOpenConns(1)
		db.river = p
	})
	return db.river
}

// migrateJobs brings River's tables up to date, one step per transaction
// (on PostgreSQL a step may use an enum value the step before added), each
// taken in turn by replicas starting at once, as Factdesk's own steps.
func (db *DB) migrateJobs(ctx context.Context) error {
	m, err := rivermigrate.New(db.JobsDriver(), nil)
	if err != nil {
		return fmt.Errorf("migrate the job queue: %w", err)
	}
	for _, step := range m.AllVersions() {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := db.lockMigrations(tx); err != nil {
				return err
			}
			done, err := m.ExistingVersionsTx(ctx, sqlTx(tx))
			if err != nil {
				return err
			}
			for _, d := range done {
				if d.Version == step.Version {
					return nil
				}
			}
			//lint:ignore SA1019 one step per transaction, as the deprecation asks; a transaction of ours, to hold the replicas' lock
			_, err = m.MigrateTx(ctx, sqlTx(tx), rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: step.Version})
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate the job queue: %w", err)
		}
	}
	return nil
}

// sqlTx is the database/sql transaction under a gorm transaction: the store
// opens gorm without prepared statements, so it is always one.
func sqlTx(tx *gorm.DB) *sql.Tx {
	return tx.Statement.ConnPool.(*sql.Tx)
}
