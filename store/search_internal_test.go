package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

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

// Matching takes reviews by their rarest words, as it takes claims: a
// word most reviews hold would make each of them a candidate to rank and
// judge (8.8 s a document at 100,000 reviews, bench/RESULTS.md).
// A review sharing one word of a proposal, held by more than soleTermRows
// reviews, is not a candidate either; one sharing two is.
func TestMatchCandidatesReviews(t *testing.T) {
	numbered := func(n int, url, text string) []models.ExternalReview {
		var out []models.ExternalReview
		for i := range n {
			out = append(out, models.ExternalReview{URL: fmt.Sprintf(url, i), ClaimText: fmt.Sprintf(text, i), Publisher: "Checker"})
		}
		return out
	}
	for _, c := range []struct {
		name, proposal, want string
		reviews              []models.ExternalReview
	}{
		{"by rare words: ministry is in every review", "The ministry says 23,000 fighters crossed", "https://checker.example/figure",
			append([]models.ExternalReview{{URL: "https://checker.example/figure", ClaimText: "The ministry counted 23,000 fighters", Publisher: "Checker"}},
				numbered(300, "https://checker.example/%d", "The ministry announced plan %d")...)},
		// 400 others, so that the 41 reviews holding Torkham are rare enough to retrieve by.
		{"two shared words: Torkham and crossing", "Pakistan says the Torkham crossing stays closed to traders", "https://checker.example/crossing",
			slices.Concat([]models.ExternalReview{{URL: "https://checker.example/crossing", ClaimText: "The Torkham crossing was closed to traders for a month", Publisher: "Checker"}},
				numbered(40, "https://checker.example/%d", "Officials at Torkham reported plan %d"),
				numbered(400, "https://other.example/%d", "Budget line %d was revised"))},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(t.TempDir(), "reviews.db"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ImportReviews(ctx, c.reviews, nil); err != nil {
				t.Fatal(err)
			}
			pool, err := db.matchCandidates(ctx, c.proposal, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pool.reviews {
				got = append(got, r.URL)
			}
			if fmt.Sprint(got) != "["+c.want+"]" {
				t.Errorf("%d review candidates, first %q; want only %s", len(got), got[:min(3, len(got))], c.want)
			}
		})
	}
}

// The full-text tables merge their segments as they are written, across
// restarts: every query reads each segment, and one import's transaction
// writes one (bench/RESULTS.md, 40 segments after 100 imports of 1,000
// reviews by default).
func TestFullTextSegmentsStayFew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "segments.db")
	n := 0
	for range 2 { // the setting survives closing the database
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			var batch []models.ExternalReview
			for range 10 {
				n++
				batch = append(batch, models.ExternalReview{URL: fmt.Sprintf("https://checker.example/%d", n),
					ClaimText: fmt.Sprintf("Officials counted %d fighters in district %d", n, n%7), Publisher: "Checker"})
			}
			if _, err := db.ImportReviews(ctx, batch, nil); err != nil {
				t.Fatal(err)
			}
		}
		var segments int64
		if err := db.gorm.Raw("SELECT count(*) FROM external_reviews_fts_segdir").Scan(&segments).Error; err != nil {
			t.Fatal(err)
		}
		t.Logf("%d imports: %d segments", n/10, segments)
		if segments > 8 {
			t.Errorf("%d segments after %d imports, want at most 8", segments, n/10)
		}
		db.Close()
	}
}

// countRarest counts common words only a little past anyWordMaxRows, and
// rarest keeps the same terms as with every row counted.
func TestCountRarestKeepsWhatExactCountsKeep(t *testing.T) {
	terms := [][]string{{"a"}, {"b"}, {"c"}}
	for _, c := range []struct {
		name     string
		rows     []int64
		limit    int64
		self     bool
		passes   int
		wantKept string
	}{
		{"a rare term, two common", []int64{3, 900, 12000}, 10000, false, 1, "[[a]]"},
		{"only common terms: counted again to the limit", []int64{9000, 900, 5000}, 10000, false, 2, "[[b]]"},
		{"rare terms within the budget", []int64{200, 250, 7000}, 10000, false, 1, "[[a] [b]]"},
		{"self: the claim's own row left out", []int64{1, 300, 800}, 10000, true, 1, "[[b]]"},
		{"a small table: the limit is the first cap", []int64{40, 20, 60}, 50, false, 1, "[[b] [a]]"},
	} {
		passes := 0
		count := func(most int64) ([]int64, error) {
			passes++
			out := make([]int64, len(c.rows))
			for i, n := range c.rows {
				out[i] = min(n, most)
			}
			return out, nil
		}
		held, err := countRarest(count, c.limit, c.self)
		if err != nil {
			t.Fatal(err)
		}
		kept, _ := rarest(terms, held, c.limit)
		exact := slices.Clone(c.rows)
		if c.self {
			for i := range exact {
				exact[i]--
			}
		}
		want, _ := rarest(terms, exact, c.limit)
		if fmt.Sprint(kept) != fmt.Sprint(want) || fmt.Sprint(kept) != c.wantKept || passes != c.passes {
			t.Errorf("%s: kept %v in %d passes, want %v (%s with exact counts) in %d", c.name, kept, passes, c.wantKept, fmt.Sprint(want), c.passes)
		}
	}
}

// A document's matches are stored in one transaction; a proposal deleted
// while they were computed is left out, not an error for the others.
func TestRefreshMatchesSkipsDeletedProposals(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "refresh.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := &models.Document{Title: "Op-ed", Body: "Russia says 23,000 terrorists are operating inside Afghanistan. Pakistan closed the Torkham crossing to traders for a month."}
	if err := db.CreateDocument(ctx, d, nil, nil); err != nil {
		t.Fatal(err)
	}
	var props []models.Claim
	if err := db.gorm.Where("document_id = ?", d.ID).Find(&props).Error; err != nil || len(props) == 0 {
		t.Fatalf("%d proposals (%v)", len(props), err)
	}
	// The import stored them once already; start from none.
	if err := db.gorm.Where("1 = 1").Delete(&proposalMatches{}).Error; err != nil {
		t.Fatal(err)
	}
	gone := models.Claim{ID: props[len(props)-1].ID + 1000, Text: "Pakistan closed the Torkham crossing"}
	if _, err := db.refreshMatches(ctx, append(props, gone)); err != nil {
		t.Fatal(err)
	}
	var stored []int64
	if err := db.gorm.Model(&proposalMatches{}).Order("claim_id").Pluck("claim_id", &stored).Error; err != nil {
		t.Fatal(err)
	}
	if want := idsOf(props, func(c models.Claim) int64 { return c.ID }); fmt.Sprint(stored) != fmt.Sprint(want) {
		t.Errorf("matches stored for %v, want %v", stored, want)
	}
}
