package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"factdesk/demo"
	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestImportOnceImportsTheDemoOnce(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	listed, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	doc := demo.Document()
	ok, err := db.ImportOnce(ctx, demo.ImportKey, &doc, listed, demo.Summary)
	if err != nil || !ok {
		t.Fatalf("first import: %v %v", ok, err)
	}
	again := demo.Document()
	if ok, err := db.ImportOnce(ctx, demo.ImportKey, &again, listed, demo.Summary); err != nil || ok {
		t.Fatalf("second import: %v %v", ok, err)
	}
	if n, _ := db.CountDocuments(ctx); n != 1 {
		t.Fatalf("%d documents", n)
	}
	page, _ := db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}, Limit: 200})
	if len(page.Claims) != len(listed) || len(listed) < 12 {
		t.Fatalf("%d open claims, %d listed", len(page.Claims), len(listed))
	}
	var sawMoscow, sawHavens bool
	for _, c := range page.Claims {
		if c.Rating != "" || c.Explanation != "" {
			t.Errorf("demo claim %d carries a verdict", c.ID)
		}
		sawMoscow = sawMoscow || strings.Contains(c.Exact, "23,000 terrorists")
		sawHavens = sawHavens || strings.Contains(c.Exact, "safe havens")
		if []rune(doc.Body)[c.Start] != []rune(c.Exact)[0] {
			t.Errorf("claim %d anchored off its words", c.ID)
		}
	}
	if !sawMoscow || !sawHavens {
		t.Error("the demo lacks the 23,000 terrorists or safe havens claim")
	}
	if doc.Title != "" || doc.Publisher != "" || doc.PublishedOn != nil {
		t.Error("the demo invents metadata the text does not state")
	}
}

func TestDetectionDoesNotDuplicateOrTouchTriaged(t *testing.T) {
	db, ctx, ed := openDesk(t)
	text := "The ministry said unemployment rose to 7.4 percent in March, up from 6.1 percent a year earlier. We must act now. Exports to China fell by 12 percent in 2024, according to customs data."
	d := storetest.Document(t, db, text, ed)
	cands, _ := db.ListClaims(ctx, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusCandidate}})
	if len(cands.Claims) < 2 {
		t.Fatalf("%d candidates proposed", len(cands.Claims))
	}
	for _, c := range cands.Claims {
		if strings.Contains(c.Exact, "must act") {
			t.Errorf("exhortation proposed: %q", c.Exact)
		}
	}
	dismissed, err := storetest.Transition(ctx, db, cands.Claims[0].ID, models.TransitionInput{Action: models.ActionDismiss, Note: "not check-worthy"}, ed)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.DetectInBatches(ctx, d.ID, nil)
	if err != nil || n != 0 {
		t.Fatalf("detection again added %d (%v)", n, err)
	}
	all, _ := db.ListClaims(ctx, models.ClaimFilter{DocumentID: d.ID})
	if len(all.Claims) != len(cands.Claims) {
		t.Errorf("%d claims after re-running detection, want %d", len(all.Claims), len(cands.Claims))
	}
	still, _ := db.GetClaim(ctx, dismissed.ID)
	if still.Status != models.StatusDismissed || still.Version != dismissed.Version {
		t.Errorf("a triaged claim was touched: %+v", still)
	}
}

func TestBodyEditReanchorsOrFlags(t *testing.T) {
	db, ctx, ed := openDesk(t)
	text := "Intro. It is naïve to assume that “23,000 terrorists” operate there. Another sentence follows here."
	d := storetest.Document(t, db, text, ed)
	start := strings.Index(text, "“23,000")
	c := storetest.Claim(t, db, d, len([]rune(text[:start])), len([]rune(text[:start]))+len([]rune("“23,000 terrorists”")), ed)
	gone := storetest.Claim(t, db, d, 0, len([]rune("Intro.")), ed)

	newBody := "A new opening paragraph, with “quotes” and naïveté. It is naïve to assume that “23,000 terrorists” operate there. Another sentence follows here."
	got, orphaned, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &newBody, Summary: "lede rewritten"}, ed)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != d.Version+1 {
		t.Errorf("version %d", got.Version)
	}
	if orphaned != 1 {
		t.Errorf("the edit reports %d claims left without a place, want 1", orphaned)
	}
	moved, _ := db.GetClaim(ctx, c.ID)
	if moved.Orphaned || moved.Exact != c.Exact || string([]rune(newBody)[moved.Start:moved.End]) != c.Exact {
		t.Errorf("claim not re-anchored: %+v", moved.Anchor)
	}
	lost, _ := db.GetClaim(ctx, gone.ID)
	if !lost.Orphaned || lost.Start != gone.Start {
		t.Errorf("claim whose quote vanished: orphaned %v, start %d (was %d)", lost.Orphaned, lost.Start, gone.Start)
	}
	revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID})
	if revs[0].Action != "reanchor" {
		t.Errorf("no reanchor revision: %+v", revs[0])
	}
	if _, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &text}, ed); models.ErrorCode(err) != models.ECONFLICT {
		t.Errorf("stale document edit: %v", err)
	}
}

