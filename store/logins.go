package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
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

// LoginFailures counts the failed sign-ins since a moment, for one account
// and for one address, with the oldest of each (zero when there is none), so
// a caller can say when the next try will be allowed.
type LoginFailures struct {
	Email, Address             int64
	OldestEmail, OldestAddress time.Time
}

// CountLoginFailures returns the failed sign-ins since since for email (any
// case) and address.
func (db *DB) CountLoginFailures(ctx context.Context, email, address string, since time.Time) (LoginFailures, error) {
	g := db.gorm.WithContext(ctx)
	var out LoginFailures
	var err error
	if out.Email, out.OldestEmail, err = countFailures(g, "email", normalizeEmail(email), since); err != nil {
		return LoginFailures{}, err
	}
	if out.Address, out.OldestAddress, err = countFailures(g, "address", address, since); err != nil {
		return LoginFailures{}, err
	}
	return out, nil
}

func countFailures(g *gorm.DB, column, value string, since time.Time) (int64, time.Time, error) {
	q := g.Model(&loginFailure{}).Where(column+" = ? AND created_at >= ?", value, since)
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	// The oldest row read whole, not MIN(created_at): SQLite would hand the
	// aggregate back as text.
	var oldest loginFailure
	if err := g.Where(column+" = ? AND created_at >= ?", value, since).Order("created_at").First(&oldest).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	return n, oldest.CreatedAt, nil
}

// RecordLoginFailure notes a failed sign-in and forgets those older than
// keep, so the table stays as small as the window it serves.
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

// ClearLoginFailures forgets an account's failed sign-ins after a
// successful one. Failures against other accounts stay, in the count of
// their address too: signing in to one account must not reset the count of
// guesses against others.
func (db *DB) ClearLoginFailures(ctx context.Context, email string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("email = ?", normalizeEmail(email)).Delete(&loginFailure{}).Error; err != nil {
			return fmt.Errorf("clear failed sign-ins: %w", err)
		}
		return nil
	})
}

func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
