package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"factdesk/models"
)

// APITokenPrefix starts every API token, so a leaked one is recognisable
// (secret scanners, logs) as a Factdesk token.
const APITokenPrefix = "fdk_"

// tokenTouch is how stale last_used_at may get before a request notes it
// for the next flush (seen.go).
const tokenTouch = time.Minute

// CreateAPIToken makes a token for a user's integration and returns it in
// clear: this is the only time it is seen. Only its hash is stored.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (string, *models.APIToken, error) {
	name = strings.TrimSpace(name)
	f := models.FieldErrors{}
	switch {
	case name == "":
		f.Add("name", "is required: say what the token is for")
	case !utf8.ValidString(name) || strings.ContainsRune(name, 0):
		f.Add("name", "must be valid UTF-8 text")
	case utf8.RuneCountInString(name) > 100:
		f.Add("name", "must be at most 100 characters")
	}
	if err := f.Err(); err != nil {
		return "", nil, err
	}
	token, err := randomToken(APITokenPrefix)
	if err != nil {
		return "", nil, err
	}
	t := &models.APIToken{UserID: userID, Name: name, TokenHash: HashToken(token), CreatedAt: db.Now()}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := mustBeActiveUser(tx, userID, "user_id"); err != nil {
			return err
		}
		if err := tx.Create(t).Error; err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// ListAPITokens returns a user's tokens, revoked ones included, newest first.
func (db *DB) ListAPITokens(ctx context.Context, userID int64) ([]models.APIToken, error) {
	var out []models.APIToken
	if err := db.gorm.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	for i := range out {
		if at, ok := db.seen.token(out[i].ID); ok && (out[i].LastUsedAt == nil || at.After(*out[i].LastUsedAt)) {
			out[i].LastUsedAt = &at
		}
	}
	return out, nil
}

// RevokeAPIToken stops a token working. Only its owner or an admin may; to
// anyone else it does not exist. Revoking twice is harmless.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64, actor *models.User) (*models.APIToken, error) {
	var t models.APIToken
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&t, id).Error; err != nil {
			return notFound(err, "token %d not found", id)
		}
		if actor == nil || (t.UserID != actor.ID && !actor.IsAdmin()) {
			return models.Errorf(models.ENOTFOUND, "token %d not found", id)
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := db.Now()
		t.RevokedAt = &now
		if err := tx.Model(&models.APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// TokenUser returns the live token of a bearer and its user. An unknown,
// revoked or disabled one is unauthorized.
func (db *DB) TokenUser(ctx context.Context, token string) (*models.APIToken, *models.User, error) {
	g := db.gorm.WithContext(ctx)
	var t models.APIToken
	if err := byTokenHash(g, token, &t, "token", "this API token is not valid"); err != nil {
		return nil, nil, err
	}
	if t.RevokedAt != nil {
		return nil, nil, models.Errorf(models.EUNAUTHORIZED, "this API token was revoked")
	}
	u, err := signedInUser(g, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if at, ok := db.seen.token(t.ID); ok && (t.LastUsedAt == nil || at.After(*t.LastUsedAt)) {
		t.LastUsedAt = &at
	}
	now := db.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > tokenTouch {
		t.LastUsedAt = &now
		db.seen.noteToken(t.ID, now)
	}
	return &t, u, nil
}