func TestDeleteDocumentRefusedWithPublishedClaims(t *testing.T) {
	db, ctx, alice, bob := openDeskOfTwo(t)
	d, c := bodyClaim(t, db, alice)
	storetest.Publish(t, db, c.ID, models.RatingUnproven, "No public data.", alice, bob)
	if err := db.DeleteDocument(ctx, d.ID, alice); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("delete with a published claim: %v", err)
	}
	if _, err := db.GetDocument(ctx, d.ID); err != nil {
		t.Fatal("document gone after a refused delete")
	}
}

func TestImportOnceFromReplicasStartingTogether(t *testing.T) {
	dsn := storetest.DSN(t)
	listed, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	const replicas = 4
	imported := make(chan bool, replicas)
	for i := 0; i < replicas; i++ {
		db := storetest.OpenDSN(t, dsn)
		go func() {
			doc := demo.Document()
			ok, err := db.ImportOnce(context.Background(), demo.ImportKey, &doc, listed, demo.Summary)
			if err != nil {
				t.Error(err)
			}
			imported <- ok
		}()
	}
	n := 0
	for i := 0; i < replicas; i++ {
		if <-imported {
			n++
		}
	}
	db := storetest.OpenDSN(t, dsn)
	if docs, _ := db.CountDocuments(context.Background()); n != 1 || docs != 1 {
		t.Fatalf("%d replicas imported, %d documents", n, docs)
	}
}

// An untriaged proposal states its own quote, so an edit inside the quote
// changes what it states; a claim an editor accepted keeps its wording.
func TestBodyEditMovesAProposalsWording(t *testing.T) {
	db, ctx, ed := openDesk(t)
	// A proposal is the clause, without its full stop.
	first := "The ministry said unemployment rose to 7.4 percent in March, up from 6.1 percent a year earlier"
	second := "Exports to China fell by 12 percent in 2024, according to customs data"
	d := storetest.Document(t, db, first+". "+second+".", ed)
	cands, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusCandidate}})
	if err != nil || len(cands.Claims) != 2 {
		t.Fatalf("%d candidates (%v), want 2", len(cands.Claims), err)
	}
	proposal, accepted := cands.Claims[0], cands.Claims[1]
	if proposal.Text != first || accepted.Text != second {
		t.Fatalf("candidates state %q and %q", proposal.Text, accepted.Text)
	}
	if _, err := db.TransitionClaim(ctx, accepted.ID, accepted.Version, models.TransitionInput{Action: models.ActionAccept}, ed); err != nil {
		t.Fatal(err)
	}
	editedFirst := strings.Replace(first, "said", "reported that", 1)
	editedSecond := strings.Replace(second, "fell by", "dropped by", 1)
	body := editedFirst + ". " + editedSecond + "."
	if _, _, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: d.Version, Body: &body}, ed); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id         int64
		text, cite string
	}{
		{proposal.ID, editedFirst, editedFirst},
		{accepted.ID, second, editedSecond},
	} {
		got, err := db.GetClaim(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Orphaned || got.Exact != tt.cite || got.Text != tt.text {
			t.Errorf("claim %d: orphaned %v, quote %q, states %q; want quote %q stating %q", tt.id, got.Orphaned, got.Exact, got.Text, tt.cite, tt.text)
		}
	}
}

