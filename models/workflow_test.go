package models_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"factdesk/models"
)

func ptr[T any](v T) *T { return &v }

var (
	alice = &models.User{ID: 1, Role: models.RoleEditor}
	bob   = &models.User{ID: 2, Role: models.RoleEditor}
	root  = &models.User{ID: 3, Role: models.RoleAdmin}
	gone  = &models.User{ID: 4, Role: models.RoleEditor, Disabled: true}
)

// claimIn returns a claim in status s with what that status implies.
func claimIn(s models.Status) models.Claim {
	c := models.Claim{Text: "23,000 terrorists operate inside Afghanistan", Kind: models.KindStatistic, Status: s}
	switch s {
	case models.StatusInReview, models.StatusPublished:
		c.Rating, c.Explanation, c.SubmitterID = models.RatingMixed, "The figure comes from one source.", &alice.ID
	case models.StatusDismissed:
		c.DismissReason = "opinion"
	}
	return c
}

func TestTransitionAllowed(t *testing.T) {
	tests := []struct {
		name   string
		from   models.Status
		actor  *models.User
		in     models.TransitionInput
		want   models.Status
		verify func(t *testing.T, c models.Claim, r models.TransitionResult)
	}{
		{"accept", models.StatusCandidate, alice, models.TransitionInput{Action: models.ActionAccept}, models.StatusOpen, nil},
		{"dismiss candidate", models.StatusCandidate, alice, models.TransitionInput{Action: models.ActionDismiss, Note: "opinion"}, models.StatusDismissed,
			func(t *testing.T, c models.Claim, _ models.TransitionResult) {
				if c.DismissReason != "opinion" {
					t.Errorf("reason = %q", c.DismissReason)
				}
			}},
		{"dismiss open", models.StatusOpen, bob, models.TransitionInput{Action: models.ActionDismiss, Note: "duplicate"}, models.StatusDismissed, nil},
		{"reopen", models.StatusDismissed, alice, models.TransitionInput{Action: models.ActionReopen}, models.StatusOpen,
			func(t *testing.T, c models.Claim, _ models.TransitionResult) {
				if c.DismissReason != "" {
					t.Errorf("reason kept: %q", c.DismissReason)
				}
			}},
		{"start", models.StatusOpen, alice, models.TransitionInput{Action: models.ActionStart}, models.StatusResearching, nil},
		{"submit with verdict", models.StatusResearching, alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.RatingFalse), Explanation: ptr("No such figure.")}, models.StatusInReview,
			func(t *testing.T, c models.Claim, _ models.TransitionResult) {
				if c.SubmitterID == nil || *c.SubmitterID != alice.ID || c.Rating != models.RatingFalse {
					t.Errorf("submitter %v rating %q", c.SubmitterID, c.Rating)
				}
			}},
		{"send back", models.StatusInReview, bob, models.TransitionInput{Action: models.ActionSendBack, Note: "needs a second source"}, models.StatusResearching, nil},
		{"approve by second editor", models.StatusInReview, bob, models.TransitionInput{Action: models.ActionApprove}, models.StatusPublished,
			func(t *testing.T, c models.Claim, r models.TransitionResult) {
				if c.ReviewerID == nil || *c.ReviewerID != bob.ID || c.PublishedAt == nil || r.Override {
					t.Errorf("reviewer %v published %v override %v", c.ReviewerID, c.PublishedAt, r.Override)
				}
			}},
		{"admin approves own", models.StatusInReview, root, models.TransitionInput{Action: models.ActionApprove, OverrideReason: "the desk is one person tonight"}, models.StatusPublished,
			func(t *testing.T, c models.Claim, r models.TransitionResult) {
				if c.OverrideReason != "the desk is one person tonight" {
					t.Errorf("override reason %q", c.OverrideReason)
				}
			}},
		{"correct proposes", models.StatusPublished, bob, models.TransitionInput{Action: models.ActionCorrect, Note: "Figure updated.", Rating: ptr(models.RatingMostlyFalse)}, models.StatusPublished,
			func(t *testing.T, c models.Claim, r models.TransitionResult) {
				if r.Correction != "" || c.Rating != models.RatingMixed || r.Pending == nil || *r.Pending.Rating != models.RatingMostlyFalse || r.Pending.Note != "Figure updated." {
					t.Errorf("correction %q rating %q pending %+v", r.Correction, c.Rating, r.Pending)
				}
			}},
		{"retract by admin", models.StatusPublished, root, models.TransitionInput{Action: models.ActionRetract, Note: "source withdrawn"}, models.StatusResearching,
			func(t *testing.T, c models.Claim, r models.TransitionResult) {
				if c.PublishedAt != nil || r.Correction == "" {
					t.Errorf("published %v correction %q", c.PublishedAt, r.Correction)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claimIn(tt.from)
			if tt.name == "admin approves own" {
				c.SubmitterID = &root.ID
			}
			r, err := models.Transition(&c, tt.actor, tt.in, reviewOf(&c), time.Now())
			if err != nil {
				t.Fatalf("Transition: %v", err)
			}
			if c.Status != tt.want || r.To != tt.want || r.From != tt.from {
				t.Fatalf("status = %s (result %s→%s), want %s", c.Status, r.From, r.To, tt.want)
			}
			if tt.name == "admin approves own" && !r.Override {
				t.Error("override not recorded")
			}
			if tt.verify != nil {
				tt.verify(t, c, r)
			}
		})
	}
}

