package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// Bylines names who checked a verdict: the editor who proposed it
// (submitted it for review) and the one who approved it. Names are
// display names, "" when nobody is recorded.
type Bylines struct {
	Checker  string
	Reviewer string
}

// bylinesOf reads the names of c's submitter and reviewer. A verdict an
// admin published alone (reviewer and submitter the same) has no reviewer.
func bylinesOf(g *gorm.DB, c *models.Claim) (Bylines, error) {
	var b Bylines
	name := func(id *int64) (string, error) {
		if id == nil {
			return "", nil
		}
		var u models.User
		err := g.Select("name").Take(&u, *id).Error
		if err != nil {
			return "", notFound(err, "user %d not found", *id)
		}
		return u.Name, nil
	}
	var err error
	if b.Checker, err = name(c.SubmitterID); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return b, fmt.Errorf("read bylines: %w", err)
	}
	if c.ReviewerID != nil && c.SubmitterID != nil && *c.ReviewerID == *c.SubmitterID {
		return b, nil
	}
	if b.Reviewer, err = name(c.ReviewerID); err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return b, fmt.Errorf("read bylines: %w", err)
	}
	return b, nil
}

// TeamMember is an active user as the newsroom's team page shows them:
// a display name and a role, never an email.
type TeamMember struct {
	Name string
	Role models.Role
}

// TeamStamp changes whenever the team page would: a user added (IDs only
// grow), renamed, given another role, disabled or enabled (each moves
// updated_at).
type TeamStamp struct {
	Count        int
	MaxID        int64
	LastModified time.Time
}

// Key is the stamp as a short string, for an ETag.
func (s TeamStamp) Key() string {
	return fmt.Sprintf("%d.%d.%d", s.Count, s.MaxID, s.LastModified.UnixNano())
}

// TeamStamp reads the stamp of the team page.
func (db *DB) TeamStamp(ctx context.Context) (TeamStamp, error) {
	var (
		s            TeamStamp
		created, upd flexTime
	)
	if _, err := db.row(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0), MAX(created_at), MAX(updated_at) FROM users`, nil,
		&s.Count, &s.MaxID, &created, &upd); err != nil {
		return TeamStamp{}, fmt.Errorf("team stamp: %w", err)
	}
	s.LastModified = later(created.t, upd.t)
	return s, nil
}

// Team lists the active users, admins first, then by name.
func (db *DB) Team(ctx context.Context) ([]TeamMember, error) {
	var users []models.User
	if err := db.gorm.WithContext(ctx).Select("name", "role").Where("disabled = ?", false).
		Order("CASE WHEN role = 'admin' THEN 0 ELSE 1 END, name, id").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("list team: %w", err)
	}
	out := make([]TeamMember, len(users))
	for i, u := range users {
		out[i] = TeamMember{Name: u.Name, Role: u.Role}
	}
	return out, nil
}

// UserNames returns the display names of users ids, by ID, in one query.
func (db *DB) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var users []models.User
	if err := db.gorm.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, fmt.Errorf("read names: %w", err)
	}
	for _, u := range users {
		out[u.ID] = u.Name
	}
	return out, nil
}

// BylinesOf is the bylines of c from names (UserNames).
func BylinesOf(c *models.Claim, names map[int64]string) Bylines {
	var b Bylines
	if c.SubmitterID != nil {
		b.Checker = names[*c.SubmitterID]
	}
	if c.ReviewerID != nil && (c.SubmitterID == nil || *c.ReviewerID != *c.SubmitterID) {
		b.Reviewer = names[*c.ReviewerID]
	}
	return b
}
