package store_test

import (
	"context"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// The annotated document page is rendered from GetDocumentDetail and
// carries DocumentStampOf of it; the cache validates it against
// DocumentStamp. The two must agree in every state, or a page would be
// rendered anew on every view (or, worse, kept past a change).
func TestDocumentStampMatchesDetail(t *testing.T) {
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	ctx := context.Background()
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
