package store_test

import (
	"context"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// TestStructureEdits: a body's structure is its markers, so an edit that
// adds, changes or removes them moves claims like any other edit of the
// text: each claim is found again at its words, its offsets counting the
// markers, and the blocks read the new structure.
func TestStructureEdits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	body := "The Figures\nThe ministry said unemployment fell by 4 per cent in March.\nOthers disagree."
	d := storetest.Document(t, db, body, ed)
	s, e := spanOf(t, body, "unemployment fell by 4 per cent")
	c := storetest.Claim(t, db, d, s, e, ed)

	edits := []struct {
		name, body string
		kinds      []models.BlockKind
	}{
		{"MarkersAdded", "## The Figures\n> The ministry said unemployment fell by 4 per cent in March.\n- Others disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockQuote, models.BlockBullet}},
		{"HeadingRenamedAndListAdded", "### Figures in dispute\n1. First: the ministry said unemployment fell by 4 per cent in March.\n2. Others disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockNumbered, models.BlockNumbered}},
		{"MarkersRemoved", "Figures in Dispute\nFirst: the ministry said unemployment fell by 4 per cent in March.\nOthers disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockParagraph, models.BlockParagraph}},
	}
	for _, ed2 := range edits {
		t.Run(ed2.name, func(t *testing.T) {
			cur, err := db.GetDocument(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, orphaned, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: cur.Version, Body: &ed2.body}, ed); err != nil || orphaned != 0 {
				t.Fatalf("update: %d orphaned, %v", orphaned, err)
			}
			got, err := db.GetClaim(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			ws, we := spanOf(t, ed2.body, "unemployment fell by 4 per cent")
			if got.Orphaned || got.Start != ws || got.End != we {
				t.Errorf("claim at %d-%d (orphaned %v), want %d-%d", got.Start, got.End, got.Orphaned, ws, we)
			}
			var kinds []models.BlockKind
			for _, b := range models.Blocks(ed2.body) {
				kinds = append(kinds, b.Kind)
			}
			if len(kinds) != len(ed2.kinds) {
				t.Fatalf("blocks %v, want %v", kinds, ed2.kinds)
			}
			for i := range kinds {
				if kinds[i] != ed2.kinds[i] {
					t.Errorf("blocks %v, want %v", kinds, ed2.kinds)
					break
				}
			}
		})
	}
}
