package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

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
