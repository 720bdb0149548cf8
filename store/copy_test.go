package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/demo"
	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// fill gives db a row in every table: the demo document with its claims, a
// published verdict with a correction, evidence, a session and a token.
func fill(t *testing.T, db *store.DB) (pub *models.Claim) {
	t.Helper()
	ctx := context.Background()
	alice := storetest.User(t, db, "alice@example.org", models.RoleEditor)
	bob := storetest.User(t, db, "bob@example.org", models.RoleEditor)
	listed, err := demo.Claims()
	if err != nil {
		t.Fatal(err)
	}
	doc := demo.Document()
	if _, err := db.ImportOnce(ctx, demo.ImportKey, &doc, listed, demo.Summary); err != nil {
		t.Fatal(err)
	}
	page, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}})
	if err != nil || len(page.Claims) == 0 {
		t.Fatalf("demo claims: %v", err)
	}
	c := page.Claims[0]
	if _, err := db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceContext, Excerpt: "naïve “quotes”"},
		&models.Source{Title: "Ministry figures", URL: "https://example.org/figures", Kind: models.SourceOfficial}, alice); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		who *models.User
		in  models.TransitionInput
	}{
		{alice, models.TransitionInput{Action: models.ActionStart}},
		{alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.RatingMixed), Explanation: ptr("One source gives the figure.")}},
		{bob, models.TransitionInput{Action: models.ActionApprove}},
		{bob, models.TransitionInput{Action: models.ActionCorrect, Note: "The figure was 20,000.", Rating: ptr(models.RatingMostlyFalse)}},
		{alice, models.TransitionInput{Action: models.ActionApprove}},
	}
	for _, s := range steps {
		if pub, err = storetest.Transition(ctx, db, c.ID, s.in, s.who); err != nil {
			t.Fatalf("%s: %v", s.in.Action, err)
		}
	}
	srcs, err := db.ListSources(ctx, store.SourceFilter{})
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources: %v", err)
	}
	if _, _, err := db.SaveSnapshot(ctx, snapshotOf(&srcs[0].Source, srcs[0].URL, snapshotBytes, time.Now().UTC()), "", snapshotBytes); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateSession(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateAPIToken(ctx, bob.ID, "cms"); err != nil {
		t.Fatal(err)
	}
	return pub
}

// snapshotBytes are not UTF-8: a copy must move them as bytes.
var snapshotBytes = []byte("%PDF-1.4\n\x00\xff\xfe binary \x80")

func TestCopyMovesEveryRowKeepingIDs(t *testing.T) {
	ctx := context.Background()
	src := storetest.OpenPath(t, filepath.Join(t.TempDir(), "src.db"))
	pub := fill(t, src)
	dsn := storetest.DSN(t)
	dst := storetest.OpenDSN(t, dsn)

	counts, err := src.CopyTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if store.Dialect(dsn) == store.Postgres {
		// Vacuumed, not only analysed: index-only scans count a word's
		// claims from the first query (bench/RESULTS.md).
		var visible int64
		if err := storetest.Raw(t, dsn).QueryRow(`SELECT relallvisible FROM pg_class WHERE oid = 'claims'::regclass`).Scan(&visible); err != nil || visible == 0 {
			t.Errorf("claims after the copy: %d pages all-visible (%v), want the copy vacuumed", visible, err)
		}
	}
	got := map[string]int64{}
	for _, c := range counts {
		got[c.Table] = c.Rows
	}
	for _, table := range []string{"users", "documents", "claims", "sources", "evidences", "corrections", "revisions", "sessions", "api_tokens", "meta", "source_snapshots", "source_archives"} {
		if got[table] == 0 {
			t.Errorf("%s: %d rows copied, want some", table, got[table])
		}
	}
	if got["users"] != 2 || got["corrections"] != 1 || got["sessions"] != 1 {
		t.Errorf("counts = %v", got)
	}

	a, err := dst.GetClaimDetail(ctx, pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Claim.Version != pub.Version || a.Claim.Rating != models.RatingMostlyFalse || a.Claim.Exact != pub.Exact ||
		!a.Claim.PublishedAt.Equal(*pub.PublishedAt) || len(a.Corrections) != 1 || len(a.Evidence) != 1 || a.Evidence[0].Excerpt != "naïve “quotes”" {
		t.Errorf("copied claim = %+v", a)
	}
	if snaps, err := dst.ListSnapshots(ctx, a.Evidence[0].SourceID); err != nil || len(snaps) != 1 {
		t.Errorf("copied snapshots %v, %v", snaps, err)
	} else if got, err := dst.GetSnapshot(ctx, snaps[0].ID, true); err != nil || string(got.Body) != string(snapshotBytes) {
		t.Errorf("copied snapshot bytes %q, %v", got.Body, err)
	}
	ra, _ := src.ListRevisions(ctx, store.RevisionFilter{})
	rb, _ := dst.ListRevisions(ctx, store.RevisionFilter{})
	if len(ra) != len(rb) || ra[0].ID != rb[0].ID || ra[0].After != rb[0].After {
		t.Errorf("revisions: %d in the source, %d copied", len(ra), len(rb))
	}
	for _, q := range []string{"terrorists", "23,000"} {
		ha, _ := src.Search(ctx, q, store.SearchOptions{})
		hb, _ := dst.Search(ctx, q, store.SearchOptions{})
		if len(ha) == 0 || len(ha) != len(hb) {
			t.Errorf("search %q: %d hits in the source, %d in the copy", q, len(ha), len(hb))
		}
	}
	if _, err := dst.Authenticate(ctx, "alice@example.org", storetest.Password); err != nil {
		t.Errorf("sign-in on the copy: %v", err)
	}

	// New rows take IDs after the copied ones.
	ed := storetest.User(t, dst, "carol@example.org", models.RoleEditor)
	if ed.ID != 3 {
		t.Errorf("new user ID %d, want 3", ed.ID)
	}
	c := &models.Claim{Text: "Exports fell by 12 percent in 2024.", Kind: models.KindStatistic}
	if err := dst.CreateClaim(ctx, c, ed); err != nil {
		t.Fatalf("new claim after the copy: %v", err)
	}
	if c.ID != got["claims"]+1 {
		t.Errorf("new claim ID %d after %d copied", c.ID, got["claims"])
	}

	t.Run("ErrNotEmpty", func(t *testing.T) {
		if _, err := src.CopyTo(ctx, dst); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("copy into a full database: %v, want conflict", err)
		}
		if n, _ := dst.CountUsers(ctx); n != 3 {
			t.Errorf("the refused copy left %d users", n)
		}
	})
}

// A database whose schema is newer than the binary is refused with a
// message that says what to do, on either engine.
func TestNewerSchemaIsRefusedOnEveryEngine(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	db.Close()
	raw := storetest.Raw(t, dsn)
	q := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', ?)"
	if storetest.Engine() == store.Postgres {
		q = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', $2)"
	}
	if _, err := raw.Exec(q, store.SchemaVersion()+1, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(ctx, dsn, store.Options{})
	if models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("open a newer schema: %v, want conflict", err)
	}
	if msg := models.ErrorMessage(err); msg == "" || !strings.Contains(msg, "upgrade factdesk") {
		t.Errorf("message %q does not say what to do", msg)
	}
}
