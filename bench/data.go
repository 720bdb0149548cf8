package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver for the bulk load

	"factdesk/demo"
	"factdesk/models"
	"factdesk/store"
)

// benchPassword is the password of the bench's two editors.
const benchPassword = "bench password, long enough"

// fixture is what a prepared database holds that the loads need.
type fixture struct {
	Path      string
	Editor    models.User // logs in for the API loads
	Reviewer  models.User
	Verdict   models.Claim     // the demo claim published with its evidence
	Published []int64          // IDs of bulk claims that are published
	Texts     map[int64]string // the text of the first published ones, for their URLs
	MaxID     int64
	Vocab     []string // the generated words, most frequent first
}

// prepare builds a database of n claims at path: the demo document with a
// claim taken through the whole workflow (research, evidence, review,
// publication), then n generated claims loaded in bulk.
func prepare(ctx context.Context, path string, n int, seed uint64) (*fixture, error) {
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	fx := &fixture{Path: path}
	fx.Editor = models.User{Email: "editor@bench.local", Name: "Bench Editor", Role: models.RoleEditor}
	fx.Reviewer = models.User{Email: "reviewer@bench.local", Name: "Bench Reviewer", Role: models.RoleEditor}
	for _, u := range []*models.User{&fx.Editor, &fx.Reviewer} {
		if err := db.CreateUser(ctx, u, benchPassword); err != nil {
			return nil, err
		}
	}
	claims, err := demo.Claims()
	if err != nil {
		return nil, err
	}
	doc := demo.Document()
	if err := db.CreateDocument(ctx, &doc, claims, &fx.Editor); err != nil {
		return nil, fmt.Errorf("import the demo: %w", err)
	}
	page, err := db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}, Limit: 1})
	if err != nil || len(page.Claims) == 0 {
		return nil, fmt.Errorf("the demo has no open claim to publish (%v)", err)
	}
	c := page.Claims[0]
	_, err = db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceRefutes, Excerpt: "The ministry's own report gives a lower figure.", PublicNote: "Primary source."},
		&models.Source{URL: "https://example.org/report", Title: "Annual security report", Publisher: "Ministry of Interior", Kind: models.SourceOfficial}, &fx.Editor)
	if err != nil {
		return nil, fmt.Errorf("add evidence: %w", err)
	}
	rating := models.RatingMostlyFalse
	expl := "The figure comes from a single statement and **no published count** supports it. " +
		"Independent monitors give estimates between 6,000 and 6,500 fighters.\n\n- The UN monitoring team's report\n- The ministry's annual report"
	steps := []struct {
		in    models.TransitionInput
		actor *models.User
	}{
		{models.TransitionInput{Action: models.ActionStart}, &fx.Editor},
		{models.TransitionInput{Action: models.ActionSubmit, Rating: &rating, Explanation: &expl}, &fx.Editor},
		{models.TransitionInput{Action: models.ActionApprove}, &fx.Reviewer},
	}
	for _, st := range steps {
		cur, err := db.GetClaim(ctx, c.ID) // adding evidence moved the version
		if err != nil {
			return nil, err
		}
		got, err := db.TransitionClaim(ctx, c.ID, cur.Version, st.in, st.actor)
		if err != nil {
			return nil, fmt.Errorf("%s the demo claim: %w", st.in.Action, err)
		}
		c = *got
	}
	fx.Verdict = c
	if err := db.Close(); err != nil {
		return nil, err
	}
	if err := bulkClaims(ctx, fx, n, seed); err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	return fx, nil
}

