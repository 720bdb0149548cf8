package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

const body = "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan went unheeded. It is naïve to think otherwise."

func ptr[T any](v T) *T { return &v }

func TestCreateClaimAnchorsAndRecords(t *testing.T) {
	db, ctx, ed := openDesk(t)
	d := storetest.Document(t, db, body, ed)

	t.Run("OK", func(t *testing.T) {
		c := storetest.Claim(t, db, d, 24, 41, ed)
		if c.Exact != "23,000 terrorists" || c.Prefix != "Moscow’s warning about “" || c.Suffix[:len("” operating")] != "” operating" {
			t.Fatalf("anchor = %+v", c.Anchor)
		}
		if c.Text != c.Exact || c.Status != models.StatusOpen || c.Version != 1 || c.Origin != models.OriginManual {
			t.Errorf("claim = %+v", c)
		}
		revs, err := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID})
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions = %v, %v", revs, err)
		}
		var after map[string]any
		json.Unmarshal([]byte(revs[0].After), &after)
		if revs[0].Action != "create" || revs[0].Before != "{}" || after["exact"] != "23,000 terrorists" || *revs[0].UserID != ed.ID {
			t.Errorf("revision = %+v", revs[0])
		}
	})
	for name, span := range map[string][2]int{"ErrEmpty": {5, 5}, "ErrPastEnd": {100, 200}, "ErrReversed": {10, 3}, "ErrNegative": {-1, 4}} {
		t.Run(name, func(t *testing.T) {
			c := &models.Claim{DocumentID: &d.ID, Anchor: models.Anchor{Start: span[0], End: span[1]}}
			if err := db.CreateClaim(ctx, c, ed); models.ErrorCode(err) != models.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
		})
	}
	t.Run("ErrNoDocument", func(t *testing.T) {
		c := &models.Claim{DocumentID: ptr(int64(999)), Anchor: models.Anchor{Start: 0, End: 3}}
		if err := db.CreateClaim(ctx, c, ed); models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
	t.Run("FreeStanding", func(t *testing.T) {
		c := &models.Claim{Text: "Unemployment fell to 4 percent.", Kind: models.KindStatistic}
		if err := db.CreateClaim(ctx, c, ed); err != nil || c.DocumentID != nil || c.Exact != "" {
			t.Fatalf("err = %v claim %+v", err, c)
		}
	})
}

func TestUpdateClaimStaleVersionConflicts(t *testing.T) {
	db, ctx, ed := openDesk(t)
	_, c := bodyClaim(t, db, ed)

	got, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: 1, Claimant: ptr("Russia"), Summary: "claimant named"}, ed)
	if err != nil || got.Version != 2 || got.Claimant != "Russia" {
		t.Fatalf("update: %+v, %v", got, err)
	}
	_, err = db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: 1, Claimant: ptr("Moscow")}, ed)
	if models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("stale update: err = %v, want conflict", err)
	}
	var e *models.Error
	if !asError(err, &e) || e.Current.(*models.Claim).Claimant != "Russia" {
		t.Errorf("conflict does not carry the current claim: %+v", e)
	}
	now, _ := db.GetClaim(ctx, c.ID)
	if now.Claimant != "Russia" || now.Version != 2 {
		t.Errorf("stale update changed the claim: %+v", now)
	}
	revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID})
	if len(revs) != 2 || revs[0].Summary != "claimant named" {
		t.Fatalf("revisions = %+v", revs)
	}
	changes := revs[0].Changes()
	if len(changes) != 1 || changes[0] != (models.FieldChange{Field: "claimant", Before: "", After: "Russia"}) {
		t.Errorf("changes = %+v", changes)
	}
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	db, ctx, ed := openDesk(t)
	_, c := bodyClaim(t, db, ed)

	const writers, each = 2, 500
	var wg sync.WaitGroup
	conflicts := make([]int, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; {
				cur, err := db.GetClaim(ctx, c.ID)
				if err != nil {
					t.Error(err)
					return
				}
				text := cur.Text + "x"
				_, err = db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: cur.Version, Text: &text}, ed)
				switch models.ErrorCode(err) {
				case "":
					i++
				case models.ECONFLICT:
					conflicts[w]++
				default:
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	got, _ := db.GetClaim(ctx, c.ID)
	if got.Version != 1+writers*each || len(got.Text) != len(c.Text)+writers*each {
		t.Fatalf("version %d, text length %d: want %d updates", got.Version, len(got.Text), writers*each)
	}
	revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID, Limit: 2000})
	if len(revs) != 1+writers*each {
		t.Errorf("%d revisions, want %d", len(revs), 1+writers*each)
	}
	t.Logf("conflicts seen and retried: %v", conflicts)
}

