package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of a SQLite database to path while it
// stays in use (VACUUM INTO reads one snapshot). The file must not exist.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return backupPostgres(ctx, db, path)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := db.gorm.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