// reviewOf is the review of a claim whose submitter alone wrote its verdict.
func reviewOf(c *models.Claim) models.Review {
	rv := models.Review{Rule: models.TwoPersonOverride}
	if c.Status == models.StatusInReview && c.SubmitterID != nil {
		rv.Authors = []int64{*c.SubmitterID}
	}
	return rv
}

func TestTransitionRefused(t *testing.T) {
	tests := []struct {
		name  string
		from  models.Status
		actor *models.User
		in    models.TransitionInput
		code  string
	}{
		{"no actor", models.StatusCandidate, nil, models.TransitionInput{Action: models.ActionAccept}, models.EUNAUTHORIZED},
		{"disabled actor", models.StatusCandidate, gone, models.TransitionInput{Action: models.ActionAccept}, models.EUNAUTHORIZED},
		{"unknown action", models.StatusOpen, alice, models.TransitionInput{Action: "publish"}, models.EINVALID},
		{"accept open", models.StatusOpen, alice, models.TransitionInput{Action: models.ActionAccept}, models.ECONFLICT},
		{"dismiss without reason", models.StatusCandidate, alice, models.TransitionInput{Action: models.ActionDismiss}, models.EINVALID},
		{"dismiss published", models.StatusPublished, alice, models.TransitionInput{Action: models.ActionDismiss, Note: "x"}, models.ECONFLICT},
		{"reopen open", models.StatusOpen, alice, models.TransitionInput{Action: models.ActionReopen}, models.ECONFLICT},
		{"start candidate", models.StatusCandidate, alice, models.TransitionInput{Action: models.ActionStart}, models.ECONFLICT},
		{"submit without rating", models.StatusResearching, alice, models.TransitionInput{Action: models.ActionSubmit, Explanation: ptr("why")}, models.EINVALID},
		{"submit without explanation", models.StatusResearching, alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.RatingTrue)}, models.EINVALID},
		{"submit unknown rating", models.StatusResearching, alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.Rating("Pants on fire!")), Explanation: ptr("why")}, models.EINVALID},
		{"submit from open", models.StatusOpen, alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.RatingTrue), Explanation: ptr("why")}, models.ECONFLICT},
		{"send back without note", models.StatusInReview, bob, models.TransitionInput{Action: models.ActionSendBack}, models.EINVALID},
		{"approve own submission", models.StatusInReview, alice, models.TransitionInput{Action: models.ActionApprove}, models.EFORBIDDEN},
		{"approve researching", models.StatusResearching, bob, models.TransitionInput{Action: models.ActionApprove}, models.ECONFLICT},
		{"rating on accept", models.StatusCandidate, alice, models.TransitionInput{Action: models.ActionAccept, Rating: ptr(models.RatingTrue)}, models.EINVALID},
		{"correct without note", models.StatusPublished, bob, models.TransitionInput{Action: models.ActionCorrect, Rating: ptr(models.RatingTrue)}, models.EINVALID},
		{"correct unpublished", models.StatusInReview, bob, models.TransitionInput{Action: models.ActionCorrect, Note: "x"}, models.ECONFLICT},
		{"retract by editor", models.StatusPublished, bob, models.TransitionInput{Action: models.ActionRetract, Note: "x"}, models.EFORBIDDEN},
		{"retract without note", models.StatusPublished, root, models.TransitionInput{Action: models.ActionRetract}, models.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claimIn(tt.from)
			before := c
			_, err := models.Transition(&c, tt.actor, tt.in, reviewOf(&c), time.Now())
			if got := models.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
			if c != before {
				t.Errorf("claim changed by a refused transition: %+v", c)
			}
		})
	}
}

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		status models.Status
		actor  *models.User
		want   []models.Action
	}{
		{models.StatusCandidate, alice, []models.Action{models.ActionAccept, models.ActionDismiss}},
		{models.StatusOpen, alice, []models.Action{models.ActionDismiss, models.ActionStart}},
		{models.StatusInReview, alice, []models.Action{models.ActionSendBack}},
		{models.StatusInReview, bob, []models.Action{models.ActionSendBack, models.ActionApprove}},
		{models.StatusPublished, bob, []models.Action{models.ActionCorrect}},
		{models.StatusPublished, root, []models.Action{models.ActionCorrect, models.ActionRetract}},
		{models.StatusDismissed, alice, []models.Action{models.ActionReopen}},
		{models.StatusOpen, nil, nil},
	}
	for _, tt := range tests {
		c := claimIn(tt.status)
		got := models.AllowedActions(&c, tt.actor, reviewOf(&c))
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.status, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: got %v, want %v", tt.status, got, tt.want)
			}
		}
	}
}

