package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// orphan makes a document with a claim on "23,000 terrorists", then edits
// the body so that the quote is gone and the claim is orphaned.
func orphan(t *testing.T, db *store.DB, ed *models.User) (*models.Document, *models.Claim, string) {
	t.Helper()
	ctx := context.Background()
	d, c := bodyClaim(t, db, ed)
	edited := "Moscow’s warning about “twenty-three thousand fighters” went unheeded. It is naïve to think otherwise."
	d, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &edited}, ed)
	if err != nil {
		t.Fatal(err)
	}
	c, err = db.GetClaim(ctx, c.ID)
	if err != nil || !c.Orphaned {
		t.Fatalf("the claim is not orphaned after its quote was deleted: %+v, %v", c, err)
	}
	return d, c, edited
}

// spanOf is the code-point span of part in s.
func spanOf(t *testing.T, s, part string) (int, int) {
	t.Helper()
	i := strings.Index(s, part)
	if i < 0 {
		t.Fatalf("%q not in %q", part, s)
	}
	start := len([]rune(s[:i]))
	return start, start + len([]rune(part))
}

func TestPlaceClaim(t *testing.T) {
	db, ctx, ed := openDesk(t)

	t.Run("OK", func(t *testing.T) {
		d, c, edited := orphan(t, db, ed)
		start, end := spanOf(t, edited, "twenty-three thousand fighters")
		got, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: start, End: end, DocumentVersion: d.Version}, ed)
		if err != nil {
			t.Fatal(err)
		}
		want := models.Anchor{Start: start, End: end, Exact: "twenty-three thousand fighters", Prefix: "Moscow’s warning about “", Suffix: "” went unheeded. It is naïve to "}
		if got.Anchor != want || got.Orphaned || got.Version != c.Version+1 {
			t.Errorf("placed claim = %+v orphaned %v version %d, want %+v, not orphaned, version %d", got.Anchor, got.Orphaned, got.Version, want, c.Version+1)
		}
		stored, _ := db.GetClaim(ctx, c.ID)
		if stored.Anchor != want || stored.Orphaned || stored.Text != c.Text {
			t.Errorf("stored claim = %+v orphaned %v text %q; the claim as stated must stay %q", stored.Anchor, stored.Orphaned, stored.Text, c.Text)
		}
		revs, err := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		r := revs[0]
		var before, after map[string]any
		json.Unmarshal([]byte(r.Before), &before)
		json.Unmarshal([]byte(r.After), &after)
		if r.Action != "place" || r.Summary != "claim re-placed" || r.UserID == nil || *r.UserID != ed.ID ||
			before["orphaned"] != true || after["orphaned"] != false || before["exact"] != "23,000 terrorists" || after["exact"] != want.Exact {
			t.Errorf("revision = %+v", r)
		}
	})
	t.Run("Published", func(t *testing.T) {
		_, c, edited := orphan(t, db, ed)
		reviewer := storetest.User(t, db, "reviewer@example.org", models.RoleEditor)
		c = storetest.Publish(t, db, c.ID, models.RatingFalse, "No such figure.", ed, reviewer)
		start, end := spanOf(t, edited, "twenty-three thousand")
		got, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: start, End: end}, ed)
		if err != nil || got.Orphaned || got.Exact != "twenty-three thousand" || got.Status != models.StatusPublished || got.Rating != models.RatingFalse {
			t.Fatalf("placing a published claim: %+v, %v", got, err)
		}
	})
	for name, span := range map[string][2]int{"ErrEmpty": {5, 5}, "ErrPastEnd": {10, 500}, "ErrReversed": {10, 3}, "ErrNegative": {-1, 4}} {
		t.Run(name, func(t *testing.T) {
			_, c, _ := orphan(t, db, ed)
			_, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: span[0], End: span[1]}, ed)
			if models.ErrorCode(err) != models.EINVALID || len(models.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want invalid with the field at fault", err)
			}
			if still, _ := db.GetClaim(ctx, c.ID); !still.Orphaned || still.Version != c.Version {
				t.Errorf("a refused placement wrote: %+v", still)
			}
		})
	}
	t.Run("ErrStaleVersion", func(t *testing.T) {
		_, c, edited := orphan(t, db, ed)
		if _, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, Claimant: ptr("Moscow")}, ed); err != nil {
			t.Fatal(err)
		}
		start, end := spanOf(t, edited, "fighters")
		_, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: start, End: end}, ed)
		var e *models.Error
		if !asError(err, &e) || e.Code != models.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
		if cur, ok := e.Current.(*models.Claim); !ok || cur.Claimant != "Moscow" || cur.Version != c.Version+1 {
			t.Errorf("conflict carries %+v, want the claim as it stands", e.Current)
		}
		if still, _ := db.GetClaim(ctx, c.ID); !still.Orphaned {
			t.Error("a stale placement wrote")
		}
	})
	t.Run("ErrDocumentEditedSince", func(t *testing.T) {
		d, c, edited := orphan(t, db, ed)
		start, end := spanOf(t, edited, "fighters")
		again := "Breaking: " + edited
		if _, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &again}, ed); err != nil {
			t.Fatal(err)
		}
		c, _ = db.GetClaim(ctx, c.ID)
		_, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: start, End: end, DocumentVersion: d.Version}, ed)
		var e *models.Error
		if !asError(err, &e) || e.Code != models.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
		if cur, ok := e.Current.(*models.Document); !ok || cur.Version != d.Version+1 {
			t.Errorf("conflict carries %+v, want the document as it stands", e.Current)
		}
	})
	t.Run("ErrFreeStanding", func(t *testing.T) {
		c := &models.Claim{Text: "Unemployment fell to 4 percent.", Kind: models.KindStatistic}
		if err := db.CreateClaim(ctx, c, ed); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PlaceClaim(ctx, c.ID, store.Placement{Version: c.Version, Start: 0, End: 3}, ed); models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.PlaceClaim(ctx, 99999, store.Placement{Version: 1, Start: 0, End: 3}, ed); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("err = %v, want not_found", err)
		}
	})
}
