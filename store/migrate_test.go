package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"factdesk/models"
)

// A database made by the first migration, with rows in it, upgrades in
// place: the rows stay and the later features work on them.
func TestMigrateUpgradesFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := Open(ctx, path, Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	g := old.gorm.WithContext(ctx)
	for _, stmt := range []string{
		`INSERT INTO documents (id, body, content_hash, created_at, updated_at) VALUES (1, 'Moscow warned about 23,000 terrorists.', 'x', ?, ?)`,
		`INSERT INTO claims (id, document_id, start, "end", exact, text, kind, origin, status, created_at, updated_at) VALUES (1, 1, 20, 37, '23,000 terrorists', '23,000 terrorists', 'statistic', 'manual', 'open', ?, ?)`,
	} {
		if err := g.Exec(stmt, now, now).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if v, _ := old.CurrentSchema(ctx); v != 1 {
		t.Fatalf("schema %d, want 1", v)
	}
	old.Close()

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, _ := db.CurrentSchema(ctx); v != SchemaVersion() {
		t.Fatalf("schema %d after upgrade, want %d", v, SchemaVersion())
	}
	c, err := db.GetClaim(ctx, 1)
	if err != nil || c.Exact != "23,000 terrorists" {
		t.Fatalf("claim after upgrade: %+v, %v", c, err)
	}
	hits, err := db.Search(ctx, "terrorists", SearchOptions{})
	if err != nil || len(hits) != 2 {
		t.Fatalf("search over rows from before the upgrade: %+v, %v", hits, err)
	}
	// The term index's backfill writes what its triggers write.
	type row struct {
		Term   string
		Impact float64
	}
	var filled, rewritten []row
	if err := db.gorm.Raw(`SELECT term, impact FROM claim_terms WHERE claim_id = 1 ORDER BY term`).Scan(&filled).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.gorm.Exec(`UPDATE claims SET text = text WHERE id = 1`).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.gorm.Raw(`SELECT term, impact FROM claim_terms WHERE claim_id = 1 ORDER BY term`).Scan(&rewritten).Error; err != nil {
		t.Fatal(err)
	}
	if len(filled) == 0 || fmt.Sprint(filled) != fmt.Sprint(rewritten) {
		t.Errorf("term index after the upgrade %v, after a write %v", filled, rewritten)
	}
	u := models.User{Email: "a@example.org", Name: "A", Role: models.RoleEditor}
	if err := db.CreateUser(ctx, &u, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if err := db.gorm.Create(&models.Session{UserID: u.ID, TokenHash: "h", CSRFToken: "c", CreatedAt: now, ExpiresAt: now, LastSeen: now}).Error; err != nil {
		t.Fatalf("sessions table after upgrade: %v", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.gorm.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', ?)", SchemaVersion()+1, time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path, Options{}); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("open a newer schema: %v, want conflict", err)
	}
}