// An edit never changes what readers see of a published claim: those
// fields wait in a pending correction (Propose).
func TestClaimUpdateLeavesPublishedVerdict(t *testing.T) {
	c := claimIn(models.StatusPublished)
	before := c
	if err := (models.ClaimUpdate{Text: ptr("x"), Claimant: ptr("Moscow"), Rating: ptr(models.RatingTrue), Explanation: ptr("y")}).Apply(&c); err != nil {
		t.Fatal(err)
	}
	if c != before {
		t.Errorf("published claim changed by an edit: %+v", c)
	}
}

func TestPropose(t *testing.T) {
	c := claimIn(models.StatusPublished)
	now := time.Now()
	p, err := models.Propose(&c, nil, ptr("23,500 terrorists operate inside Afghanistan"), nil, nil, nil, "The figure was 23,500.", now)
	if err != nil || p == nil || *p.Text != "23,500 terrorists operate inside Afghanistan" || p.Rating != nil {
		t.Fatalf("Propose = %+v, %v", p, err)
	}
	// A later change keeps the note and the text; setting the text back drops it.
	p, err = models.Propose(&c, p, ptr(c.Text), nil, ptr(models.RatingFalse), nil, "", now)
	if err != nil || p.Text != nil || *p.Rating != models.RatingFalse || p.Note != "The figure was 23,500." {
		t.Fatalf("Propose again = %+v, %v", p, err)
	}
	if p, err := models.Propose(&c, nil, ptr(c.Text), nil, nil, nil, "", now); p != nil || err != nil {
		t.Errorf("a change to nothing = %+v, %v", p, err)
	}
	if _, err := models.Propose(&c, nil, nil, ptr("Russia"), nil, nil, " ", now); models.ErrorFields(err)["note"] == "" {
		t.Errorf("no note: %v", err)
	}
	if _, err := models.Propose(&c, nil, nil, nil, nil, ptr(" "), "n", now); models.ErrorFields(err)["explanation"] == "" {
		t.Errorf("blank explanation: %v", err)
	}
}

