package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// publish makes a claim and takes it through to a published verdict.
func publish(t *testing.T, db *store.DB, text string, ed, ed2 *models.User) *models.Claim {
	t.Helper()
	ctx := context.Background()
	c := &models.Claim{Text: text, Kind: models.KindStatistic}
	if err := db.CreateClaim(ctx, c, ed); err != nil {
		t.Fatal(err)
	}
	return storetest.Publish(t, db, c.ID, models.RatingFalse, "The count has no source.", ed, ed2)
}

// The case: a published "23,000 terrorists" is offered for a new
// document's repeat of it, and not for "2,300 refugees"; an imported review
// is offered beside it.
func TestMatchTextRespectsTheFigure(t *testing.T) {
	db, ctx, ed := openDesk(t)
	ed2 := storetest.User(t, db, "ed2@example.org", models.RoleEditor)
	published := publish(t, db, "Moscow warned that 23,000 terrorists operate in Afghanistan", ed, ed2)
	publish(t, db, "Russia says 2,300 refugees returned", ed, ed2)
	if _, err := db.ImportReviews(ctx, []models.ExternalReview{{URL: "https://checker.example/23000", ClaimText: "23,000 terrorists are in Afghanistan, says Russia",
		Publisher: "Checker", Rating: "False"}}, ed); err != nil {
		t.Fatal(err)
	}
	d := storetest.Document(t, db, "Russia says 23,000 terrorists are operating inside Afghanistan. Russia says 2,300 refugees returned home.", ed)

	got, err := db.MatchText(ctx, "Russia says 23,000 terrorists are operating inside Afghanistan", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ours, theirs int
	for _, m := range got {
		switch {
		case m.Claim != nil && m.Claim.ID == published.ID:
			ours++
			if !strings.Contains(m.Why.String(), "23,000") || !strings.Contains(m.Why.String(), "Russia") {
				t.Errorf("reasons %q name neither the figure nor the actor", m.Why.String())
			}
		case m.Review != nil && m.Review.Publisher == "Checker":
			theirs++
		case m.Claim != nil:
			t.Errorf("matched %q", m.Claim.Text)
		}
	}
	if ours != 1 || theirs != 1 {
		t.Fatalf("matches %+v: want the published claim and the review", got)
	}
	other, err := db.MatchText(ctx, "Moscow warned that 2,300 terrorists operate in Afghanistan", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range other {
		if m.Claim != nil && m.Claim.ID == published.ID {
			t.Errorf("2,300 matched the 23,000 verdict at %.2f", m.Score)
		}
	}
	_ = d
}

// Linking a repeat: at once on a claim being checked, through the pending
// correction on a published one, visible as an appearance once approved.
func TestLinkAppearance(t *testing.T) {
	db, ctx, ed := openDesk(t)
	ed2 := storetest.User(t, db, "ed2@example.org", models.RoleEditor)
	c := publish(t, db, "Moscow warned that 23,000 terrorists operate in Afghanistan", ed, ed2)
	body := "Op-ed. Russia says 23,000 terrorists are operating inside Afghanistan, the minister said."
	d := storetest.Document(t, db, body, ed)
	cands := storetest.AllClaims(t, db, models.ClaimFilter{DocumentID: d.ID})
	quote := "Russia says 23,000 terrorists are operating inside Afghanistan"

	t.Run("ErrStaleVersion", func(t *testing.T) {
		_, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: c.Version - 1, DocumentID: d.ID, Quote: &models.Anchor{Exact: quote}}, ed)
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
	t.Run("ErrQuoteNotInDocument", func(t *testing.T) {
		_, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: c.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: "not in the text at all"}, Note: "n"}, ed)
		if models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
	t.Run("PublishedWaitsForASecondEditor", func(t *testing.T) {
		var from int64
		if len(cands) > 0 {
			from = cands[0].ID
		}
		res, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: c.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: quote}, FromClaimID: from, Note: "Said again in an op-ed."}, ed)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Pending {
			t.Fatal("a published claim's appearance was linked without review")
		}
		if apps, _ := db.ListAppearances(ctx, c.ID); len(apps) != 0 {
			t.Fatalf("appearance visible before approval: %+v", apps)
		}
		if from != 0 {
			p, _ := db.GetClaim(ctx, from)
			if p.Status != models.StatusDismissed || !strings.Contains(p.DismissReason, fmt.Sprintf("#%d", c.ID)) {
				t.Errorf("proposal not dismissed as a duplicate: %s %q", p.Status, p.DismissReason)
			}
		}
		if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionApprove}, ed); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Fatalf("the linker approved their own link: %v", err)
		}
		if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionApprove}, ed2); err != nil {
			t.Fatal(err)
		}
		apps, err := db.ListAppearances(ctx, c.ID)
		if err != nil || len(apps) != 1 || apps[0].Exact != quote || apps[0].DocumentID != d.ID || apps[0].LinkedBy == nil || *apps[0].LinkedBy != ed.ID {
			t.Fatalf("appearances %+v, %v", apps, err)
		}
		detail, err := db.GetDocumentDetail(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, marks := detail.Public()
		if len(marks) != 1 || marks[0].ID != c.ID || marks[0].Rating != models.RatingFalse || marks[0].Exact != quote {
			t.Fatalf("marks %+v, %v", marks, err)
		}
		n, since := models.SaidTimes(c, nil, apps)
		if n != 1 || since.IsZero() {
			t.Errorf("said %d times since %v", n, since)
		}
		reps, err := db.Repeats(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), true, 10)
		if err != nil || len(reps) != 1 || reps[0].Claim.ID != c.ID || reps[0].Times != 1 {
			t.Fatalf("repeats after the verdict %+v, %v", reps, err)
		}
	})
	t.Run("ErrAlreadyLinked", func(t *testing.T) {
		cur, _ := db.GetClaim(ctx, c.ID)
		_, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: cur.Version, DocumentID: d.ID, Quote: &models.Anchor{Exact: quote}, Note: "again"}, ed)
		if models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

