package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

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