func TestMayApprove(t *testing.T) {
	c := claimIn(models.StatusInReview)
	tests := []struct {
		name     string
		actor    *models.User
		authors  []int64
		rule     models.TwoPersonRule
		reason   string
		code     string
		override bool
	}{
		{"second editor", bob, []int64{alice.ID}, models.TwoPersonOverride, "", "", false},
		{"submitter", alice, []int64{alice.ID}, models.TwoPersonOverride, "", models.EFORBIDDEN, false},
		{"reviewer who edited", bob, []int64{alice.ID, bob.ID}, models.TwoPersonOverride, "", models.EFORBIDDEN, false},
		{"editor with a reason", bob, []int64{bob.ID}, models.TwoPersonOverride, "late", models.EFORBIDDEN, false},
		{"admin without reason", root, []int64{root.ID}, models.TwoPersonOverride, " ", models.EINVALID, false},
		{"admin with reason", root, []int64{root.ID}, models.TwoPersonOverride, "alone tonight", "", true},
		{"admin in strict mode", root, []int64{root.ID}, models.TwoPersonStrict, "alone tonight", models.EFORBIDDEN, false},
		{"admin who wrote nothing, strict", root, []int64{alice.ID}, models.TwoPersonStrict, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := models.MayApprove(&c, tt.actor, models.Review{Authors: tt.authors, Rule: tt.rule}, tt.reason)
			if models.ErrorCode(err) != tt.code || o != tt.override {
				t.Errorf("MayApprove = %v, %v; want code %q override %v", o, err, tt.code, tt.override)
			}
		})
	}
}

func TestVerdictAuthors(t *testing.T) {
	rev := func(entity, action string, who *models.User, before, after string) models.Revision {
		return models.Revision{Entity: entity, Action: action, UserID: &who.ID, Before: before, After: after}
	}
	c := claimIn(models.StatusInReview)
	// Newest first: bob edited the explanation after alice submitted, root
	// the text before; root's assignment writes nothing of the verdict.
	revs := []models.Revision{
		rev(models.EntityClaim, "update", root, `{"assignee_id":null}`, `{"assignee_id":2}`),
		rev(models.EntityClaim, "update", bob, `{"explanation":"a"}`, `{"explanation":"b"}`),
		rev(models.EntityClaim, "submit", alice, `{"status":"researching"}`, `{"status":"in_review"}`),
		rev(models.EntityClaim, "update", root, `{"text":"a"}`, `{"text":"b"}`),
	}
	if got := models.VerdictAuthors(&c, revs); !slices.Equal(got, []int64{alice.ID, bob.ID, root.ID}) {
		t.Errorf("in review: %v", got)
	}
	p := claimIn(models.StatusPublished)
	revs = []models.Revision{
		rev(models.EntityEvidence, "create", root, `{}`, `{"stance":"refutes"}`),
		rev(models.EntityClaim, models.RevisionProposeCorrection, bob, `{}`, `{"rating":"false"}`),
		rev(models.EntityClaim, "approve", root, `{"status":"in_review"}`, `{"status":"published"}`),
		rev(models.EntityClaim, "submit", alice, `{}`, `{}`),
	}
	if got := models.VerdictAuthors(&p, revs); !slices.Equal(got, []int64{root.ID, bob.ID}) {
		t.Errorf("published: %v", got)
	}
}

