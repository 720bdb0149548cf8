package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"factdesk/models"
)

// Document frequencies come from a cache that a write makes stale: a term
// searched, then written into another claim, counts that claim next time.
func TestTermDocsFollowWrites(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "terms.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	add := func(text, claimant string) {
		t.Helper()
		c := &models.Claim{Text: text, Claimant: claimant, Kind: models.KindOther}
		if err := db.CreateClaim(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	add("Wheat exports fell.", "")
	add("Wheat prices rose.", "Wheat board")
	g := db.gorm.WithContext(ctx)
	df, err := db.termDocs(g, "claims_fts", [][]string{{"wheat"}, {"exports", "fell"}, {"absent"}})
	if err != nil {
		t.Fatal(err)
	}
	// Columns: text, exact, claimant.
	if got, want := fmt.Sprint(df), "[[2 0 1] [1 0 0] []]"; got != want {
		t.Errorf("document frequencies %s, want %s", got, want)
	}
	add("Wheat harvests grew.", "")
	df, err = db.termDocs(g, "claims_fts", [][]string{{"wheat"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(df), "[[3 0 1]]"; got != want {
		t.Errorf("after a write: %s, want %s", got, want)
	}
}

// A common term's figures outlive a change for a while; a rare term's do
// not, and nothing outlives termDocsStale.
func TestTermCacheKeepsCommonTermsAcrossChanges(t *testing.T) {
	var c termCache
	common, rare := termKey{"claims_fts", "and"}, termKey{"claims_fts", "drought"}
	c.put(common, termDocs{df: []uint32{termDocsCommon, 0}, gen: 1, tracked: true, at: time.Now()})
	c.put(rare, termDocs{df: []uint32{3}, gen: 1, tracked: true, at: time.Now()})
	if _, ok := c.get(rare, 1, true); !ok {
		t.Error("rare term: not found in the same generation")
	}
	if _, ok := c.get(rare, 2, true); ok {
		t.Error("rare term: found after a change")
	}
	if _, ok := c.get(common, 2, true); !ok {
		t.Error("common term: not found after a change")
	}
	c.put(common, termDocs{df: []uint32{termDocsCommon}, gen: 1, tracked: true, at: time.Now().Add(-termDocsStale)})
	if _, ok := c.get(common, 2, true); ok {
		t.Error("common term: found after termDocsStale")
	}
}

// More matches than broadRanked: the newest are ranked, and the page is
// still full and public.
func TestSearchRanksNewestWindow(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "window.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	// Raw inserts: the triggers index them as the store's writes would.
	err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range broadRanked + 200 {
			st := models.StatusOpen
			if i%2 == 0 {
				st = models.StatusCandidate
			}
			text := fmt.Sprintf("Budget line %d grew.", i)
			if i < 200 {
				// The oldest claims would rank first: the word twice.
				text = fmt.Sprintf("Budget budget line %d grew.", i)
			}
			if err := tx.Exec(`INSERT INTO claims (text, kind, origin, status, created_at, updated_at) VALUES (?, 'other', 'manual', ?, ?, ?)`, text, st, now, now).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := db.Search(ctx, "budget", SearchOptions{PublicOnly: true, Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 30 {
		t.Fatalf("%d hits, want 30", len(hits))
	}
	var oldestRanked int64
	if err := db.gorm.Raw(`SELECT MIN(id) FROM (SELECT id FROM claims ORDER BY id DESC LIMIT ?)`, broadRanked).Scan(&oldestRanked).Error; err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.ID < oldestRanked || !h.Status.Public() {
			t.Errorf("hit %d (%s): outside the newest %d or not public", h.ID, h.Status, broadRanked)
		}
	}

	// Paging goes on into older windows: every public match is reached
	// once, pages in one order, and a window's hits before older ones'.
	seen := map[int64]bool{}
	var order []SearchHit
	for offset := 0; ; offset += 40 {
		page, err := db.Search(ctx, "budget", SearchOptions{PublicOnly: true, Limit: 40, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, h := range page {
			if seen[h.ID] {
				t.Fatalf("hit %d on two pages", h.ID)
			}
			seen[h.ID] = true
			order = append(order, h)
		}
	}
	if want := (broadRanked + 200) / 2; len(seen) != want {
		t.Errorf("paging reached %d public matches, want %d", len(seen), want)
	}
	for i := 1; i < len(order); i++ {
		if order[i].window < order[i-1].window {
			t.Fatalf("hit %d of window %d after one of window %d", order[i].ID, order[i].window, order[i-1].window)
		}
	}
	if last := order[len(order)-1]; last.window != 1 {
		t.Errorf("the oldest matches were ranked in window %d, want 1", last.window)
	}
}

// A query whose matches are all hidden from readers stops after
// searchWindows windows rather than reading every match.
func TestSearchStopsAfterItsWindows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "hidden.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	n := broadRanked*searchWindows + 100
	err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range n {
			st := models.StatusCandidate
			if i == 0 {
				st = models.StatusOpen // the oldest match, the only public one
			}
			if err := tx.Exec(`INSERT INTO claims (text, kind, origin, status, created_at, updated_at) VALUES (?, 'other', 'manual', ?, ?, ?)`,
				fmt.Sprintf("Rainfall line %d.", i), st, now, now).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hits, err := db.Search(ctx, "rainfall", SearchOptions{PublicOnly: true, Limit: 10}); err != nil || len(hits) != 0 {
		t.Errorf("public search past %d windows: %d hits (%v), want none", searchWindows, len(hits), err)
	}
	if hits, err := db.Search(ctx, "rainfall", SearchOptions{Limit: 10}); err != nil || len(hits) != 10 {
		t.Errorf("editor search: %d hits (%v), want 10", len(hits), err)
	}
}
