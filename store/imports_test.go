package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// figures is a text dense with checkable sentences: n of them.
func figures(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "The ministry said exports to China fell by %d percent in %d, according to customs data. ", i%90+1, 1990+i%30)
	}
	return b.String()
}

func candidates(t *testing.T, db *store.DB, docID int64) []models.Claim {
	t.Helper()
	return storetest.AllClaims(t, db, models.ClaimFilter{DocumentID: docID, Statuses: []models.Status{models.StatusCandidate}, Limit: 200})
}

// A large document is stored first and detected after, in short
// transactions: the cap holds, the rest is counted, a rerun adds nothing,
// and once proposals are triaged detection proposes the next best.
func TestDetectInBatches(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.DSN(t), store.Options{MaxCandidates: 40})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	d := &models.Document{Title: "Dense", Body: figures(100)}
	if created, err := db.ImportDocument(ctx, d, nil, ed, store.Import{DetectLater: true}); err != nil || !created {
		t.Fatalf("ImportDocument = %v, %v", created, err)
	}
	if got := candidates(t, db, d.ID); len(got) != 0 {
		t.Fatalf("%d candidates before detection, want none", len(got))
	}
	var reports [][2]int
	added, err := db.DetectInBatches(ctx, d.ID, func(done, total int) { reports = append(reports, [2]int{done, total}) })
	if err != nil || added != 40 {
		t.Fatalf("DetectInBatches = %d, %v; want 40", added, err)
	}
	if len(reports) != 2 || reports[1] != [2]int{40, 40} {
		t.Errorf("progress = %v, want two batches ending at 40 of 40", reports)
	}
	got, _ := db.GetDocument(ctx, d.ID)
	if got.MoreCandidates != 60 {
		t.Errorf("more candidates = %d, want 60", got.MoreCandidates)
	}
	// A rerun (a job after a crash) adds nothing.
	if added, err := db.DetectInBatches(ctx, d.ID, nil); err != nil || added != 0 {
		t.Errorf("second run = %d, %v; want 0", added, err)
	}
	if n := len(candidates(t, db, d.ID)); n != 40 {
		t.Errorf("%d candidates after a rerun, want 40", n)
	}
	// Triage ten; the next run proposes ten more of the sixty.
	for _, c := range candidates(t, db, d.ID)[:10] {
		if _, err := db.TransitionClaim(ctx, c.ID, c.Version, models.TransitionInput{Action: models.ActionDismiss, Note: "not checkable"}, ed); err != nil {
			t.Fatal(err)
		}
	}
	if added, err := db.DetectInBatches(ctx, d.ID, nil); err != nil || added != 10 {
		t.Errorf("after triage = %d, %v; want 10", added, err)
	}
	if got, _ := db.GetDocument(ctx, d.ID); got.MoreCandidates != 50 {
		t.Errorf("more candidates = %d, want 50", got.MoreCandidates)
	}
}

// An import under a key is made once: the same key gives back the first
// document, and the key reused for another text is a conflict.
func TestImportKeys(t *testing.T) {
	db, ctx, ed := openDesk(t)
	first := &models.Document{Title: "Once", Body: figures(3)}
	if created, err := db.ImportDocument(ctx, first, nil, ed, store.Import{Key: "k1"}); err != nil || !created {
		t.Fatalf("first import = %v, %v", created, err)
	}
	again := &models.Document{Title: "Once", Body: figures(3)}
	if created, err := db.ImportDocument(ctx, again, nil, ed, store.Import{Key: "k1"}); err != nil || created || again.ID != first.ID {
		t.Errorf("repeat = created %v, id %d, %v; want the first document %d", created, again.ID, err, first.ID)
	}
	other := &models.Document{Title: "Other", Body: figures(4)}
	if _, err := db.ImportDocument(ctx, other, nil, ed, store.Import{Key: "k1"}); models.ErrorCode(err) != models.ECONFLICT {
		t.Errorf("key reused for another text = %v, want conflict", err)
	}
	docs, err := db.ListDocuments(ctx, store.DocumentFilter{Limit: 10})
	if err != nil || len(docs) != 1 {
		t.Errorf("%d documents, %v; want 1", len(docs), err)
	}
	if got, err := db.ImportedBy(ctx, "k1"); err != nil || got == nil || got.ID != first.ID {
		t.Errorf("ImportedBy = %v, %v", got, err)
	}
}
