package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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

// An old claim saying exactly what was searched ranks above many newer
// ones that share some of its words: every match is ranked, not a window
// of the newest.
func TestSearchRanksAnOldExactMatchFirst(t *testing.T) {
	db, ctx, ed := openDesk(t)
	exact := searchClaim(t, db, "Moscow warned that 23,000 terrorists operate in Afghanistan.", "", models.StatusOpen, ed)
	for i := range 700 {
		searchClaim(t, db, fmt.Sprintf("Officials in region %d said terrorists operate near the border, and the count of fighters, the camps and the routes across the mountains of Afghanistan were described in a long report number %d.", i, i), "", models.StatusOpen, ed)
	}
	hits, err := db.Search(ctx, "terrorists operate Afghanistan", store.SearchOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].ID != exact.ID {
		t.Fatalf("first hit %+v, want the old exact claim %d", hits, exact.ID)
	}
	any, err := db.Search(ctx, "Russia says 23,000 terrorists are operating inside Afghanistan", store.SearchOptions{AnyWord: true, Kind: store.KindClaim, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(any) == 0 || any[0].ID != exact.ID {
		t.Errorf("any word: first hit %+v, want %d", any, exact.ID)
	}
}

// Paging through a broad query returns every match exactly once, in one
// descending order, however the pages are cut.
func TestSearchPagesReachEveryMatchOnce(t *testing.T) {
	db, ctx, ed := openDesk(t)
	const n = 640
	for i := range n {
		searchClaim(t, db, fmt.Sprintf("Prices rose%s in month %d.", repeat(" sharply", i%5), i), "", models.StatusOpen, ed)
	}
	for _, size := range []int{7, 50, 200} {
		seen := map[int64]bool{}
		var prev *store.SearchHit
		for off := 0; ; off += size {
			page, err := db.Search(ctx, "prices", store.SearchOptions{Kind: store.KindClaim, Limit: size, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			for i := range page {
				h := page[i]
				if seen[h.ID] {
					t.Fatalf("page size %d: claim %d twice", size, h.ID)
				}
				if prev != nil && (h.Rank > prev.Rank || h.Rank == prev.Rank && h.ID < prev.ID) {
					t.Fatalf("page size %d: claim %d (%v) after claim %d (%v)", size, h.ID, h.Rank, prev.ID, prev.Rank)
				}
				seen[h.ID], prev = true, &h
			}
			if len(page) < size {
				break
			}
		}
		if len(seen) != n {
			t.Errorf("page size %d: %d claims reached, want %d", size, len(seen), n)
		}
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// Filters: status, rating (readers: published ratings only), document,
// date range, and a claim left out.
func TestSearchFilters(t *testing.T) {
	db, ctx, ed := openDesk(t)
	open := searchClaim(t, db, "Wheat exports fell by half.", "", models.StatusOpen, ed)
	cand := searchClaim(t, db, "Wheat exports fell again.", "", models.StatusCandidate, ed)
	rated := &models.Claim{Text: "Wheat exports fell in spring.", Kind: models.KindStatistic, Status: models.StatusInReview, Rating: models.RatingFalse, Explanation: "x"}
	if err := db.CreateClaim(ctx, rated, ed); err != nil {
		t.Fatal(err)
	}
	ids := func(opt store.SearchOptions) string {
		t.Helper()
		hits, err := db.Search(ctx, "wheat exports", opt)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, h := range hits {
			if h.Kind == store.KindClaim {
				out = append(out, h.ID)
			}
		}
		return fmt.Sprint(sorted(out))
	}
	future := time.Now().Add(time.Hour)
	for _, tc := range []struct {
		name string
		opt  store.SearchOptions
		want []int64
	}{
		{"all", store.SearchOptions{}, []int64{open.ID, cand.ID, rated.ID}},
		{"public", store.SearchOptions{PublicOnly: true}, []int64{open.ID, rated.ID}},
		{"status", store.SearchOptions{Statuses: []models.Status{models.StatusCandidate}}, []int64{cand.ID}},
		{"public asks for candidates", store.SearchOptions{PublicOnly: true, Statuses: []models.Status{models.StatusCandidate}}, nil},
		{"rating, desk", store.SearchOptions{Rating: models.RatingFalse}, []int64{rated.ID}},
		{"rating, readers: not yet a verdict", store.SearchOptions{PublicOnly: true, Rating: models.RatingFalse}, nil},
		{"until the future", store.SearchOptions{Until: future}, []int64{open.ID, cand.ID, rated.ID}},
		{"since the future", store.SearchOptions{Since: future}, nil},
		{"exclude", store.SearchOptions{ExcludeClaim: open.ID}, []int64{cand.ID, rated.ID}},
		{"no such document", store.SearchOptions{DocumentID: 999999}, nil},
	} {
		if got := ids(tc.opt); got != fmt.Sprint(sorted(tc.want)) {
			t.Errorf("%s: claims %s, want %v", tc.name, got, sorted(tc.want))
		}
	}
}

func sorted(ids []int64) []int64 {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	return ids
}

// The term index's threshold algorithm returns what scoring every match
// returns, ties and filters included: a corpus of few lengths and word
// counts makes whole blocks of claims score the same.
func TestTermIndexTopKIsScoringEvery(t *testing.T) {
	db, ctx, ed := openDesk(t)
	words := []string{"prices", "rose", "sharply", "wheat", "exports", "fell"}
	statuses := []models.Status{models.StatusOpen, models.StatusCandidate, models.StatusResearching}
	for i := range 400 {
		text := ""
		for k := range 3 + i%4 {
			text += words[(i*7+k*k+i/5)%len(words)] + " "
		}
		searchClaim(t, db, text+"in the month.", []string{"", "Prices office"}[i%9/8], statuses[i%3], ed)
	}
	for _, q := range []string{"prices", "prices rose", "wheat fell exports", "month", "absent"} {
		for _, opt := range []store.SearchOptions{{}, {PublicOnly: true}, {Statuses: []models.Status{models.StatusResearching}}} {
			for _, n := range []int{1, 7, 50, 400} {
				topK, every, err := db.ImpactRanks(ctx, q, opt, n)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := fmt.Sprint(topK), fmt.Sprint(every); got != want {
					t.Errorf("%q %+v, best %d: threshold algorithm\n%s\nscoring every match\n%s", q, opt, n, got, want)
				}
			}
		}
	}
}

// The term index follows each write of a claim's words: an edit moves the
// claim from its old words to its new ones.
func TestTermIndexFollowsEdits(t *testing.T) {
	db, ctx, ed := openDesk(t)
	c := searchClaim(t, db, "Wheat exports fell.", "", models.StatusOpen, ed)
	text := "Rice imports rose."
	if _, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, Text: &text}, ed); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"wheat": 0, "rice imports": 1, "RICE": 1} {
		hits, err := db.Search(ctx, q, store.SearchOptions{Kind: store.KindClaim})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != want {
			t.Errorf("%q: %d hits, want %d", q, len(hits), want)
		}
	}
}
