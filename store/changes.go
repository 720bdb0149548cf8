package store

import (
	"context"
	"os"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Changes tells a cache, without a query, whether anything may have been
// written since it last looked. Every write transaction of this process
// moves the generation on after it commits. Writes of other processes move
// it too: on PostgreSQL each write transaction sends a NOTIFY that every
// replica LISTENs for; on SQLite the database and WAL files' size and time
// change with every commit, whoever made it. Until the listener is
// connected (or after it lost its connection) Generation reports ok=false,
// and a cache must ask the database.
type changes struct {
	gen      atomic.Uint64
	tracking atomic.Bool
	files    []string // SQLite: the WAL file
	// seen is the files' latest signature and when it was taken.
	seen atomic.Pointer[filesSeen]
}

// notifyChannel is the PostgreSQL channel write transactions notify.
const notifyChannel = "factdesk_changes"

// Generation returns a number that changes whenever the database may have
// changed. ok is false when changes cannot be tracked right now.
func (db *DB) Generation() (gen uint64, ok bool) {
	if !db.changes.tracking.Load() {
		return 0, false
	}
	return db.changes.gen.Load() ^ db.changes.filesSignature(), true
}

// statReuse is how long a signature of the files answers for them. Under
// load a stat per request was 8% of a cached page's cost; requests that
// come within this window share one. A write by this process is never
// missed, since it moves gen itself; one by another process is seen within
// the window, far less than PostgreSQL's notifications take to arrive.
const statReuse = 250 * time.Microsecond

type filesSeen struct {
	at  time.Duration // since monoStart, taken before the stat
	sig uint64
}

// monoStart anchors a monotonic clock: time.Since reads the monotonic one.
var monoStart = time.Now()

// filesSignature folds the size and modification time of the SQLite WAL
// into one number: another process's commit changes at least one of them.
func (c *changes) filesSignature() uint64 {
	if len(c.files) == 0 {
		return 0
	}
	now := time.Since(monoStart)
	if s := c.seen.Load(); s != nil && now >= s.at && now-s.at < statReuse {
		return s.sig
	}
	next := &filesSeen{at: now, sig: c.statFiles()}
	// Concurrent stats race to store theirs; the one taken last wins, so
	// the window never starts earlier than the newest stat.
	for {
		old := c.seen.Load()
		if old != nil && old.at >= next.at || c.seen.CompareAndSwap(old, next) {
			break
		}
	}
	return next.sig
}

func (c *changes) statFiles() uint64 {
	var sig uint64
	for _, f := range c.files {
		fi, err := os.Stat(f)
		if err != nil {
			continue // no WAL yet
		}
		sig = sig*1000003 ^ uint64(fi.Size())
		sig = sig*1000003 ^ uint64(fi.ModTime().UnixNano())
	}
	return sig
}

// committed moves the generation on after a write transaction.
func (c *changes) committed() { c.gen.Add(1) }

// trackSQLite watches the files of a SQLite database at path.
func (c *changes) trackSQLite(path string) {
	if path == "" || path == ":memory:" {
		return // nothing to watch: never claim to track
	}
	// Every commit appends to the WAL (a checkpoint only copies what a
	// commit appended there first), so the WAL alone tells: one stat.
	c.files = []string{path + "-wal"}
	c.tracking.Store(true)
}

// listenPostgres keeps a connection LISTENing for the notifications of
// every replica's writes until ctx ends, reconnecting after a failure.
func (c *changes) listenPostgres(ctx context.Context, dsn string) {
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				// Anything may have happened while nobody listened.
				c.gen.Add(1)
				c.tracking.Store(true)
				for err == nil {
					_, err = conn.WaitForNotification(ctx)
					c.gen.Add(1)
				}
			}
			c.tracking.Store(false)
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// notifyWrite tells the other replicas, at commit, that this transaction wrote.
func notifyWrite(tx *gorm.DB) error {
	return tx.Exec("SELECT pg_notify(?, '')", notifyChannel).Error
}