func TestNewAnchor(t *testing.T) {
	body := "It is naïve to say “23,000 terrorists” operate."
	tests := []struct {
		name       string
		start, end int
		exact      string
		code       string
	}{
		{"non-ASCII before", 20, 37, "23,000 terrorists", ""},
		{"with quotes", 19, 38, "“23,000 terrorists”", ""},
		{"whole", 0, 47, body, ""},
		{"empty", 5, 5, "", models.EINVALID},
		{"reversed", 6, 5, "", models.EINVALID},
		{"past end", 40, 48, "", models.EINVALID},
		{"negative", -1, 3, "", models.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := models.NewAnchor(body, tt.start, tt.end)
			if got := models.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
			if a.Exact != tt.exact {
				t.Errorf("exact = %q, want %q", a.Exact, tt.exact)
			}
		})
	}
	a, _ := models.NewAnchor(body, 20, 37)
	if a.Prefix != "It is naïve to say “" || a.Suffix != "” operate." {
		t.Errorf("prefix %q suffix %q", a.Prefix, a.Suffix)
	}
}

func TestQuoteAnchor(t *testing.T) {
	body := "It is naïve to say “23,000 terrorists” operate, “23,000 terrorists” again."
	if a, ok := models.QuoteAnchor(body, "“23,000 terrorists”"); !ok || a.Start != 19 || a.End != 38 || a.Exact != "“23,000 terrorists”" || a.Prefix != "It is naïve to say " {
		t.Errorf("QuoteAnchor = %+v, %v; want the first place, 19 to 38", a, ok)
	}
	for _, quote := range []string{"24,000", ""} {
		if a, ok := models.QuoteAnchor(body, quote); ok {
			t.Errorf("QuoteAnchor(%q) = %+v, want none", quote, a)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Moscow’s warning about “23,000 terrorists”": "moscow-s-warning-about-23-000-terrorists",
		"<script>":        "script",
		"   ":             "claim",
		"It is naïve":     "it-is-naive",
		"Путин заявил":    "putin-zaiavil",
		"snake_case & co": "snake-case-and-co",
		"’":               "claim",
		// Cut at 80, never on a hyphen: the old slugs kept the next letter.
		strings.Repeat("abcdef ", 20): strings.Repeat("abcdef-", 11) + "abc",
		strings.Repeat("abcd ", 20):   strings.Repeat("abcd-", 16) + "a",
	} {
		if got := models.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProposeEvidence(t *testing.T) {
	c := claimIn(models.StatusPublished)
	now := time.Now()
	edit := models.EvidenceChange{Op: models.EvidenceEdit, EvidenceID: 7, Stance: models.StanceRefutes}
	if _, err := models.ProposeEvidence(&c, nil, edit, " ", now); models.ErrorFields(err)["note"] == "" {
		t.Fatalf("no note: %v", err)
	}
	if _, err := models.ProposeEvidence(&c, nil, models.EvidenceChange{Op: models.EvidenceEdit, EvidenceID: 7, Stance: "maybe"}, "n", now); models.ErrorFields(err)["stance"] == "" {
		t.Fatalf("bad stance: %v", err)
	}
	p, err := models.ProposeEvidence(&c, nil, edit, "The report refutes it.", now)
	if err != nil || p.Empty() {
		t.Fatal(p, err)
	}
	p, _ = models.ProposeEvidence(&c, p, models.EvidenceChange{Op: models.EvidenceAdd, SourceID: 3, Stance: models.StanceContext}, "", now)
	// Removing the edited link replaces its edit; the added source stays.
	p, _ = models.ProposeEvidence(&c, p, models.EvidenceChange{Op: models.EvidenceRemove, EvidenceID: 7}, "", now)
	if len(p.Evidence) != 2 || p.Evidence[0].Op != models.EvidenceAdd || p.Evidence[1].Op != models.EvidenceRemove || p.Note != "The report refutes it." {
		t.Errorf("evidence changes = %+v, note %q", p.Evidence, p.Note)
	}
	// Text proposed later keeps the evidence changes.
	p, err = models.Propose(&c, p, ptr("New wording"), nil, nil, nil, "", now)
	if err != nil || len(p.Evidence) != 2 {
		t.Errorf("Propose dropped the evidence changes: %+v %v", p, err)
	}
}