// vocabulary is the demo's words, most frequent first, then made-up words,
// so that the generated claims read like the corpus and their word
// frequencies fall off like a language's (Zipf).
func vocabulary() []string {
	count := map[string]int{}
	for _, w := range strings.FieldsFunc(demo.Document().Body, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) > 2 {
			count[strings.ToLower(w)]++
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sortByCount(words, count)
	// Made-up words of four syllables: 20,736 of them, in a fixed order.
	syll := []string{"ka", "ri", "to", "me", "lan", "sor", "vi", "den", "pa", "qu", "zel", "mo"}
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	for i := 0; len(words) < 20000 && i < 12*12*12*12; i++ {
		w := syll[i%12] + syll[(i/12)%12] + syll[(i/144)%12] + syll[(i/1728)%12]
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

func sortByCount(words []string, count map[string]int) {
	for i := 1; i < len(words); i++ {
		for j := i; j > 0 && (count[words[j]] > count[words[j-1]] || count[words[j]] == count[words[j-1]] && words[j] < words[j-1]); j-- {
			words[j], words[j-1] = words[j-1], words[j]
		}
	}
}

// bulkClaims inserts n free-standing claims with raw batched INSERTs in a
// few large transactions. The FTS insert trigger is set aside during the
// load and the index rebuilt once at the end, which is several times faster
// than indexing row by row; the trigger is put back exactly as it was.
func bulkClaims(ctx context.Context, fx *fixture, n int, seed uint64) error {
	raw, err := openRaw(fx.Path, "&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on")
	if err != nil {
		return err
	}
	defer raw.Close()
	var trigger string
	if err := raw.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type='trigger' AND name='claims_fts_ai'`).Scan(&trigger); err != nil {
		return fmt.Errorf("find the FTS trigger: %w", err)
	}
	if _, err := raw.ExecContext(ctx, `DROP TRIGGER claims_fts_ai`); err != nil {
		return err
	}
	fx.Vocab = vocabulary()
	fx.Texts = map[int64]string{}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, seed+1)), 1.07, 2, uint64(len(fx.Vocab)-1))
	r := rand.New(rand.NewPCG(seed+2, seed+3))
	statuses := []struct {
		s    models.Status
		upTo int
	}{{models.StatusCandidate, 40}, {models.StatusOpen, 60}, {models.StatusResearching, 70}, {models.StatusInReview, 75}, {models.StatusPublished, 95}, {models.StatusDismissed, 100}}
	ratings := []models.Rating{"true", "mostly_true", "mixed", "mostly_false", "false", "misleading", "unproven"}
	kinds := models.Kinds
	now := time.Now().UTC()
	const cols = 11
	const batch = 500
	var first int64
	if err := raw.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM claims`).Scan(&first); err != nil {
		return err
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	stmtSQL := `INSERT INTO claims (text, claimant, kind, score, origin, status, rating, explanation, version, created_at, updated_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?,?),", batch), ",")
	stmt, err := tx.PrepareContext(ctx, stmtSQL)
	if err != nil {
		return err
	}
	args := make([]any, 0, cols*batch)
	var words []string
	id := first
	for i := 0; i < n; i++ {
		words = words[:0]
		for k := 8 + r.IntN(12); k > 0; k-- {
			words = append(words, fx.Vocab[zipf.Uint64()])
		}
		words = append(words, fmt.Sprintf("%d,%03d", 1+r.IntN(99), r.IntN(1000)))
		text := strings.ToUpper(words[0][:1]) + words[0][1:] + " " + strings.Join(words[1:], " ") + "."
		p := r.IntN(100)
		var st models.Status
		for _, s := range statuses {
			if p < s.upTo {
				st = s.s
				break
			}
		}
		rating, expl := models.Rating(""), ""
		if st == models.StatusPublished || st == models.StatusInReview {
			rating = ratings[r.IntN(len(ratings))]
			expl = "Checked against the sources listed."
		}
		id++
		if st == models.StatusPublished {
			fx.Published = append(fx.Published, id)
			if len(fx.Texts) < 1000 {
				fx.Texts[id] = text
			}
		}
		ts := now.Add(-time.Duration(n-i) * time.Second)
		args = append(args, text, "A speaker", string(kinds[r.IntN(len(kinds))]), r.Float64(), "detected", string(st), string(rating), expl, 1, ts, ts)
		if len(args) == cols*batch {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			args = args[:0]
		}
		if (i+1)%100000 == 0 {
			stmt.Close()
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = raw.BeginTx(ctx, nil); err != nil {
				return err
			}
			if stmt, err = tx.PrepareContext(ctx, stmtSQL); err != nil {
				return err
			}
		}
	}
	stmt.Close()
	for len(args) > 0 {
		k := cols * (len(args) / cols)
		q := `INSERT INTO claims (text, claimant, kind, score, origin, status, rating, explanation, version, created_at, updated_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?,?),", k/cols), ",")
		if _, err := tx.ExecContext(ctx, q, args[:k]...); err != nil {
			return err
		}
		args = args[k:]
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fx.MaxID = id
	for _, q := range []string{trigger, `INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')`, `INSERT INTO claims_fts (claims_fts) VALUES ('optimize')`, `ANALYZE`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.40s: %w", q, err)
		}
	}
	return nil
}

// openRaw opens the SQLite file at path beside the store, with the DSN
// parameters params, on one connection, so that a PRAGMA set on it holds for
// every query after.
func openRaw(path, params string) (*sql.DB, error) {
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000"+params)
	if err != nil {
		return nil, err
	}
	raw.SetMaxOpenConns(1)
	return raw, nil
}

// matches counts the claims an FTS query finds, for the table.
func matches(ctx context.Context, path, word string) (int64, error) {
	raw, err := openRaw(path, "")
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	var n int64
	err = raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM claims_fts WHERE claims_fts MATCH ?`, word).Scan(&n)
	return n, err
}

// preparedFile holds a built database's fixture next to it, for -reuse.
type preparedFile struct {
	Claims  int
	Seed    uint64
	Fixture fixture
}

// prepared returns the database at path with n claims: built anew, or,
// when reuse is set and an earlier run left one of the same size and seed
// there, that one. The fixture is written only after a complete build, so
// an interrupted build is never taken for a finished one.
func prepared(ctx context.Context, path string, n int, seed uint64, reuse bool) (*fixture, error) {
	meta := path + ".fixture.json"
	if reuse {
		if b, err := os.ReadFile(meta); err == nil {
			var p preparedFile
			if err := json.Unmarshal(b, &p); err == nil && p.Claims == n && p.Seed == seed {
				if _, err := os.Stat(path); err == nil {
					fx := p.Fixture
					fx.Path = path
					return &fx, nil
				}
			}
		}
	}
	os.Remove(meta)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	fx, err := prepare(ctx, path, n, seed)
	if err != nil {
		return nil, err
	}
	if reuse {
		b, err := json.Marshal(preparedFile{Claims: n, Seed: seed, Fixture: *fx})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(meta, b, 0o644); err != nil {
			return nil, err
		}
	}
	return fx, nil
}

// addReviews imports n generated reviews of other fact-checkers into db
// unless it holds them: texts drawn as the claims are (a third of them
// the text of a published claim, as a repeated claim is reviewed again
// elsewhere), through store.ImportReviews in batches.
func addReviews(ctx context.Context, db *store.DB, fx *fixture, n int) error {
	if have, err := db.CountReviews(ctx); err != nil || have >= int64(n) {
		return err
	}
	t0 := time.Now()
	r := rand.New(rand.NewPCG(7, 11))
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(fx.Vocab)-1))
	publishers := []string{"Fact Desk One", "Verify Weekly", "Claim Watch", "The Check Room", "Truth Meter"}
	ratings := []string{"False", "Mostly false", "Misleading", "Half true", "True", "Unproven"}
	texts := make([]string, 0, len(fx.Texts))
	for _, t := range fx.Texts {
		texts = append(texts, t)
	}
	slices.Sort(texts)
	const batch = 1000
	base := time.Now().UTC().AddDate(-3, 0, 0)
	for start := 0; start < n; start += batch {
		var rs []models.ExternalReview
		for i := start; i < min(n, start+batch); i++ {
			var text string
			if i%3 == 0 && len(texts) > 0 {
				text = texts[r.IntN(len(texts))]
			} else {
				words := make([]string, 8+r.IntN(12))
				for k := range words {
					words[k] = fx.Vocab[zipf.Uint64()]
				}
				text = strings.Join(words, " ") + fmt.Sprintf(" %d,%03d.", 1+r.IntN(99), r.IntN(1000))
			}
			day := base.Add(time.Duration(i) * time.Minute)
			pub := publishers[i%len(publishers)]
			rs = append(rs, models.ExternalReview{URL: fmt.Sprintf("https://checker%d.example/reviews/%d", i%len(publishers), i), ClaimText: text,
				Claimant: "A speaker", ClaimDate: &day, Title: "Fact check: " + text, Publisher: pub, Rating: ratings[r.IntN(len(ratings))], Language: "en", ReviewDate: &day})
		}
		if _, err := db.ImportReviews(ctx, rs, &fx.Editor); err != nil {
			return fmt.Errorf("import reviews: %w", err)
		}
	}
	fmt.Fprintf(os.Stderr, "bench: %d reviews imported in %s\n", n, time.Since(t0).Round(time.Millisecond))
	return nil
}