// Reviews are deduplicated by URL: importing again updates, never adds.
func TestImportReviewsDedupByURL(t *testing.T) {
	db, ctx, ed := openDesk(t)
	batch := func(rating string) []models.ExternalReview {
		var out []models.ExternalReview
		for i := range 50 {
			out = append(out, models.ExternalReview{URL: fmt.Sprintf("https://checker.example/reviews/%d", i),
				ClaimText: fmt.Sprintf("The minister said %d,000 jobs were created in region %d", i+1, i), Publisher: "Checker", Rating: rating})
		}
		return out
	}
	tests := []struct {
		name   string
		rating string
		want   store.ReviewImport
	}{
		{"First", "False", store.ReviewImport{Added: 50}},
		{"Again", "False", store.ReviewImport{Unchanged: 50}},
		{"Updated", "Mostly false", store.ReviewImport{Updated: 50}},
	}
	for _, tt := range tests {
		got, err := db.ImportReviews(ctx, batch(tt.rating), ed)
		if err != nil || got != tt.want {
			t.Fatalf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	if n, _ := db.CountReviews(ctx); n != 50 {
		t.Fatalf("%d reviews stored, want 50", n)
	}
	bad := batch("False")
	bad[7].URL = "not a url"
	if _, err := db.ImportReviews(ctx, bad, ed); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad URL: %v", err)
	}
}

// The matches of a document's proposals are stored at import and read
// back fresh: a published verdict stored as a match shows as it stands
// now; one published after the import shows once the stored list is older
// than MatchesMaxAge.
func TestProposalMatchesStoredAtImport(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	db.Now = func() time.Time { return now }
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	ed2 := storetest.User(t, db, "ed2@example.org", models.RoleEditor)
	first := publish(t, db, "Moscow warned that 23,000 terrorists operate in Afghanistan", ed, ed2)
	const quote = "Russia says 23,000 terrorists are operating inside Afghanistan"
	d := storetest.Document(t, db, quote+", the envoy said on Tuesday.", ed)
	var props []models.Claim
	for _, c := range storetest.AllClaims(t, db, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusCandidate}}) {
		if strings.Contains(c.Text, "23,000 terrorists") {
			props = append(props, c)
		}
	}
	if len(props) != 1 {
		t.Fatalf("proposals %+v, want the one of the 23,000 terrorists", props)
	}
	later := publish(t, db, "Russia claims 23,000 terrorists are inside Afghanistan", ed, ed2)
	ids := func() []int64 {
		t.Helper()
		got, err := db.ProposalMatches(ctx, props, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, m := range got[props[0].ID] {
			if m.Claim != nil {
				out = append(out, m.Claim.ID)
				if m.Claim.ID == first.ID && m.Claim.Version != mustClaim(t, db, first.ID).Version {
					t.Errorf("the stored match is version %d of the claim, not the current one", m.Claim.Version)
				}
			}
		}
		return out
	}
	has := func(list []int64, id int64) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	}
	got := ids()
	if !has(got, first.ID) || has(got, later.ID) {
		t.Fatalf("stored at import: %v, want %d and not the later %d", got, first.ID, later.ID)
	}
	// A retraction of the first verdict shows at once: its record is read
	// fresh (ids checks the version), or it is dropped when no longer checked.
	admin := storetest.User(t, db, "admin@example.org", models.RoleAdmin)
	if _, err := storetest.Transition(ctx, db, first.ID, models.TransitionInput{Action: models.ActionRetract, Note: "retracted for the test"}, admin); err != nil {
		t.Fatal(err)
	}
	ids()
	now = now.Add(store.MatchesMaxAge + time.Second)
	if got := ids(); !has(got, later.ID) {
		t.Fatalf("after %s: %v, want the later verdict %d too", store.MatchesMaxAge, got, later.ID)
	}
}

