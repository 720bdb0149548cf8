package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
)

// The export takes the claim list's filters and returns every claim they
// select, as CSV or JSON, with names for people and the scale's labels.
func TestClaimsExport(t *testing.T) {
	env := servertest.New(t)
	ctx := context.Background()
	f := &fixture{t: t, env: env, as: env.Editor}
	name := "Amina Rahman"
	if _, err := env.DB.UpdateUser(ctx, env.Editor.ID, store.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	published := f.claim(models.StatusPublished)
	open := f.claim(models.StatusOpen)
	review := f.claim(models.StatusInReview)
	dismissed := f.claim(models.StatusDismissed)
	// A claim as stated that a spreadsheet would run as a formula.
	formula := "=HYPERLINK(\"https://evil.example\",\"click\")"
	if _, err := env.DB.UpdateClaim(ctx, open.ID, models.ClaimUpdate{Version: open.Version, Text: &formula}, env.Editor); err != nil {
		t.Fatal(err)
	}
	// Many claims, to cross the store's pages of 100.
	var many []int64
	for range 130 {
		many = append(many, f.claim(models.StatusResearching).ID)
	}
	ed := env.SignedIn(env.Editor)

	tests := []struct {
		name  string
		query string
		want  []int64
	}{
		{"published", "status=published", []int64{published.ID}},
		{"open and in review", "status=open,in_review", []int64{open.ID, review.ID}},
		{"dismissed", "status=dismissed", []int64{dismissed.ID}},
		{"rating", "rating=false&status=in_review,published", []int64{published.ID, review.ID}},
		{"researching, past one page", "status=researching", many},
		{"newest first", "status=published,dismissed&order=-id", []int64{dismissed.ID, published.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.want)
			if !strings.Contains(tt.query, "-id") {
				slices.Sort(want)
			}
			r := ed.Do("GET", "/api/v1/claims/export?format=csv&"+tt.query, nil)
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("csv: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
			}
			recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, rec := range recs[1:] {
				id, _ := strconv.ParseInt(rec[0], 10, 64)
				got = append(got, id)
			}
			if !slices.Equal(got, want) {
				t.Errorf("csv ids = %v, want %v", got, want)
			}
			var j struct {
				Claims []struct {
					ID int64 `json:"id"`
				} `json:"claims"`
				Truncated bool `json:"truncated"`
			}
			rj := ed.Do("GET", "/api/v1/claims/export?format=json&"+tt.query, nil)
			rj.Decode(t, &j)
			got = nil
			for _, c := range j.Claims {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, want) || j.Truncated {
				t.Errorf("json ids = %v (truncated %v), want %v", got, j.Truncated, want)
			}
		})
	}

	// The row of the published verdict, and the formula made harmless.
	r := ed.Do("GET", "/api/v1/claims/export?status=published,open", nil)
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := map[string][]string{}
	for _, rec := range recs[1:] {
		rows[rec[0]] = rec
	}
	p := rows[fmt.Sprint(published.ID)]
	if p[col["rating_label"]] != "False" || p[col["rating_value"]] != "1" || p[col["checker"]] != "Amina Rahman" || p[col["reviewer"]] != servertest.Editor2Email ||
		!strings.HasPrefix(p[col["verdict_url"]], "/claims/") || p[col["published_at"]] == "" {
		t.Errorf("published row = %q", p)
	}
	if got := rows[fmt.Sprint(open.ID)][col["text"]]; got != "'"+formula {
		t.Errorf("formula cell = %q, want it quoted", got)
	}
	// Readers cannot export.
	if r := env.Anonymous().Do("GET", "/api/v1/claims/export", nil); r.Status != 401 {
		t.Errorf("anonymous export: %d", r.Status)
	}
}
