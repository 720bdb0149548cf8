package store_test

import (
	"errors"
	"path/filepath"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func asError(err error, target **models.Error) bool { return errors.As(err, target) }

func TestBackupHoldsTheSameRows(t *testing.T) {
	db, ctx, ed := openDesk(t)
	d, _ := bodyClaim(t, db, ed)

	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Error("backup over an existing file succeeded")
	}
	copyDB := storetest.OpenPath(t, out)
	for _, f := range []models.ClaimFilter{{}, {DocumentID: d.ID}} {
		a, _ := db.ListClaims(ctx, f)
		b, _ := copyDB.ListClaims(ctx, f)
		if len(a.Claims) == 0 || len(a.Claims) != len(b.Claims) {
			t.Fatalf("claims: %d in the original, %d in the backup", len(a.Claims), len(b.Claims))
		}
		for i := range a.Claims {
			if a.Claims[i].Exact != b.Claims[i].Exact || a.Claims[i].Version != b.Claims[i].Version {
				t.Errorf("claim %d differs", a.Claims[i].ID)
			}
		}
	}
	ra, _ := db.ListRevisions(ctx, store.RevisionFilter{})
	rb, _ := copyDB.ListRevisions(ctx, store.RevisionFilter{})
	if len(ra) != len(rb) {
		t.Errorf("revisions: %d vs %d", len(ra), len(rb))
	}
	if hits, _ := copyDB.Search(ctx, "terrorists", store.SearchOptions{}); len(hits) == 0 {
		t.Error("search index missing in the backup")
	}
}
