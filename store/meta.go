package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// meta is a small key/value table for facts about the database itself, such
// as "the demo document was imported once".
type meta struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (meta) TableName() string { return "meta" }

// Meta returns the value stored under key, "" when there is none.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var m meta
	err := db.gorm.WithContext(ctx).Where("key = ?", key).First(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read meta: %w", err)
	}
	return m.Value, nil
}

// SetMeta stores value under key.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	return setMeta(db.gorm.WithContext(ctx), key, value)
}

func setMeta(tx *gorm.DB, key, value string) error {
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
		Create(&meta{Key: key, Value: value}).Error
	if err != nil {
		return fmt.Errorf("write meta: %w", err)
	}
	return nil
}