func TestTransitionsThroughStore(t *testing.T) {
	db, ctx, alice, bob := openDeskOfTwo(t)
	d, c := bodyClaim(t, db, alice)

	step := func(actor *models.User, in models.TransitionInput) (*models.Claim, error) {
		return storetest.Transition(ctx, db, c.ID, in, actor)
	}
	if _, err := step(alice, models.TransitionInput{Action: models.ActionStart}); err != nil {
		t.Fatal(err)
	}
	if _, err := step(alice, models.TransitionInput{Action: models.ActionSubmit, Rating: ptr(models.RatingMixed), Explanation: ptr("Only one government gives the figure.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := step(alice, models.TransitionInput{Action: models.ActionApprove}); models.ErrorCode(err) != models.EFORBIDDEN {
		t.Fatalf("self-approval: %v", err)
	}
	got, err := step(bob, models.TransitionInput{Action: models.ActionApprove})
	if err != nil || got.Status != models.StatusPublished || got.PublishedAt == nil {
		t.Fatalf("approve: %+v %v", got, err)
	}
	if _, err := db.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: got.Version, Rating: ptr(models.RatingTrue)}, bob); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("editing a published rating: %v", err)
	}
	proposed, err := step(bob, models.TransitionInput{Action: models.ActionCorrect, Note: "Russia's figure was 20,000.", Rating: ptr(models.RatingMostlyFalse)})
	if err != nil || proposed.Rating != models.RatingMixed || !proposed.UpdatedAt.Equal(got.UpdatedAt) {
		t.Fatalf("a proposed correction changed the published claim: %+v %v", proposed, err)
	}
	if _, err := db.TransitionClaim(ctx, c.ID, 1, models.TransitionInput{Action: models.ActionCorrect, Note: "x"}, bob); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("stale transition: %v", err)
	}
	if _, err := step(bob, models.TransitionInput{Action: models.ActionApprove}); models.ErrorCode(err) != models.EFORBIDDEN {
		t.Fatalf("approving one's own correction: %v", err)
	}
	if _, err := step(alice, models.TransitionInput{Action: models.ActionApprove}); err != nil {
		t.Fatalf("approving the correction: %v", err)
	}
	detail, err := db.GetClaimDetail(ctx, c.ID)
	if err != nil || len(detail.Corrections) != 1 || detail.Corrections[0].Note != "Russia's figure was 20,000." || detail.Claim.Rating != models.RatingMostlyFalse || detail.Document.ID != d.ID {
		t.Fatalf("detail = %+v, %v", detail, err)
	}
	if rv, err := db.ReviewOf(ctx, &detail.Claim); err != nil || rv.Pending != nil {
		t.Fatalf("pending after approval: %+v, %v", rv, err)
	}
	revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID})
	want := []string{"approve", models.RevisionProposeCorrection, "approve", "submit", "start", "create"}
	if len(revs) != len(want) {
		t.Fatalf("%d revisions, want %d", len(revs), len(want))
	}
	for i, r := range revs {
		if r.Action != want[i] {
			t.Errorf("revision %d = %s, want %s", i, r.Action, want[i])
		}
	}
}

