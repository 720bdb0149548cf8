package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// SourceUpdate is a partial edit of a source; nil fields stay as they are.
type SourceUpdate struct {
	Version     int
	URL         *string
	Title       *string
	Publisher   *string
	Author      *string
	PublishedOn **time.Time
	AccessedOn  **time.Time
	ArchiveURL  *string
	Kind        *models.SourceKind
	Notes       *string
	Summary     string
}

// CreateSource stores a source.
func (db *DB) CreateSource(ctx context.Context, s *models.Source, actor *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.createSource(tx, s, actor) })
}

func (db *DB) createSource(tx *gorm.DB, s *models.Source, actor *models.User) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	now := db.Now()
	s.ID, s.Version, s.CreatedAt, s.UpdatedAt = 0, 1, now, now
	if err := tx.Create(s).Error; err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	if err := db.wantArchive(tx, s.ID, s.URL); err != nil {
		return err
	}
	return db.record(tx, change{entity: models.EntitySource, entityID: s.ID, action: "create", actor: actor, after: s, summary: "source added"})
}

// GetSource returns one source.
func (db *DB) GetSource(ctx context.Context, id int64) (*models.Source, error) {
	return getSource(db.gorm.WithContext(ctx), id)
}

func getSource(tx *gorm.DB, id int64) (*models.Source, error) {
	return get[models.Source](tx, models.EntitySource, id)
}

// SourceWithUse is a source with how many claims cite it.
type SourceWithUse struct {
	models.Source
	Claims int64 `json:"claims"`
}

// SourceFilter selects sources; Query matches the title, URL or publisher.
type SourceFilter struct {
	Query string
	After int64
	Limit int
}

// ListSources returns sources, newest first, with their use counts.
func (db *DB) ListSources(ctx context.Context, f SourceFilter) ([]SourceWithUse, error) {
	q := db.gorm.WithContext(ctx).Table("sources").
		Select("sources.*, (SELECT COUNT(DISTINCT claim_id) FROM evidences WHERE evidences.source_id = sources.id) AS claims")
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("LOWER(title) LIKE LOWER(?) ESCAPE '\\' OR LOWER(url) LIKE LOWER(?) ESCAPE '\\' OR LOWER(publisher) LIKE LOWER(?) ESCAPE '\\'", like, like, like)
	}
	if f.After > 0 {
		q = q.Where("id < ?", f.After)
	}
	var out []SourceWithUse
	if err := q.Order("id DESC").Limit(limitOf(f.Limit)).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// UpdateSource edits a source based on version u.Version.
func (db *DB) UpdateSource(ctx context.Context, id int64, u SourceUpdate, actor *models.User) (*models.Source, error) {
	var out *models.Source
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := toEdit(tx, models.EntitySource, id, u.Version, func(s *models.Source) int { return s.Version })
		if err != nil {
			return err
		}
		s := *old
		setIf(&s.URL, u.URL)
		setIf(&s.Title, u.Title)
		setIf(&s.Publisher, u.Publisher)
		setIf(&s.Author, u.Author)
		setIf(&s.PublishedOn, u.PublishedOn)
		setIf(&s.AccessedOn, u.AccessedOn)
		setIf(&s.ArchiveURL, u.ArchiveURL)
		setIf(&s.Kind, u.Kind)
		setIf(&s.Notes, u.Notes)
		s.Normalize()
		if err := s.Validate(); err != nil {
			return err
		}
		out = &s
		if s.URL != old.URL {
			if err := db.wantArchive(tx, id, s.URL); err != nil {
				return err
			}
		}
		return db.update(tx, old, &s, change{entity: models.EntitySource, entityID: id, action: "update", actor: actor, summary: u.Summary})
	})
	return out, err
}

func escapeLike(s string) string {
	r := []rune{}
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}
