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
	db, ctx, ed := openDesk(t)
	d := storetest.Document(t, db, "Moscow’s “23,000 terrorists” claim is naïve.", ed)
	c := storetest.Claim(t, db, d, 9, 28, ed)
	before := checkedStamp(t, db, c.ID, "new claim")
	e, err := db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceRefutes}, &models.Source{Title: "A source"}, ed)
	if err != nil {
		t.Fatal(err)
	}
	if after := checkedStamp(t, db, c.ID, "with evidence"); after.Key() == before.Key() {
		t.Error("adding evidence left the stamp as it was")
	}
	if err := db.DeleteEvidence(ctx, c.ID, e.ID, ed); err != nil {
		t.Fatal(err)
	}
	checkedStamp(t, db, c.ID, "evidence removed")
	if _, err := db.ClaimStamp(ctx, 999999); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("a missing claim: %v, want not_found", err)
	}
}

func TestDocumentAndSiteStamps(t *testing.T) {
	db, ctx, ed := openDesk(t)
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

// The stamps follow appearances: linking, editing the document it stands
// in and unlinking change the claim's stamp (which still equals the one
// of the full read) and the stamp of the document it stands in.
func TestStampsFollowAppearances(t *testing.T) {
	db, ctx, ed := openDesk(t)
	src := storetest.Document(t, db, "The envoy said 23,000 fighters crossed the border.", ed)
	c := storetest.Claim(t, db, src, 15, 50, ed)
	d := storetest.Document(t, db, "An op-ed said 23,000 fighters crossed the border again.", ed)
	claimKeys, docKeys := map[string]string{}, map[string]string{}
	step := func(name string) {
		t.Helper()
		got := checkedStamp(t, db, c.ID, name)
		ds, err := db.DocumentStamp(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for prev, k := range claimKeys {
			if k == got.Key() {
				t.Errorf("%s: the claim's stamp is the one of %s", name, prev)
			}
		}
		for prev, k := range docKeys {
			if k == ds.Key() {
				t.Errorf("%s: the document's stamp is the one of %s", name, prev)
			}
		}
		claimKeys[name], docKeys[name] = got.Key(), ds.Key()
	}
	step("before")
	res, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: c.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: "23,000 fighters crossed the border"}}, ed)
	if err != nil {
		t.Fatal(err)
	}
	step("linked")
	title := "Renamed op-ed"
	if _, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Title: &title}, ed); err != nil {
		t.Fatal(err)
	}
	step("document renamed")
	if _, err := db.UnlinkAppearance(ctx, c.ID, res.Appearance.ID, res.Claim.Version, "", ed); err != nil {
		t.Fatal(err)
	}
	step("unlinked")
}

// The annotated document page is rendered from GetDocumentDetail and
// carries DocumentStampOf of it; the cache validates it against
// DocumentStamp. The two must agree in every state, or a page would be
// rendered anew on every view (or, worse, kept past a change).
func TestDocumentStampMatchesDetail(t *testing.T) {
	db, ctx, ed := openDesk(t)
	d := storetest.Document(t, db, "The envoy said 23,000 fighters crossed the border. Officials said 4,000 returned.", ed)
	other := storetest.Document(t, db, "Elsewhere: 23,000 fighters crossed the border, the envoy said.", ed)
	seen := map[string]string{}
	check := func(when, sameAs string) {
		t.Helper()
		got, err := db.DocumentStamp(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		detail, err := db.GetDocumentDetail(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := store.DocumentStampOf(detail)
		if got != want && (got.Key() != want.Key() || got.PublicClaims != want.PublicClaims || got.PublicAppearances != want.PublicAppearances || !got.LastModified.Equal(want.LastModified)) {
			t.Errorf("%s: DocumentStamp %+v, DocumentStampOf %+v", when, got, want)
		}
		if prev := seen[got.Key()]; prev != sameAs {
			t.Errorf("%s: the stamp is the one of %q, want that of %q", when, prev, sameAs)
		}
		seen[got.Key()] = when
	}
	check("no claims", "")
	c := storetest.Claim(t, db, d, 15, 50, ed)
	check("a claim", "")
	text := "The envoy says 23,000 fighters crossed"
	_, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, Text: &text, Summary: "wording"}, ed)
	if err != nil {
		t.Fatal(err)
	}
	check("the claim edited", "")
	c2 := storetest.Claim(t, db, d, 52, 81, ed)
	if _, err := storetest.Transition(ctx, db, c2.ID, models.TransitionInput{Action: models.ActionDismiss, Note: "vague"}, ed); err != nil {
		t.Fatal(err)
	}
	check("a second claim, dismissed", "")
	elsewhere := storetest.Claim(t, db, other, 11, 45, ed)
	res, err := db.LinkAppearance(ctx, elsewhere.ID, store.AppearanceLink{Version: elsewhere.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: "23,000 fighters crossed the border"}}, ed)
	if err != nil {
		t.Fatal(err)
	}
	check("a claim of another document said again here", "")
	if _, err := db.UnlinkAppearance(ctx, elsewhere.ID, res.Appearance.ID, res.Claim.Version, "", ed); err != nil {
		t.Fatal(err)
	}
	// Unlinked, the page shows what it showed before the link: the same
	// stamp serves it again.
	check("unlinked", "a second claim, dismissed")
}
