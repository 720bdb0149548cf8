package store_test

import (
	"testing"

	"factdesk/models"
	"factdesk/store"
)

// Finding sources by words of their title, URL or publisher behaves the
// same on both engines, wildcards in the query included.
func TestListSourcesMatchesLiterally(t *testing.T) {
	db, ctx, ed := openDesk(t)
	for _, s := range []models.Source{
		{Title: "Unemployment 100% explained", URL: "https://example.org/a", Kind: models.SourceNews},
		{Title: "Unemployment 1000 explained", URL: "https://example.org/b", Kind: models.SourceNews},
		{Title: "Trade data", URL: "https://stats.example.org/trade_2024", Publisher: "Customs Office", Kind: models.SourceDataset},
		{Title: "Trade data", URL: "https://stats.example.org/tradex2024", Kind: models.SourceDataset},
	} {
		if err := db.CreateSource(ctx, &s, ed); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"100%", 1},
		{"trade_", 1},
		{"CUSTOMS", 1},
		{"unemployment", 2},
		{`\`, 0},
	} {
		got, err := db.ListSources(ctx, store.SourceFilter{Query: tt.q})
		if err != nil || len(got) != tt.want {
			t.Errorf("%q: %d sources (%v), want %d", tt.q, len(got), err, tt.want)
		}
	}
}

// What people type into a search box, control characters included, is
// searched on both engines, never an error.
func TestSearchTakesAnyText(t *testing.T) {
	db, ctx, ed := openDesk(t)
	bodyClaim(t, db, ed)
	for _, q := range []string{"terrorists\x00", "a\x00b", "\x00", "terrorists\u0007\ttab", "\"unclosed", "-", "or or", "日本語", "\uFFFD"} {
		if _, err := db.Search(ctx, q, store.SearchOptions{}); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
		if _, err := db.ListClaims(ctx, models.ClaimFilter{Query: q}); err != nil {
			t.Errorf("list claims matching %q: %v", q, err)
		}
	}
	hits, err := db.Search(ctx, "terrorists\x00", store.SearchOptions{})
	if err != nil || len(hits) == 0 {
		t.Errorf("a NUL after the word hides it: %v %v", hits, err)
	}
}
