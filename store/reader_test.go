package store_test

import (
	"context"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// BenchmarkClaimStamp is the database read behind every verdict page view.
func BenchmarkClaimStamp(b *testing.B) {
	db := storetest.Open(b)
	ed := storetest.User(b, db, "ed@example.org", models.RoleEditor)
	body := strings.Repeat("A long paragraph of the document that pushes later columns to overflow pages. ", 200)
	d := storetest.Document(b, db, body, ed)
	c := storetest.Claim(b, db, d, 2, 40, ed)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceContext, Excerpt: strings.Repeat("excerpt ", 300)},
			&models.Source{Title: "Source", Notes: strings.Repeat("notes ", 500)}, ed); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.ClaimStamp(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// The stamp read alone equals the stamp computed from the full read, so a
// page rendered from GetClaimDetail validates against ClaimStamp.
func TestClaimStampMatchesDetail(t *testing.T) {
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	d := storetest.Document(t, db, "Moscow’s “23,000 terrorists” claim is naïve.", ed)
	c := storetest.Claim(t, db, d, 9, 28, ed)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		got, err := db.ClaimStamp(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		detail, err := db.GetClaimDetail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := store.StampOf(detail)
		if got.Key() != want.Key() || !got.LastModified.Equal(want.LastModified) {
			t.Errorf("%s: ClaimStamp %s at %v, StampOf %s at %v", when, got.Key(), got.LastModified, want.Key(), want.LastModified)
		}
	}
	check("new claim")
	before, _ := db.ClaimStamp(ctx, c.ID)
	e, err := db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceRefutes}, &models.Source{Title: "A source"}, ed)
	if err != nil {
		t.Fatal(err)
	}
	check("with evidence")
	after, _ := db.ClaimStamp(ctx, c.ID)
	if after.Key() == before.Key() {
		t.Error("adding evidence left the stamp as it was")
	}
	if err := db.DeleteEvidence(ctx, c.ID, e.ID, ed); err != nil {
		t.Fatal(err)
	}
	check("evidence removed")
	if _, err := db.ClaimStamp(ctx, 999999); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("a missing claim: %v, want not_found", err)
	}
}

func TestDocumentAndSiteStamps(t *testing.T) {
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	ctx := context.Background()
	site0, err := db.SiteStamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := storetest.Document(t, db, "Moscow’s “23,000 terrorists” claim is naïve.", ed)
	site1, err := db.SiteStamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if site1.Key() == site0.Key() || site1.LastModified.IsZero() {
		t.Errorf("a new document left the site stamp at %s", site1.Key())
	}
	st, err := db.DocumentStamp(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := storetest.Claim(t, db, d, 9, 28, ed)
	st2, err := db.DocumentStamp(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Key() == st.Key() || st2.PublicClaims != st.PublicClaims+1 {
		t.Errorf("a new open claim: stamp %s → %s, public claims %d → %d", st.Key(), st2.Key(), st.PublicClaims, st2.PublicClaims)
	}
	if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionDismiss, Note: "opinion"}, ed); err != nil {
		t.Fatal(err)
	}
	st3, err := db.DocumentStamp(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st3.Key() == st2.Key() || st3.PublicClaims != st.PublicClaims {
		t.Errorf("a dismissed claim: stamp %s → %s, public claims %d", st2.Key(), st3.Key(), st3.PublicClaims)
	}
	if _, err := db.DocumentStamp(ctx, 999999); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("a missing document: %v, want not_found", err)
	}
}
