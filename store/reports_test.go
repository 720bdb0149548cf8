package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// publishedBy publishes a claim written by ed (assigned to assignee, nil
// for nobody) and approved by rev.
func publishedBy(t *testing.T, db *store.DB, ed, rev, assignee *models.User) *models.Claim {
	t.Helper()
	c := storetest.FigureClaim(t, db, ed)
	if assignee != nil {
		who := &assignee.ID
		if _, err := db.UpdateClaim(context.Background(), c.ID, models.ClaimUpdate{Version: c.Version, AssigneeID: &who}, rev); err != nil {
			t.Fatal(err)
		}
	}
	return storetest.Publish(t, db, c.ID, models.RatingFalse, "The figure is wrong.", ed, rev)
}

// TestReports: who is told of an error report, what a refused one leaves
// (nothing), and what each decision becomes.
func TestReports(t *testing.T) {
	db, ctx, ed, rev := openDeskOfTwo(t)
	as := storetest.User(t, db, "as@example.org", models.RoleEditor)
	assigned := publishedBy(t, db, ed, rev, as)
	unassigned := publishedBy(t, db, ed, rev, nil)

	t.Run("who is told", func(t *testing.T) {
		cases := []struct {
			claim *models.Claim
			to    *models.User
		}{{assigned, as}, {unassigned, ed}}
		for _, tc := range cases {
			before := len(events(t, db, tc.to))
			r := &models.Report{Kind: models.ReportError, ClaimID: &tc.claim.ID, Body: "The figure is for 2019, not last year."}
			if err := db.CreateReport(ctx, r); err != nil {
				t.Fatal(err)
			}
			got := events(t, db, tc.to)
			if len(got) != before+1 || got[0] != models.EventReaderReport {
				t.Errorf("claim %d: %s told %v", tc.claim.ID, tc.to.Email, got)
			}
		}
	})
	t.Run("refused", func(t *testing.T) {
		inReview := storetest.Claim(t, db, storetest.Document(t, db, "Crime fell by half since 2020, the mayor said.", ed), 0, 5, ed)
		before, _ := db.ListReports(ctx, store.ReportFilter{})
		cases := []struct {
			name string
			r    models.Report
			code string
		}{
			{"no kind", models.Report{Body: "Something is wrong here."}, models.EINVALID},
			{"short", models.Report{Kind: models.ReportSuggestion, Body: "bad"}, models.EINVALID},
			{"long", models.Report{Kind: models.ReportSuggestion, Body: strings.Repeat("é", models.MaxReportRunes+1)}, models.EINVALID},
			{"bad email", models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure.", Email: "me at home"}, models.EINVALID},
			{"no verdict", models.Report{Kind: models.ReportError, ClaimID: &inReview.ID, Body: "Something is wrong here."}, models.ENOTFOUND},
			{"no claim", models.Report{Kind: models.ReportError, Body: "Something is wrong here."}, models.EINVALID},
		}
		for _, tc := range cases {
			r := tc.r
			if err := db.CreateReport(ctx, &r); models.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		after, _ := db.ListReports(ctx, store.ReportFilter{})
		if len(after) != len(before) {
			t.Errorf("refused reports stored: %d, then %d", len(before), len(after))
		}
	})
	t.Run("accepted as a correction", func(t *testing.T) {
		r := &models.Report{Kind: models.ReportError, ClaimID: &assigned.ID, Body: "The survey is from 2019.", Email: "reader@example.net"}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		rating := models.RatingMostlyFalse
		got, err := db.ModerateReport(ctx, r.ID, models.Moderation{Status: models.ReportAccepted,
			Correction: &models.TransitionInput{Note: "Updated to the 2024 survey.", Rating: &rating}}, as)
		if err != nil {
			t.Fatal(err)
		}
		cl, _ := db.GetClaim(ctx, assigned.ID)
		rv, err := db.ReviewOf(ctx, cl)
		if err != nil || rv.Pending == nil || *rv.Pending.Rating != rating || rv.Pending.Note != "Updated to the 2024 survey." || cl.Rating != models.RatingFalse {
			t.Fatalf("pending %+v, rating %s: %v", rv.Pending, cl.Rating, err)
		}
		if got.Status != models.ReportAccepted || *got.ResultClaimID != assigned.ID || got.Reply != models.ReplyPending || got.ModeratorID == nil {
			t.Errorf("report: %+v", got)
		}
		if _, err := db.ModerateReport(ctx, r.ID, models.Moderation{Status: models.ReportSpam}, as); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("a second decision: %v", err)
		}
		revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: assigned.ID, Limit: 100})
		if !slices.ContainsFunc(revs, func(v models.Revision) bool { return v.Entity == store.EntityReport && v.Action == "moderate" }) {
			t.Error("the decision is not in the claim's history")
		}
	})
	t.Run("unanswered addresses expire", func(t *testing.T) {
		r := &models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure.", Email: "waiting@example.net"}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		if n, err := db.ExpireReplyAddresses(ctx, r.CreatedAt); err != nil || n != 0 {
			t.Fatalf("expired %d too early: %v", n, err)
		}
		if n, err := db.ExpireReplyAddresses(ctx, r.CreatedAt.Add(time.Second)); err != nil || n != 1 {
			t.Fatalf("expired %d: %v", n, err)
		}
		if got, _ := db.GetReport(ctx, r.ID); got.Email != "" || got.Reply != models.ReplyExpired || got.Status != models.ReportNew {
			t.Errorf("after expiry: %+v", got)
		}
	})
	t.Run("replies are leased", func(t *testing.T) {
		first, err := db.ClaimReply(ctx, time.Minute)
		if err != nil || first == nil || first.Email != "reader@example.net" {
			t.Fatalf("claim reply: %+v %v", first, err)
		}
		if again, err := db.ClaimReply(ctx, time.Minute); err != nil || again != nil {
			t.Errorf("taken twice: %+v %v", again, err)
		}
		if err := db.FinishReply(ctx, first.ID, nil); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.GetReport(ctx, first.ID); r.Email != "" || r.Reply != models.ReplySent {
			t.Errorf("after sending: %q %q", r.Email, r.Reply)
		}
	})
}