func TestListClaimsFiltersAndPages(t *testing.T) {
	db, ctx, ed := openDesk(t)
	d := storetest.Document(t, db, body, ed)
	var ids []int64
	for i := 0; i < 7; i++ {
		c := &models.Claim{Text: "Claim number " + string(rune('a'+i)), Kind: models.KindEvent}
		if i%2 == 0 {
			c.Kind = models.KindStatistic
		}
		if err := db.CreateClaim(ctx, c, ed); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	storetest.Claim(t, db, d, 24, 41, ed)

	var seen []int64
	for _, c := range storetest.AllClaims(t, db, models.ClaimFilter{Kind: models.KindStatistic, Statuses: []models.Status{models.StatusOpen}, Limit: 2}) {
		seen = append(seen, c.ID)
	}
	if len(seen) != 5 || seen[0] != ids[0] || seen[3] != ids[6] || seen[4] != ids[6]+1 {
		t.Errorf("statistic claims by page = %v", seen)
	}
	page, _ := db.ListClaims(ctx, models.ClaimFilter{DocumentID: d.ID, Statuses: []models.Status{models.StatusOpen}})
	if len(page.Claims) != 1 || page.Claims[0].Exact != "23,000 terrorists" {
		t.Errorf("by document = %+v", page.Claims)
	}
	page, _ = db.ListClaims(ctx, models.ClaimFilter{Query: "terrorists", Statuses: []models.Status{models.StatusOpen}})
	if len(page.Claims) != 1 || page.Claims[0].Exact != "23,000 terrorists" {
		t.Errorf("by query = %+v", page.Claims)
	}
}

func TestSearchFindsClaimByQuoteWord(t *testing.T) {
	db, ctx, ed := openDesk(t)
	d, c := bodyClaim(t, db, ed)
	for _, q := range []string{"terrorists", "23,000", "TERRORISTS 23,000", "naïve"} {
		hits, err := db.Search(ctx, q, store.SearchOptions{PublicOnly: true})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if len(hits) == 0 {
			t.Errorf("%q: no hits", q)
			continue
		}
		found := false
		for _, h := range hits {
			if (h.Kind == "claim" && h.ID == c.ID) || (h.Kind == "document" && h.ID == d.ID) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: hits %+v", q, hits)
		}
	}
	hits, _ := db.Search(ctx, "terrorists", store.SearchOptions{})
	if hits[0].Kind != "claim" || hits[0].Snippet == "" || hits[0].Rank <= 0 {
		t.Errorf("best hit = %+v", hits[0])
	}
	if hits, _ := db.Search(ctx, `") OR * NEAR`, store.SearchOptions{}); len(hits) != 0 {
		t.Errorf("operators slipped through: %+v", hits)
	}
}

// Every order pages through every match once, in order, ties broken by ID,
// whatever the page size.
func TestListClaimsOrdersPageThroughEveryMatch(t *testing.T) {
	db, ctx, ed := openDesk(t)
	clock := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	db.Now = func() time.Time { return clock }
	statuses := []models.Status{models.StatusInReview, models.StatusCandidate, models.StatusOpen, models.StatusDismissed, models.StatusOpen, models.StatusPublished}
	var all []models.Claim
	for i := 0; i < 14; i++ {
		// Pairs of claims share a time stamp, and thirds a score: ties to break.
		if i%2 == 0 {
			clock = clock.Add(time.Duration(i) * time.Millisecond)
		}
		c := &models.Claim{Text: fmt.Sprintf("Claim %d", i), Kind: models.KindOther, Status: statuses[i%len(statuses)], Score: float64(i%3) / 4}
		if err := db.CreateClaim(ctx, c, ed); err != nil {
			t.Fatal(err)
		}
		all = append(all, *c)
	}
	rank := func(s models.Status) int { return slices.Index(models.Statuses, s) }
	for _, tt := range []struct {
		order    string
		statuses []models.Status
		cmp      func(a, b models.Claim) int
	}{
		{"", nil, func(a, b models.Claim) int { return cmp.Compare(a.ID, b.ID) }},
		{"-id", nil, func(a, b models.Claim) int { return cmp.Compare(b.ID, a.ID) }},
		{"-updated", nil, func(a, b models.Claim) int { return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID)) }},
		{"-score", nil, func(a, b models.Claim) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.ID, a.ID)) }},
		{"status", nil, func(a, b models.Claim) int {
			return cmp.Or(cmp.Compare(rank(a.Status), rank(b.Status)), cmp.Compare(a.ID, b.ID))
		}},
		{"status", []models.Status{models.StatusOpen, models.StatusDismissed}, func(a, b models.Claim) int {
			return cmp.Or(cmp.Compare(rank(a.Status), rank(b.Status)), cmp.Compare(a.ID, b.ID))
		}},
		{"-score", []models.Status{models.StatusOpen}, func(a, b models.Claim) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.ID, a.ID)) }},
	} {
		var want []int64
		for _, c := range slices.SortedFunc(slices.Values(all), tt.cmp) {
			if len(tt.statuses) == 0 || slices.Contains(tt.statuses, c.Status) {
				want = append(want, c.ID)
			}
		}
		for _, limit := range []int{1, 2, 3, 50} {
			t.Run(fmt.Sprintf("%s/%v/%d", tt.order, tt.statuses, limit), func(t *testing.T) {
				var got []int64
				f := models.ClaimFilter{Order: tt.order, Statuses: tt.statuses, Limit: limit}
				for pages := 0; pages < 20; pages++ {
					page, err := db.ListClaims(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range page.Claims {
						got = append(got, c.ID)
					}
					if page.Cursor == "" {
						break
					}
					f.Cursor = page.Cursor
				}
				if !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
	t.Run("ErrCursorOfAnotherOrder", func(t *testing.T) {
		page, err := db.ListClaims(ctx, models.ClaimFilter{Order: "-score", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ListClaims(ctx, models.ClaimFilter{Order: "-updated", Cursor: page.Cursor})
		if models.ErrorCode(err) != models.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("ErrUnknownOrder", func(t *testing.T) {
		if _, err := db.ListClaims(ctx, models.ClaimFilter{Order: "-published"}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}

// An edit's revision holds the changed fields alone, as JSON of the claim's
// own field names and values.
func TestUpdateClaimRevisionHoldsChangedFields(t *testing.T) {
	db, ctx, ed := openDesk(t)
	_, c := bodyClaim(t, db, ed)
	edID := &ed.ID
	for _, tt := range []struct {
		name          string
		u             models.ClaimUpdate
		before, after string
	}{
		{"TextAndKind", models.ClaimUpdate{Text: ptr("23,000 <terrorists>"), Kind: ptr(models.KindQuote)},
			`{"kind":"statistic","text":"23,000 terrorists"}`, `{"kind":"quote","text":"23,000 \u003cterrorists\u003e"}`},
		{"Assignee", models.ClaimUpdate{AssigneeID: &edID}, `{"assignee_id":null}`, fmt.Sprintf(`{"assignee_id":%d}`, ed.ID)},
		{"Nothing", models.ClaimUpdate{Kind: ptr(models.KindQuote)}, `{}`, `{}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cur, err := db.GetClaim(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.u.Version = cur.Version
			got, err := db.UpdateClaim(ctx, c.ID, tt.u, ed)
			if err != nil || got.Version != cur.Version+1 {
				t.Fatalf("update: %+v, %v", got, err)
			}
			stored, _ := db.GetClaim(ctx, c.ID)
			if stored.Version != got.Version || stored.Text != got.Text || stored.Kind != got.Kind || !stored.UpdatedAt.Equal(got.UpdatedAt) {
				t.Errorf("stored %+v, returned %+v", stored, got)
			}
			revs, _ := db.ListRevisions(ctx, store.RevisionFilter{ClaimID: c.ID, Limit: 1})
			if revs[0].Before != tt.before || revs[0].After != tt.after || revs[0].Action != "update" || *revs[0].UserID != ed.ID {
				t.Errorf("revision before %s after %s (%s), want %s → %s", revs[0].Before, revs[0].After, revs[0].Action, tt.before, tt.after)
			}
		})
	}
}

// Under the strict rule nobody approves what they wrote, admins included.
func TestStrictTwoPersonRule(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.DSN(t), store.Options{TwoPerson: models.TwoPersonStrict})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	root := storetest.User(t, db, "root@example.org", models.RoleAdmin)
	c := storetest.Claim(t, db, storetest.Document(t, db, body, root), 24, 41, root)
	for _, in := range []models.TransitionInput{{Action: models.ActionStart}, {Action: models.ActionSubmit, Rating: ptr(models.RatingFalse), Explanation: ptr("No count.")}} {
		if _, err := storetest.Transition(ctx, db, c.ID, in, root); err != nil {
			t.Fatal(err)
		}
	}
	_, err = storetest.Transition(ctx, db, c.ID, models.TransitionInput{Action: models.ActionApprove, OverrideReason: "alone tonight"}, root)
	if models.ErrorCode(err) != models.EFORBIDDEN {
		t.Fatalf("strict override = %v, want forbidden", err)
	}
	if _, err := store.Open(ctx, storetest.DSN(t), store.Options{TwoPerson: "lenient"}); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("an unknown rule = %v", err)
	}
}

// benchClaims is the size of the claim list benchmark's database, the size
// the claim list's latency target is set at.
const benchClaims = 100_000

// openBenchDB opens the database of benchDB as it is, closing it when the
// benchmark ends.
func openBenchDB(b *testing.B) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), benchDB(b), store.Options{NoMigrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchDB returns the path of a SQLite file holding benchClaims claims. It is
// built once and kept in the temporary directory, named by the schema
// version and the fixture's own version: building it takes tens of seconds,
// and benchmarks are run again and again.
func benchDB(b *testing.B) string {
	b.Helper()
	if storetest.Engine() != store.SQLite {
		b.Skip("the claim benchmarks measure SQLite files")
	}
	const fixture = 1 // bump when the rows below change
	path := filepath.Join(os.TempDir(), fmt.Sprintf("factdesk-bench-claims-s%d-f%d-%d.db", store.SchemaVersion(), fixture, benchClaims))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, tmp, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ed := &models.User{Email: "ed@example.org", Name: "Ed", Role: models.RoleEditor}
	if err := db.CreateUser(ctx, ed, storetest.Password); err != nil {
		b.Fatal(err)
	}
	doc := &models.Document{Title: "Bench document", Body: body}
	if err := db.CreateDocument(ctx, doc, nil, ed); err != nil {
		b.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", "file:"+tmp+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	if err := fillClaims(raw, doc.ID, ed.ID); err != nil {
		b.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// fillClaims inserts benchClaims claims in one transaction, with the mix of
// statuses, ratings, assignees and text lengths of a busy desk.
func fillClaims(raw *sql.DB, docID, userID int64) error {
	tx, err := raw.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.Prepare(`INSERT INTO claims (document_id, start, "end", exact, prefix, suffix, orphaned, text, claimant, kind, score,
		origin, status, rating, explanation, dismiss_reason, assignee_id, submitter_id, reviewer_id, published_at, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(7, 11))
	words := strings.Fields("the minister said unemployment fell by 4 percent last year while exports to Afghanistan rose " +
		"terrorists operating inside the border numbered 23,000 according to Moscow’s estimate naïve budget deficit")
	sentence := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < benchClaims; i++ {
		status := models.Statuses[r.IntN(len(models.Statuses))]
		created := t0.Add(time.Duration(i) * time.Minute)
		updated := created.Add(time.Duration(r.IntN(90*24*60)) * time.Minute).Truncate(time.Microsecond)
		var rating models.Rating
		var explanation, dismiss string
		var assignee, submitter, reviewer any
		var published any
		switch status {
		case models.StatusPublished:
			scale := models.DefaultScale().Ratings
			rating = scale[r.IntN(len(scale))].Key
			explanation = sentence(60)
			submitter, reviewer, published = userID, userID, updated
		case models.StatusInReview:
			rating, explanation, submitter = models.RatingMixed, sentence(40), userID
		case models.StatusDismissed:
			dismiss = "opinion"
		}
		if r.IntN(3) == 0 {
			assignee = userID
		}
		exact := sentence(12)
		if _, err := st.Exec(docID, 0, 10, exact, sentence(5), sentence(5), exact, "Speaker "+fmt.Sprint(r.IntN(50)),
			models.Kinds[r.IntN(len(models.Kinds))], float64(r.IntN(1000))/1000, models.OriginDetected, status, rating, explanation,
			dismiss, assignee, submitter, reviewer, published, 1, created, updated); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkListClaims lists a page of 50 as the API does under load: random
// cursors, with and without a status filter.
func BenchmarkListClaims(b *testing.B) {
	db := openBenchDB(b)
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		statuses []models.Status
	}{
		{"All", nil},
		{"Published", []models.Status{models.StatusPublished}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				f := models.ClaimFilter{Statuses: tt.statuses, Limit: 50, After: r.Int64N(benchClaims - 1000)}
				page, err := db.ListClaims(ctx, f)
				if err != nil || len(page.Claims) != 50 {
					b.Fatalf("%d claims, %v", len(page.Claims), err)
				}
			}
		})
	}
}

// BenchmarkListClaimsOrdered lists the second page of the desk's other
// orders: keyset pages cost the same wherever they start, unless the
// database sorts every match for each one.
func BenchmarkListClaimsOrdered(b *testing.B) {
	db := openBenchDB(b)
	ctx := context.Background()
	for _, order := range []string{"-updated", "-score", "status"} {
		for _, st := range []models.Status{"", models.StatusOpen} {
			b.Run(order+"/"+string(st), func(b *testing.B) {
				f := models.ClaimFilter{Order: order, Limit: 50}
				if st != "" {
					f.Statuses = []models.Status{st}
				}
				first, err := db.ListClaims(ctx, f)
				if err != nil || first.Cursor == "" {
					b.Fatalf("first page: %v", err)
				}
				f.Cursor = first.Cursor
				b.ReportAllocs()
				for b.Loop() {
					if page, err := db.ListClaims(ctx, f); err != nil || len(page.Claims) != 50 {
						b.Fatalf("%d claims, %v", len(page.Claims), err)
					}
				}
			})
		}
	}
}

// BenchmarkUpdateClaim edits the claimant of a claim through the store, then
// runs the same number of raw durable UPDATEs of the claimant on the same
// file, and reports both rates and their ratio: the edit target is a ratio,
// since fsync speed differs from machine to machine.
func BenchmarkUpdateClaim(b *testing.B) {
	src := benchDB(b)
	path := filepath.Join(b.TempDir(), "edits.db")
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{NoMigrate: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	var sync int
	if err := raw.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		b.Fatalf("raw connection is not synchronous=FULL (%d, %v)", sync, err)
	}
	ed := &models.User{ID: 1, Role: models.RoleEditor}
	const claims = 100
	// Claims that are not published: editing a published one is a
	// correction, which needs a public note.
	ids, versions := make([]int64, 0, claims), map[int64]int{}
	for id := int64(1); len(ids) < claims; id++ {
		c, err := db.GetClaim(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if c.Status != models.StatusPublished {
			ids, versions[id] = append(ids, id), c.Version
		}
	}
	var storeTime, rawTime, rawScoreTime, rawEditTime time.Duration
	stmts := prepareRawEdit(b, raw)
	n, raws := 0, 0
	// The raw UPDATEs run in blocks between the edits, not one by one: a
	// connection that sees another's commit drops its page cache, and one
	// by one both sides would pay that on every statement.
	rawBlock := func(k int) {
		t := time.Now()
		for i := 0; i < k; i++ {
			if _, err := raw.Exec(`UPDATE claims SET claimant = ? WHERE id = ?`, fmt.Sprintf("Raw speaker %d", raws+i), 1+(raws+i)%claims); err != nil {
				b.Fatal(err)
			}
		}
		rawTime += time.Since(t)
		t = time.Now()
		for i := 0; i < k; i++ {
			// A new value each time: SQLite writes no page for a row whose
			// bytes do not change, and such a commit has nothing to sync.
			if _, err := raw.Exec(`UPDATE claims SET score = ? WHERE id = ?`, float64(raws+i)/1e9, 1+(raws+i)%claims); err != nil {
				b.Fatal(err)
			}
		}
		rawScoreTime += time.Since(t)
		t = time.Now()
		for i := 0; i < k; i++ {
			// Claims of their own: the store's side keeps its versions.
			if err := rawEdit(raw, stmts, 1000+int64(raws+i)%claims, fmt.Sprintf("Raw speaker %d", raws+i)); err != nil {
				b.Fatal(err)
			}
		}
		rawEditTime += time.Since(t)
		raws += k
	}
	const block = 100
	b.ReportAllocs()
	for b.Loop() {
		id := ids[n%claims]
		claimant := fmt.Sprintf("Speaker %d", n)
		t := time.Now()
		c, err := db.UpdateClaim(ctx, id, models.ClaimUpdate{Version: versions[id], Claimant: &claimant, Summary: "bench edit"}, ed)
		storeTime += time.Since(t)
		if err != nil {
			b.Fatal(err)
		}
		versions[id] = c.Version
		n++
		if n%block == 0 {
			b.StopTimer()
			rawBlock(block)
			b.StartTimer()
		}
	}
	if raws == 0 {
		rawBlock(n)
	}
	storeRate, rawRate := float64(n)/storeTime.Seconds(), float64(raws)/rawTime.Seconds()
	b.ReportMetric(storeRate, "edits/s")
	b.ReportMetric(rawRate, "raw-updates/s")
	b.ReportMetric(storeRate/rawRate, "ratio")
	// The benchmark program's reference updates the score, which the
	// search index does not hold: no trigger runs. (It sets each claim's
	// score to the same value every time: that measures a commit with no
	// page to write.)
	b.ReportMetric(float64(raws)/rawScoreTime.Seconds(), "raw-score-updates/s")
	// The same work as an edit by hand: what is left is SQLite's own.
	b.ReportMetric(float64(raws)/rawEditTime.Seconds(), "raw-edit-tx/s")
}

// rawEditStmts are the statements of an edit written by hand: read the
// claim, update it with the version check, insert its revision.
type rawEditStmts struct{ read, update, revision *sql.Stmt }

func prepareRawEdit(b *testing.B, raw *sql.DB) rawEditStmts {
	var s rawEditStmts
	var err error
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&s.read, `SELECT id, document_id, start, "end", exact, prefix, suffix, orphaned, text, claimant, kind, score, origin, status,
			rating, explanation, dismiss_reason, assignee_id, submitter_id, reviewer_id, published_at, version, created_at, updated_at FROM claims WHERE id = ?`},
		{&s.update, `UPDATE claims SET claimant = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`},
		{&s.revision, `INSERT INTO revisions (entity, entity_id, claim_id, action, user_id, "before", "after", summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
	} {
		if *p.st, err = raw.Prepare(p.q); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func rawEdit(raw *sql.DB, s rawEditStmts, id int64, claimant string) error {
	tx, err := raw.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	vals := make([]any, 24)
	ptrs := make([]any, 24)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := tx.Stmt(s.read).QueryRow(id).Scan(ptrs...); err != nil {
		return err
	}
	version := vals[21]
	now := time.Now().UTC()
	if _, err := tx.Stmt(s.update).Exec(claimant, now, id, version); err != nil {
		return err
	}
	if _, err := tx.Stmt(s.revision).Exec("claim", id, id, "update", 1, `{"claimant":"before"}`, `{"claimant":"`+claimant+`"}`, "bench edit", now); err != nil {
		return err
	}
	return tx.Commit()
}