func TestWorkByDocument(t *testing.T) {
	db, ctx, ed := openDesk(t)
	text := "The ministry said unemployment rose to 7.4 percent in March, up from 6.1 percent a year earlier. Exports to China fell by 12 percent in 2024, according to customs data."
	busy := storetest.Document(t, db, text, ed)
	quiet := storetest.Document(t, db, "We must act now.", ed)
	cands, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: busy.ID, Statuses: []models.Status{models.StatusCandidate}})
	if err != nil || len(cands.Claims) != 2 {
		t.Fatalf("%d candidates (%v), want 2", len(cands.Claims), err)
	}
	if _, err := db.TransitionClaim(ctx, cands.Claims[0].ID, cands.Claims[0].Version, models.TransitionInput{Action: models.ActionAccept}, ed); err != nil {
		t.Fatal(err)
	}
	// The accepted claim's figures leave the text: it loses its place.
	body := strings.Replace(text, "7.4 percent in March, up from 6.1 percent", "sharply in March", 1)
	if _, _, err := db.UpdateDocument(ctx, busy.ID, store.DocumentUpdate{Version: busy.Version, Body: &body}, ed); err != nil {
		t.Fatal(err)
	}
	work, err := db.WorkByDocument(ctx, []int64{busy.ID, quiet.ID, 999})
	if err != nil {
		t.Fatal(err)
	}
	// Two proposals in place: the second sentence's, and detection's of the
	// edited first sentence, which the lost claim no longer covers.
	if got, want := work[busy.ID], (store.DocumentWork{Candidates: 2, Orphaned: 1}); got != want {
		t.Errorf("busy document: %+v, want %+v", got, want)
	}
	if _, ok := work[quiet.ID]; ok || len(work) != 1 {
		t.Errorf("documents without work are listed: %+v", work)
	}
	if work, err := db.WorkByDocument(ctx, nil); err != nil || len(work) != 0 {
		t.Errorf("no documents: %+v, %v", work, err)
	}
}

// A document dense with figures gives at most store.DefaultMaxCandidates
// proposals, the best scored, in one short transaction.
func TestCandidatesAreCapped(t *testing.T) {
	db, _, ed := openDesk(t)
	var b strings.Builder
	for i := range 3 * store.DefaultMaxCandidates {
		fmt.Fprintf(&b, "The ministry said exports to China fell by %d percent in %d, according to customs data. ", i%90+1, 1990+i%30)
	}
	d := storetest.Document(t, db, b.String(), ed)
	all := storetest.AllClaims(t, db, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusCandidate}, Limit: 200})
	if len(all) != store.DefaultMaxCandidates {
		t.Fatalf("%d candidates, want %d", len(all), store.DefaultMaxCandidates)
	}
}

// TestStructureEdits: a body's structure is its markers, so an edit that
// adds, changes or removes them moves claims like any other edit of the
// text: each claim is found again at its words, its offsets counting the
// markers, and the blocks read the new structure.
func TestStructureEdits(t *testing.T) {
	db, ctx, ed := openDesk(t)
	body := "The Figures\nThe ministry said unemployment fell by 4 per cent in March.\nOthers disagree."
	d := storetest.Document(t, db, body, ed)
	s, e := spanOf(t, body, "unemployment fell by 4 per cent")
	c := storetest.Claim(t, db, d, s, e, ed)

	edits := []struct {
		name, body string
		kinds      []models.BlockKind
	}{
		{"MarkersAdded", "## The Figures\n> The ministry said unemployment fell by 4 per cent in March.\n- Others disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockQuote, models.BlockBullet}},
		{"HeadingRenamedAndListAdded", "### Figures in dispute\n1. First: the ministry said unemployment fell by 4 per cent in March.\n2. Others disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockNumbered, models.BlockNumbered}},
		{"MarkersRemoved", "Figures in Dispute\nFirst: the ministry said unemployment fell by 4 per cent in March.\nOthers disagree.",
			[]models.BlockKind{models.BlockHeading, models.BlockParagraph, models.BlockParagraph}},
	}
	for _, ed2 := range edits {
		t.Run(ed2.name, func(t *testing.T) {
			cur, err := db.GetDocument(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, orphaned, err := db.UpdateDocument(ctx, d.ID, store.DocumentUpdate{Version: cur.Version, Body: &ed2.body}, ed); err != nil || orphaned != 0 {
				t.Fatalf("update: %d orphaned, %v", orphaned, err)
			}
			got, err := db.GetClaim(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			ws, we := spanOf(t, ed2.body, "unemployment fell by 4 per cent")
			if got.Orphaned || got.Start != ws || got.End != we {
				t.Errorf("claim at %d-%d (orphaned %v), want %d-%d", got.Start, got.End, got.Orphaned, ws, we)
			}
			var kinds []models.BlockKind
			for _, b := range models.Blocks(ed2.body) {
				kinds = append(kinds, b.Kind)
			}
			if len(kinds) != len(ed2.kinds) {
				t.Fatalf("blocks %v, want %v", kinds, ed2.kinds)
			}
			for i := range kinds {
				if kinds[i] != ed2.kinds[i] {
					t.Errorf("blocks %v, want %v", kinds, ed2.kinds)
					break
				}
			}
		})
	}
}
