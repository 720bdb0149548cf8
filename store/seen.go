package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// seenFlushEvery is how often the "last seen" of sessions and API tokens is
// written. Requests only note it in memory: a read that wrote failed with
// "database is locked" while a long import held SQLite's write lock. A crash
// loses at most this much bookkeeping, never a write anyone was told of.
const seenFlushEvery = 30 * time.Second

// seen is the bookkeeping waiting for the next flush.
type seen struct {
	mu       sync.Mutex
	sessions map[int64]sessionSeen
	tokens   map[int64]time.Time
}

type sessionSeen struct{ lastSeen, expires time.Time }

func (s *seen) noteSession(id int64, lastSeen, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions == nil {
		s.sessions = map[int64]sessionSeen{}
	}
	if old, ok := s.sessions[id]; !ok || lastSeen.After(old.lastSeen) {
		s.sessions[id] = sessionSeen{lastSeen, expires}
	}
}

func (s *seen) noteToken(id int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens == nil {
		s.tokens = map[int64]time.Time{}
	}
	if old, ok := s.tokens[id]; !ok || at.After(old) {
		s.tokens[id] = at
	}
}

// session is what waits to be written for session id, if anything.
func (s *seen) session(id int64) (sessionSeen, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sessions[id]
	return v, ok
}

func (s *seen) token(id int64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.tokens[id]
	return v, ok
}

// take empties the bookkeeping and returns it.
func (s *seen) take() (map[int64]sessionSeen, map[int64]time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, tok := s.sessions, s.tokens
	s.sessions, s.tokens = nil, nil
	return sess, tok
}

// FlushSeen writes the "last seen" bookkeeping noted since the last flush,
// in one short transaction. What it could not write is kept for the next.
func (db *DB) FlushSeen(ctx context.Context) error {
	sess, tok := db.seen.take()
	if len(sess) == 0 && len(tok) == 0 {
		return nil
	}
	err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for id, v := range sess {
			// A later expiry only: a flush never shortens a session another
			// replica extended meanwhile.
			if err := tx.Model(&models.Session{}).Where("id = ? AND last_seen < ?", id, v.lastSeen).
				Updates(map[string]any{"last_seen": v.lastSeen, "expires_at": v.expires}).Error; err != nil {
				return err
			}
		}
		for id, at := range tok {
			if err := tx.Model(&models.APIToken{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, at).
				Update("last_used_at", at).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for id, v := range sess {
			db.seen.noteSession(id, v.lastSeen, v.expires)
		}
		for id, at := range tok {
			db.seen.noteToken(id, at)
		}
		return fmt.Errorf("write last seen: %w", err)
	}
	return nil
}

// flushSeenEvery flushes until ctx ends. A failed flush is retried on the
// next tick: the bookkeeping is best effort.
func (db *DB) flushSeenEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fctx, cancel := context.WithTimeout(ctx, every)
			_ = db.FlushSeen(fctx)
			cancel()
		}
	}
}
