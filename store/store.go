// Package store keeps Factdesk's data with gorm: SQLite by default, or
// PostgreSQL. Every exported write runs in one transaction that also writes
// its Revision.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"factdesk/models"
)

// Dialects the store speaks.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Options tune how a database is opened.
type Options struct {
	// MaxOpenConns and MaxIdleConns bound the connection pool (0: defaults).
	MaxOpenConns int
	MaxIdleConns int
	// NoMigrate opens the database without migrating it.
	NoMigrate bool
	// TwoPerson is the newsroom's two-person rule; "" is
	// models.TwoPersonOverride.
	TwoPerson models.TwoPersonRule
	// MaxCandidates is how many proposals of detection a document holds at
	// most, untriaged (0: DefaultMaxCandidates).
	MaxCandidates int
}

// defaultMaxIdle is how many idle connections the pool keeps when the
// options do not say: enough for the requests a busy server runs at once.
const defaultMaxIdle = 32

// DB is an open Factdesk database.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string
	changes changes
	stop    context.CancelFunc // ends the change listener
	terms   termCache          // SQLite search: document frequencies of terms
	seen    seen               // last seen of sessions and tokens, until flushed
	scale   scaleCache         // the rating scale, while nothing was written
	// twoPerson is the rule approvals follow.
	twoPerson models.TwoPersonRule
	// maxCandidates bounds the untriaged proposals of a document.
	maxCandidates int
	// path is the SQLite file ("" on PostgreSQL); river, once made, the
	// pool River works on (see riverPool).
	path      string
	riverOnce sync.Once
	river     *sql.DB
	// Now is the clock; tests may replace it.
	Now func() time.Time
	// outboxWake tells this replica's delivery worker of a new delivery.
	outboxWake chan struct{}
}

// sqliteDriver registers mattn/go-sqlite3 with Factdesk's ranking function
// for full-text search, once per process.
const sqliteDriver = "sqlite3_factdesk"

var registerOnce sync.Once

func registerSQLite() {
	registerOnce.Do(func() {
		sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{
			ConnectHook: func(conn *sqlite3.SQLiteConn) error {
				return conn.RegisterFunc("factdesk_rank", rankMatchinfo, true)
			},
		})
	})
}

