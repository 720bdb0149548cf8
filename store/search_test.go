package store_test

import (
	"context"
	"fmt"
	"testing"

	"factdesk/models"
	"factdesk/store"
)

// searchClaim stores a free-standing claim with the given text and status.
func searchClaim(tb testing.TB, db *store.DB, text, claimant string, st models.Status, ed *models.User) *models.Claim {
	tb.Helper()
	c := &models.Claim{Text: text, Claimant: claimant, Kind: models.KindStatistic, Status: st}
	if err := db.CreateClaim(context.Background(), c, ed); err != nil {
		tb.Fatalf("create claim %q: %v", text, err)
	}
	return c
}

func TestSearchRanksRarerWordsAndTheClaimItself(t *testing.T) {
	db, ctx, ed := openDesk(t)
	// "harvest" is in every claim, "drought" in three.
	for i := range 12 {
		searchClaim(t, db, fmt.Sprintf("The harvest of region %d was reported.", i), "", models.StatusOpen, ed)
	}
	rareTwice := searchClaim(t, db, "Drought and drought cut the harvest.", "", models.StatusOpen, ed)
	commonTwice := searchClaim(t, db, "The harvest and the harvest failed in the drought.", "", models.StatusOpen, ed)
	inClaimant := searchClaim(t, db, "Rains came late this year.", "Drought harvest office", models.StatusOpen, ed)

	hits, err := db.Search(ctx, "harvest drought", store.SearchOptions{PublicOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, h := range hits {
		if h.Kind == "claim" {
			got = append(got, h.ID)
		}
	}
	want := []int64{rareTwice.ID, commonTwice.ID, inClaimant.ID}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("claims ranked %v, want %v (the rarer word twice, the common word twice, the words only in the claimant)", got, want)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Rank > hits[i-1].Rank {
			t.Errorf("hit %d ranks %v above hit %d's %v", i, hits[i].Rank, i-1, hits[i-1].Rank)
		}
	}
}

// Readers see public claims only, every one of them once across pages,
// best first.
func TestSearchPagesPublicClaims(t *testing.T) {
	db, ctx, ed := openDesk(t)
	public := map[int64]bool{}
	for i := range 45 {
		st := models.StatusOpen
		if i%3 == 0 {
			st = models.StatusCandidate
		}
		// Longer texts rank lower: each page has its own ranks.
		text := "Inflation reached a record" + fmt.Sprintf(" %*s", i, "") + fmt.Sprintf(" level in month %d.", i)
		for range i % 7 {
			text += " Prices rose."
		}
		c := searchClaim(t, db, text, "", st, ed)
		if st.Public() {
			public[c.ID] = true
		}
	}
	all, err := db.Search(ctx, "inflation", store.SearchOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 45 {
		t.Errorf("editors' search: %d hits, want 45", len(all))
	}
	seen := map[int64]bool{}
	last := -1.0
	for off := 0; off < 40; off += 7 {
		page, err := db.Search(ctx, "inflation", store.SearchOptions{PublicOnly: true, Limit: 7, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range page {
			if h.Kind != "claim" {
				continue
			}
			if !public[h.ID] {
				t.Errorf("offset %d: claim %d (%s) is not public", off, h.ID, h.Status)
			}
			if seen[h.ID] {
				t.Errorf("offset %d: claim %d seen on an earlier page", off, h.ID)
			}
			if last >= 0 && h.Rank > last {
				t.Errorf("offset %d: claim %d ranks %v, above the previous hit's %v", off, h.ID, h.Rank, last)
			}
			if h.Snippet == "" {
				t.Errorf("offset %d: claim %d has no snippet", off, h.ID)
			}
			seen[h.ID], last = true, h.Rank
		}
	}
	if len(seen) != len(public) {
		t.Errorf("pages held %d public claims, want %d", len(seen), len(public))
	}
}
