package store_test

import (
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

func TestMatchClaimsFindsTheSameClaimElsewhere(t *testing.T) {
	db, ctx, ed := openDesk(t)
	checked := func(text string) *models.Claim {
		c := &models.Claim{Text: text, Kind: models.KindStatistic}
		if err := db.CreateClaim(ctx, c, ed); err != nil {
			t.Fatal(err)
		}
		c, err := storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionStart}, ed)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	same := checked("Russia warned that 23,000 terrorists are operating inside Afghanistan.")
	unrelated := checked("Unemployment in Lahore fell by 4 percent last year.")
	open := &models.Claim{Text: "Moscow says 23,000 terrorists operate in Afghanistan"}
	if err := db.CreateClaim(ctx, open, ed); err != nil {
		t.Fatal(err)
	}
	// An unchecked claim saying the same is not a match: nobody did the work yet.
	twin := &models.Claim{Text: "Moscow says 23,000 terrorists operate in Afghanistan"}
	if err := db.CreateClaim(ctx, twin, ed); err != nil {
		t.Fatal(err)
	}

	got, err := db.MatchClaims(ctx, open.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Claim.ID != same.ID || got[0].Score < 0.3 {
		t.Fatalf("matches = %+v", got)
	}
	for _, m := range got {
		if m.Claim.ID == unrelated.ID || m.Claim.ID == twin.ID {
			t.Errorf("unexpected match %d", m.Claim.ID)
		}
	}
}
