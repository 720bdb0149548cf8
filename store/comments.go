package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"factdesk/models"
)

// EntityComment names comments in the history.
const EntityComment = "comment"

// CommentDetail is a comment with its author's name, for the thread.
type CommentDetail struct {
	models.Comment
	Author string `json:"author"`
}

// CreateComment adds a comment to a claim with its revision, and tells
// every user it mentions, in the same transaction.
func (db *DB) CreateComment(ctx context.Context, c *models.Comment, actor *models.User) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getClaim(tx, c.ClaimID); err != nil {
			return err
		}
		now := db.Now()
		c.ID, c.UserID, c.Version, c.CreatedAt, c.UpdatedAt = 0, userID(actor), 1, now, now
		if err := tx.Create(c).Error; err != nil {
			return fmt.Errorf("create comment: %w", err)
		}
		if err := db.record(tx, change{entity: EntityComment, entityID: c.ID, claimID: &c.ClaimID, action: "create", actor: actor, after: c, summary: "comment"}); err != nil {
			return err
		}
		return db.mentionEvents(tx, c, nil, actor)
	})
}

// UpdateComment edits a comment's body: only its author, within
// models.CommentEditWindow, on the version they read. A newly mentioned
// user is told; one already mentioned is not told again.
func (db *DB) UpdateComment(ctx context.Context, claimID, id int64, version int, body string, actor *models.User) (*models.Comment, error) {
	var out *models.Comment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := get[models.Comment](tx, EntityComment, id)
		if err != nil {
			return err
		}
		if old.ClaimID != claimID {
			return models.Errorf(models.ENOTFOUND, "comment %d not found", id)
		}
		if err := old.MayEdit(actor, db.Now()); err != nil {
			return err
		}
		if version != old.Version {
			return models.Conflict(old, "the comment was changed since you opened it (now version %d, yours %d)", old.Version, version)
		}
		c := *old
		c.Body = body
		if err := c.Validate(); err != nil {
			return err
		}
		if err := db.update(tx, old, &c, change{entity: EntityComment, entityID: id, claimID: &c.ClaimID, action: "update", actor: actor, summary: "comment edited"}); err != nil {
			return err
		}
		out = &c
		return db.mentionEvents(tx, &c, old, actor)
	})
	return out, err
}

func (db *DB) mentionEvents(tx *gorm.DB, c, old *models.Comment, actor *models.User) error {
	var users []models.User
	if err := tx.Where("disabled = ?", false).Order("id").Find(&users).Error; err != nil {
		return fmt.Errorf("mentions: %w", err)
	}
	already := map[int64]bool{}
	if old != nil {
		for _, u := range models.Mentions(old.Body, users) {
			already[u.ID] = true
		}
	}
	for _, u := range models.Mentions(c.Body, users) {
		if already[u.ID] {
			continue
		}
		n := models.Notification{UserID: u.ID, Event: models.EventMentioned, ClaimID: &c.ClaimID, ActorID: userID(actor),
			Summary: "mentioned you in a comment" + byName(actor)}
		if err := db.notify(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// ListComments returns a claim's thread, oldest first.
func (db *DB) ListComments(ctx context.Context, claimID int64) ([]CommentDetail, error) {
	g := db.gorm.WithContext(ctx)
	if _, err := getClaim(g, claimID); err != nil {
		return nil, err
	}
	var out []CommentDetail
	err := g.Table("comments").Select("comments.*, COALESCE(users.name, '') AS author").
		Joins("LEFT JOIN users ON users.id = comments.user_id").
		Where("comments.claim_id = ?", claimID).Order("comments.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	return out, nil
}