// Dialect returns SQLite or Postgres for a DSN: a postgres:// or
// postgresql:// URL is PostgreSQL, anything else a SQLite file.
func Dialect(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open opens the database named by dsn and migrates it to the current schema.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, models.Errorf(models.EINVALID, "no database given")
	}
	if opts.MaxCandidates < 0 {
		return nil, models.Errorf(models.EINVALID, "the most candidates per document is a positive number, not %d", opts.MaxCandidates)
	}
	if opts.MaxCandidates == 0 {
		opts.MaxCandidates = DefaultMaxCandidates
	}
	if opts.TwoPerson != "" && !opts.TwoPerson.Valid() {
		return nil, models.Errorf(models.EINVALID, "the two-person rule is override or strict, not %q", opts.TwoPerson)
	}
	cfg := &gorm.Config{
		TranslateError: true,
		Logger:         logger.Discard,
		NowFunc:        now,
	}
	var (
		g   *gorm.DB
		err error
	)
	dialect := Dialect(dsn)
	switch dialect {
	case Postgres:
		g, err = openPostgres(dsn, cfg)
	default:
		registerSQLite()
		g, err = openSQLite(sqlite.Config{DriverName: sqliteDriver, DSN: sqliteDSN(dsn)}, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if opts.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(opts.MaxOpenConns)
	}
	if opts.MaxIdleConns > 0 {
		sqlDB.SetMaxIdleConns(opts.MaxIdleConns)
	} else {
		// database/sql keeps 2 idle connections by default: under load a
		// server then closes and reopens connections on most requests (for
		// SQLite a file open, a schema read and the pragmas each time; it
		// showed in the benchmark's profiles as sqlite3_close_v2).
		sqlDB.SetMaxIdleConns(defaultMaxIdle)
	}
	listenCtx, stop := context.WithCancel(context.Background())
	db := &DB{gorm: g, sql: sqlDB, dialect: dialect, Now: now, stop: stop, twoPerson: opts.TwoPerson, maxCandidates: opts.MaxCandidates, outboxWake: make(chan struct{}, 1)}
	if dialect == SQLite {
		db.path = dsn
	}
	if db.twoPerson == "" {
		db.twoPerson = models.TwoPersonOverride
	}
	if err := db.ping(ctx); err != nil {
		stop()
		sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if dialect == Postgres {
		go db.changes.listenPostgres(listenCtx, dsn)
	} else if !strings.ContainsAny(dsn, "?:") {
		db.changes.trackSQLite(dsn)
	}
	if !opts.NoMigrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	go db.flushSeenEvery(listenCtx, seenFlushEvery)
	return db, nil
}

// openSQLite opens a SQLite database. Opening reads the engine's version
// on a first connection, which sets WAL mode: replicas starting at once on
// a new file take turns for it, as ping does.
func openSQLite(c sqlite.Config, cfg *gorm.Config) (*gorm.DB, error) {
	giveUp := time.Now().Add(lockWait)
	for {
		g, err := gorm.Open(sqlite.New(c), cfg)
		if !isBusy(err) || time.Now().After(giveUp) {
			return g, err
		}
		if g != nil {
			if sqlDB, derr := g.DB(); derr == nil {
				sqlDB.Close()
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ping opens the first connection. On SQLite that sets WAL mode, which
// takes the lock for a moment: replicas starting at once on a new file
// wait for each other here as tx waits for the write lock.
func (db *DB) ping(ctx context.Context) error {
	giveUp := time.Now().Add(lockWait)
	for {
		err := db.sql.PingContext(ctx)
		if !isBusy(err) || time.Now().After(giveUp) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// now is the store's clock: UTC, to the microsecond, the finest time
// PostgreSQL keeps, so that a time written and read back is the same time
// on both engines.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// sqliteDSN adds the settings every connection needs: WAL, synchronous FULL
// so that an acknowledged commit survives a power cut, foreign keys, a
// short busy timeout (tx waits longer, as long as its context allows),
// immediate transactions so two writers queue instead of failing to upgrade
// a read lock, and the driver's cache of prepared statements per
// connection (compiling the UPDATE of a claim compiles the search index's
// triggers too). PostgreSQL's driver, pgx, caches them by default.
func sqliteDSN(path string) string {
	params := "_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=200&_txlock=immediate&_stmt_cache_size=256"
	if strings.Contains(path, "?") {
		return path + "&" + params
	}
	return "file:" + path + "?" + params
}

// Close writes the bookkeeping still in memory and closes the database.
func (db *DB) Close() error {
	db.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	flushErr := db.FlushSeen(ctx)
	var riverErr error
	if db.river != nil && db.river != db.sql {
		riverErr = db.river.Close()
	}
	return errors.Join(flushErr, riverErr, db.sql.Close())
}

// Dialect says which engine the database runs on.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.gorm.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Stats returns the connection pool's figures, for metrics.
func (db *DB) Stats() sql.DBStats { return db.sql.Stats() }

// tx runs fn in one transaction.
//
// On SQLite a transaction begins by taking the write lock (immediate
// transactions); while another writer holds it, tx waits in steps until
// ctx ends, so a request's budget bounds the wait: SQLite's own busy
// timeout sleeps without looking at the context. Only the begin is
// retried, before fn has run.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	giveUp := time.Now().Add(lockWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		began := false
		err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			began = true
			if err := fn(tx); err != nil {
				return err
			}
			if db.dialect == Postgres {
				return notifyWrite(tx)
			}
			return nil
		})
		// Moved on whether or not the commit went through: a failed commit
		// changes nothing, and one extra generation only costs a cache a query.
		db.changes.committed()
		if began || !isBusy(err) {
			return err
		}
		if _, ok := ctx.Deadline(); !ok && time.Now().After(giveUp) {
			return models.Errorf(models.EUNAVAILABLE, "the database is busy with another write: try again in a moment")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

// lockWait is how long tx waits for SQLite's write lock when ctx has no
// deadline (commands run from a shell), as long as the busy timeout of the
// connections once was.
const lockWait = 10 * time.Second

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && (e.Code == sqlite3.ErrBusy || e.Code == sqlite3.ErrLocked)
}

// notFound turns gorm's record-not-found into our not_found error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Errorf(models.ENOTFOUND, format, args...)
	}
	return err
}

// get reads the row of model T with the given ID; entity names it in the
// not_found error.
func get[T any](tx *gorm.DB, entity string, id int64) (*T, error) {
	var v T
	if err := tx.Take(&v, id).Error; err != nil {
		return nil, notFound(err, "%s %d not found", entity, id)
	}
	return &v, nil
}

// whereGiven narrows q to the rows whose column is v when a filter gives v;
// a filter's field left unset (zero) selects every row.
func whereGiven[T comparable](q *gorm.DB, column string, v T) *gorm.DB {
	var unset T
	if v == unset {
		return q
	}
	return q.Where(column+" = ?", v)
}

// ofClaim reads row id of T if it belongs to claim claimID; found is
// false when it does not, or no longer does (an approved correction skips
// a row removed while it waited). what names T in an error.
func ofClaim[T any](tx *gorm.DB, id, claimID int64, what string) (v *T, found bool, err error) {
	v = new(T)
	err = tx.Where("id = ? AND claim_id = ?", id, claimID).Take(v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", what, err)
	}
	return v, true, nil
}

// toEdit reads row id of T for a write based on version, the one the
// editor saw (versionOf reads the row's): a stale version gets a conflict
// carrying the row as it stands, and nothing is written.
func toEdit[T any](tx *gorm.DB, entity string, id int64, version int, versionOf func(*T) int) (*T, error) {
	v, err := get[T](tx, entity, id)
	if err != nil {
		return nil, err
	}
	if now := versionOf(v); version != now {
		return nil, models.Conflict(v, "the %s was changed by someone else since you opened it (now version %d, yours %d)", entity, now, version)
	}
	return v, nil
}

// countRows counts every row of model T; what names them in an error.
func countRows[T any](g *gorm.DB, what string) (int64, error) {
	var n int64
	if err := g.Model(new(T)).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count %s: %w", what, err)
	}
	return n, nil
}

// byKey reads the rows of q whose column is one of keys and returns them
// by key(row), in one query; no keys, no query. Where two rows share a key
// the later one stays, so q's order says which.
func byKey[T any](q *gorm.DB, column string, keys []int64, key func(T) int64) (map[int64]T, error) {
	out := map[int64]T{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []T
	if err := q.Where(column+" IN ?", keys).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[key(r)] = r
	}
	return out, nil
}

// idsOf returns the id that id finds in each of rows, in their order: the
// argument of a query for what the rows refer to (WHERE id IN ?).
func idsOf[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// userID is the ID of an actor, nil for the system (demo import, detection).
func userID(u *models.User) *int64 {
	if u == nil {
		return nil
	}
	id := u.ID
	return &id
}
