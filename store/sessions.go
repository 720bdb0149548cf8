package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// Session lifetimes: a session lapses after SessionIdle without use, and
// after SessionMaxAge whatever its use, so a stolen cookie does not live for ever.
const (
	SessionIdle   = 7 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
	// sessionTouch is how stale last_seen may get before a request notes it
	// for the next flush (seen.go).
	sessionTouch = 5 * time.Minute
)

// CreateSession starts a session for a user and returns the token to put in
// its cookie. Only the token's hash is stored; the CSRF token is stored as
// is, since the pages must print it.
func (db *DB) CreateSession(ctx context.Context, userID int64) (token string, s *models.Session, err error) {
	token, err = randomToken("")
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken("")
	if err != nil {
		return "", nil, err
	}
	now := db.Now()
	s = &models.Session{UserID: userID, TokenHash: HashToken(token), CSRFToken: csrf, CreatedAt: now, LastSeen: now,
		ExpiresAt: sessionExpiry(now, now)}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		// Expired sessions are swept here, at the rare moment someone signs in.
		if err := tx.Where("expires_at < ?", now).Delete(&models.Session{}).Error; err != nil {
			return fmt.Errorf("sweep sessions: %w", err)
		}
		if err := mustBeActiveUser(tx, userID, "user_id"); err != nil {
			return err
		}
		if err := tx.Create(s).Error; err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, s, nil
}

// SessionUser returns the live session of a cookie token and its user. An
// unknown, expired or disabled one is unauthorized. Use extends the session
// within SessionMaxAge.
func (db *DB) SessionUser(ctx context.Context, token string) (*models.Session, *models.User, error) {
	g := db.gorm.WithContext(ctx)
	var s models.Session
	if err := byTokenHash(g, token, &s, "session", "your session has ended: sign in again"); err != nil {
		return nil, nil, err
	}
	if p, ok := db.seen.session(s.ID); ok && p.lastSeen.After(s.LastSeen) {
		s.LastSeen, s.ExpiresAt = p.lastSeen, p.expires
	}
	now := db.Now()
	if !now.Before(s.ExpiresAt) {
		return nil, nil, models.Errorf(models.EUNAUTHORIZED, "your session has expired: sign in again")
	}
	u, err := signedInUser(g, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(s.LastSeen) > sessionTouch {
		s.LastSeen, s.ExpiresAt = now, sessionExpiry(s.CreatedAt, now)
		db.seen.noteSession(s.ID, s.LastSeen, s.ExpiresAt)
	}
	return &s, u, nil
}

// DeleteSession ends the session of a cookie token; ending one that does
// not exist is not an error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("token_hash = ?", HashToken(token)).Delete(&models.Session{}).Error; err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

func sessionExpiry(created, now time.Time) time.Time {
	exp := now.Add(SessionIdle)
	if limit := created.Add(SessionMaxAge); exp.After(limit) {
		return limit
	}
	return exp
}

// HashToken is how session and API tokens are stored: SHA-256, hex. The
// tokens are 256 random bits, so a fast hash is enough; a stolen table
// gives nothing to sign in with.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// byTokenHash reads into row the session or API token (what) whose hash is
// that of token. An unknown token is unauthorized, saying gone.
func byTokenHash(g *gorm.DB, token string, row any, what, gone string) error {
	err := g.Where("token_hash = ?", HashToken(token)).First(row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Errorf(models.EUNAUTHORIZED, "%s", gone)
	} else if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// signedInUser reads the user a session or API token signs in as; a
// disabled account is unauthorized.
func signedInUser(g *gorm.DB, id int64) (*models.User, error) {
	u, err := getUser(g, id)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, models.Errorf(models.EUNAUTHORIZED, "this account is disabled")
	}
	return u, nil
}

// randomToken is prefix followed by 32 random bytes in URL-safe base64.
func randomToken(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// loginFailure is one failed sign-in: the account tried and the address it
// came from. The password is never kept.
type loginFailure struct {
	ID        int64
	Email     string
	Address   string
	CreatedAt time.Time
}

func (loginFailure) TableName() string { return "login_failures" }

// CountLoginFailures returns the failed sign-ins of email (any case) from
// address since pairSince, with the latest, and those of address since
// addressSince, with the oldest (zero times when there is none).
func (db *DB) CountLoginFailures(ctx context.Context, email, address string, pairSince, addressSince time.Time) (models.SignInFailures, error) {
	g := db.gorm.WithContext(ctx)
	var out models.SignInFailures
	var err error
	pair := g.Model(&loginFailure{}).Where("email = ? AND address = ? AND created_at >= ?", normalizeEmail(email), address, pairSince)
	if out.Pair, out.LastPair, err = countFailures(pair, "created_at DESC"); err != nil {
		return models.SignInFailures{}, err
	}
	addr := g.Model(&loginFailure{}).Where("address = ? AND created_at >= ?", address, addressSince)
	if out.Address, out.OldestAddress, err = countFailures(addr, "created_at"); err != nil {
		return models.SignInFailures{}, err
	}
	return out, nil
}

// countFailures counts the rows of q and returns the created_at of the
// first in order.
func countFailures(q *gorm.DB, order string) (int64, time.Time, error) {
	var n int64
	if err := q.Session(&gorm.Session{}).Count(&n).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	// The row read whole, not MIN/MAX(created_at): SQLite would hand the
	// aggregate back as text.
	var first loginFailure
	if err := q.Session(&gorm.Session{}).Order(order).First(&first).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	return n, first.CreatedAt, nil
}

// RecordLoginFailure notes a failed sign-in and forgets those older than
// keep, so the table stays as small as the windows it serves.
func (db *DB) RecordLoginFailure(ctx context.Context, email, address string, keep time.Duration) error {
	now := db.Now()
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", now.Add(-keep)).Delete(&loginFailure{}).Error; err != nil {
			return fmt.Errorf("forget old failed sign-ins: %w", err)
		}
		f := loginFailure{Email: normalizeEmail(email), Address: address, CreatedAt: now}
		if err := tx.Create(&f).Error; err != nil {
			return fmt.Errorf("record failed sign-in: %w", err)
		}
		return nil
	})
}

// ClearLoginFailures forgets the failed sign-ins of one account from one
// address after a successful one from there. Failures from other addresses
// stay: the owner signing in must not give a guesser elsewhere a fresh
// start. So do failures against other accounts, in the count of the address
// too: signing in to one account must not reset the count of guesses
// against others.
func (db *DB) ClearLoginFailures(ctx context.Context, email, address string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("email = ? AND address = ?", normalizeEmail(email), address).Delete(&loginFailure{}).Error; err != nil {
			return fmt.Errorf("clear failed sign-ins: %w", err)
		}
		return nil
	})
}

func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