func mustClaim(t *testing.T, db *store.DB, id int64) *models.Claim {
	t.Helper()
	c, err := db.GetClaim(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The approver of a correction that links an appearance or adds a source
// wrote none of the next correction: they may approve it (the changes an
// approval applies are recorded before the approval itself).
func TestApproverOfACorrectionMayApproveTheNext(t *testing.T) {
	db, ctx, ed := openDesk(t)
	ed2 := storetest.User(t, db, "ed2@example.org", models.RoleEditor)
	c := publish(t, db, "Moscow warned that 23,000 terrorists operate in Afghanistan", ed, ed2)
	d := storetest.Document(t, db, "Russia says 23,000 terrorists are operating inside Afghanistan.", ed)
	tests := []struct {
		name    string
		propose func(version int) error
	}{
		{"Appearance", func(v int) error {
			_, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: v, DocumentID: d.ID, Quote: &models.Anchor{Exact: "23,000 terrorists are operating"}, Note: "Said again."}, ed)
			return err
		}},
		{"Evidence", func(int) error {
			_, err := db.CorrectEvidence(ctx, c.ID, models.EvidenceChange{Op: models.EvidenceAdd, Stance: models.StanceRefutes}, &models.Source{Title: "A count"}, "A source added.", ed)
			return err
		}},
		{"AppearanceAgain", func(v int) error {
			_, err := db.LinkAppearance(ctx, c.ID, store.AppearanceLink{Version: v, DocumentID: d.ID, Quote: &models.Anchor{Exact: "inside Afghanistan"}, Note: "Said again."}, ed)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := mustClaim(t, db, c.ID)
			if err := tt.propose(cur.Version); err != nil {
				t.Fatal(err)
			}
			if _, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionApprove}, ed2); err != nil {
				t.Fatalf("the second editor may not approve: %v", err)
			}
		})
	}
}

// An old review of the very claim is matched beside many newer reviews
// that share only some of its words: reviews are ranked over every match,
// not taken from a window of the newest.
func TestMatchTextFindsAnOldExactReview(t *testing.T) {
	db, ctx, ed := openDesk(t)
	const claim = "Russia says 23,000 terrorists are operating inside Afghanistan"
	batch := []models.ExternalReview{{URL: "https://old.example/exact", ClaimText: claim, Publisher: "Old Checker", Rating: "False"}}
	if _, err := db.ImportReviews(ctx, batch, ed); err != nil {
		t.Fatal(err)
	}
	batch = nil
	for i := range 260 {
		batch = append(batch, models.ExternalReview{URL: fmt.Sprintf("https://new.example/%d", i),
			ClaimText: fmt.Sprintf("Officials in province %d say terrorists are operating near schools", i), Publisher: "New Checker"})
	}
	if _, err := db.ImportReviews(ctx, batch, ed); err != nil {
		t.Fatal(err)
	}
	got, err := db.MatchText(ctx, claim, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Review == nil || got[0].Review.URL != "https://old.example/exact" {
		var urls []string
		for _, m := range got {
			if m.Review != nil {
				urls = append(urls, m.Review.URL)
			}
		}
		t.Fatalf("matches %v, want the old exact review first", urls)
	}
}
