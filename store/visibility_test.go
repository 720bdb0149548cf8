package store_test

import (
	"fmt"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// TestVisibilityRules: the store's SQL says a document is public exactly
// when models.DocumentPublic says so of its claims, for a document whose
// one claim is in each status, anchored or orphaned.
func TestVisibilityRules(t *testing.T) {
	db, ctx, ed := openDesk(t)
	const body = "We must act now, the minister said on Monday."
	want := map[int64]bool{}
	for _, st := range models.Statuses {
		for _, orphaned := range []bool{false, true} {
			d := storetest.Document(t, db, body, ed)
			c := &models.Claim{DocumentID: &d.ID, Anchor: models.Anchor{Start: 0, End: 15}, Status: st, Origin: models.OriginDetected, Kind: models.KindOther}
			if err := db.CreateClaim(ctx, c, nil); err != nil {
				t.Fatalf("%s: %v", st, err)
			}
			if orphaned {
				edited := "Nothing of the quote is left."
				if _, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &edited}, ed); err != nil {
					t.Fatal(err)
				}
			}
			claims, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: d.ID, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			want[d.ID] = models.DocumentPublic(claims.Claims)
			t.Run(fmt.Sprintf("%s orphaned=%v", st, orphaned), func(t *testing.T) {
				_, err := db.GetPublicDocument(ctx, d.ID)
				if got := err == nil; got != want[d.ID] {
					t.Errorf("the store says public=%v (%v), models says %v", got, err, want[d.ID])
				}
			})
		}
	}
	publics := 0
	for _, p := range want {
		if p {
			publics++
		}
	}
	if publics == 0 || publics == len(want) {
		t.Fatalf("%d of %d documents public: the table tests nothing", publics, len(want))
	}
	docs, err := db.ListDocuments(ctx, store.DocumentFilter{PublicOnly: true, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]bool{}
	for _, d := range docs {
		listed[d.ID] = true
	}
	for id, public := range want {
		if listed[id] != public {
			t.Errorf("document %d: listed to readers %v, public %v", id, listed[id], public)
		}
	}
}

// TestVisibilityThroughAppearance: a document none of whose own claims is
// public is public while it holds an appearance of a claim readers see,
// and the store's SQL, its stamp and models.DocumentPublicWith agree.
func TestVisibilityThroughAppearance(t *testing.T) {
	db, ctx, ed := openDesk(t)
	src := storetest.Document(t, db, "The envoy said 23,000 fighters crossed the border.", ed)
	c := storetest.Claim(t, db, src, 15, 50, ed)
	d := storetest.Document(t, db, "Later an op-ed said 23,000 fighters crossed the border again.", ed)
	res, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: c.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: "23,000 fighters crossed the border"}}, ed)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		action models.Action
		want   bool
	}{
		{"open", "", true},
		{"dismissed", models.ActionDismiss, false},
		{"reopened", models.ActionReopen, true},
	}
	version := res.Claim.Version
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.action != "" {
				got, err := db.TransitionClaim(ctx, c.ID, version, models.TransitionInput{Action: st.action, Note: "test"}, ed)
				if err != nil {
					t.Fatal(err)
				}
				version = got.Version
			}
			own := storetest.AllClaims(t, db, models.ClaimFilter{DocumentID: d.ID})
			cur, err := db.GetClaim(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := models.DocumentPublicWith(own, []models.Claim{*cur})
			if want != st.want {
				t.Fatalf("models says public=%v with the claim %s, want %v", want, cur.Status, st.want)
			}
			_, err = db.GetPublicDocument(ctx, d.ID)
			if got := err == nil; got != want {
				t.Errorf("GetPublicDocument: public=%v (%v), want %v", got, err, want)
			}
			stamp, err := db.DocumentStamp(ctx, d.ID)
			if err != nil || stamp.Public() != want {
				t.Errorf("DocumentStamp public=%v (%v), want %v", stamp.Public(), err, want)
			}
			ids, err := db.PublicDocumentIDs(ctx, []int64{d.ID})
			if err != nil || ids[d.ID] != want {
				t.Errorf("PublicDocumentIDs %v (%v), want %v", ids, err, want)
			}
		})
	}
}
