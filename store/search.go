package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"gorm.io/gorm"

	"factdesk/models"
)

// Snippet markers around the words that matched: private-use characters
// that no document contains, so frontend can turn them into <mark> after
// escaping the text.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

// SearchHit is one result of a search: a claim or a document.
type SearchHit struct {
	Kind       string // "claim" or "document"
	ID         int64
	DocumentID *int64
	Title      string // the claim as stated, or the document's title
	Snippet    string // matched words between MarkStart and MarkEnd
	Status     models.Status
	Rating     models.Rating
	// Rank is the hit's relevance: for a claim and a query of plain
	// words, BM25 over the term index on both engines; for a phrase
	// ("23,000"), a document or matching, BM25 over FTS4 on SQLite and
	// cover density on PostgreSQL. Hits come in descending Rank, then
	// claims before documents, then ascending ID: a total order, so
	// offsets page it.
	Rank float64
}

// Search kinds.
const (
	KindClaim    = "claim"
	KindDocument = "document"
)

// SearchOptions shape a search: what to look in (filters), how to match
// and which page. The zero value searches everything, every word required.
type SearchOptions struct {
	// PublicOnly keeps to what readers may see: public claims, documents
	// with a public claim, and a rating filter only over published claims.
	PublicOnly bool
	Limit      int
	Offset     int
	// Kind is KindClaim or KindDocument; "" is both.
	Kind string
	// Statuses, Rating and Since/Until filter claims (a status or rating
	// filter leaves documents out). A claim's date is its publication, or
	// its creation when unpublished; a document's is its published date,
	// or its creation.
	Statuses []models.Status
	Rating   models.Rating
	Since    time.Time // inclusive
	Until    time.Time // exclusive
	// DocumentID keeps to the claims of one document and that document.
	DocumentID int64
	// ExcludeClaim leaves one claim out (matching a claim against others).
	ExcludeClaim int64
	// AnyWord matches a hit holding any of the words, not all of them,
	// and drops the words too common to tell claims apart (see
	// anyWordMaxShare): retrieval for matching a proposal's wording.
	AnyWord bool
	// NoSnippets leaves Snippet empty: matching reads the hits' claims
	// whole, and a snippet of each of 200 candidates is wasted work.
	NoSnippets bool
}

// anyWordMaxShare is the share of rows above which a word is dropped from
// an AnyWord search: one in twenty claims holding it, its BM25 weight is
// small, and it would make every such claim a candidate.
const anyWordMaxShare = 0.05

// An AnyWord search keeps its rarest words, at most anyWordMaxTerms of
// them and, past the first, only while the claims they hold add up to
// anyWordMaxRows: every such claim is scored, so this bounds the work of
// matching a proposal whatever the size of the collection. A paraphrase
// shares its rare words (figures, names) with what it repeats; the common
// ones add candidates, not matches. Measured at 100,000 claims
// (bench/RESULTS.md): a 1,000-word document's 46 proposals took 829 ms
// with every word under anyWordMaxShare, 317 ms with the six rarest.
const (
	anyWordMaxTerms = 6
	anyWordMaxRows  = 500
)

// Search finds claims and documents matching the words of q, ranked over
// every match (never a window of the newest), best first.
func (db *DB) Search(ctx context.Context, q string, opt SearchOptions) ([]SearchHit, error) {
	terms := searchTerms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	limit := limitOf(opt.Limit)
	opt.Offset = max(0, opt.Offset)
	n := limit + opt.Offset
	g := db.gorm.WithContext(ctx)
	want := allOf(terms)
	if opt.AnyWord {
		var held []int64
		var err error
		if terms, held, err = db.distinctiveTerms(g, terms, opt.ExcludeClaim != 0); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(terms) == 0 {
			return nil, nil
		}
		want = sharingTwo(terms, held)
	}
	claimFilter := len(opt.Statuses) > 0 || opt.Rating != "" || opt.ExcludeClaim != 0
	var hits []SearchHit
	if opt.Kind == "" || opt.Kind == KindClaim {
		claims, err := db.rankClaimsOf(g, terms, want, opt, n)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hits = append(hits, claims...)
	}
	if opt.Kind == "" && !claimFilter || opt.Kind == KindDocument {
		docs, err := db.rankDocuments(g, want, opt, n)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hits = append(hits, docs...)
	}
	sort.Slice(hits, func(i, j int) bool { return hitBefore(hits[i], hits[j]) })
	if opt.Offset >= len(hits) {
		return nil, nil
	}
	hits = hits[opt.Offset:]
	if len(hits) > limit {
		hits = hits[:limit]
	}
	if opt.NoSnippets {
		return hits, nil
	}
	if err := addSnippets(g, terms, hits, KindClaim, "claims", "text", "exact", "claimant"); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if err := addSnippets(g, terms, hits, KindDocument, "documents", "title", "author", "publisher", "body"); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return hits, nil
}

// hitBefore is the total order of hits.
func hitBefore(a, b SearchHit) bool {
	if a.Rank != b.Rank {
		return a.Rank > b.Rank
	}
	if a.Kind != b.Kind {
		return a.Kind == KindClaim
	}
	return a.ID < b.ID
}

// claimWeights and documentWeights weigh the indexed columns in BM25 (on
// PostgreSQL the same columns carry the weights A, B, C and D).
var (
	claimWeights = func() (w []any) { // text, exact, claimant, as the term index
		for _, f := range impactFields {
			w = append(w, f.weight)
		}
		return w
	}()
	documentWeights = []any{1.0, 0.5, 0.5, 0.3}
)

// claimConditions are the filters of opt over claims aliased c.
func claimConditions(opt SearchOptions) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	statuses := opt.Statuses
	if opt.PublicOnly {
		statuses = publicOf(statuses)
		if opt.Rating != "" {
			// An unpublished claim's rating is the desk's, not a verdict.
			statuses = slices.DeleteFunc(statuses, func(s models.Status) bool { return s != models.StatusPublished })
		}
		if len(statuses) == 0 {
			add("1 = 0")
		}
	}
	if len(statuses) > 0 {
		add("c.status IN ?", statuses)
	}
	if opt.Rating != "" {
		add("c.rating = ?", opt.Rating)
	}
	if opt.DocumentID != 0 {
		add("c.document_id = ?", opt.DocumentID)
	}
	if opt.ExcludeClaim != 0 {
		add("c.id <> ?", opt.ExcludeClaim)
	}
	if !opt.Since.IsZero() {
		add("COALESCE(c.published_at, c.created_at) >= ?", opt.Since.UTC())
	}
	if !opt.Until.IsZero() {
		add("COALESCE(c.published_at, c.created_at) < ?", opt.Until.UTC())
	}
	if len(where) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(where, " AND "), args
}

// publicOf keeps the public statuses of want; all of them when want is empty.
func publicOf(want []models.Status) []models.Status {
	if len(want) == 0 {
		return models.PublicStatuses()
	}
	var out []models.Status
	for _, s := range want {
		if s.Public() {
			out = append(out, s)
		}
	}
	return out
}

// documentConditions are the filters of opt over documents aliased d.
func documentConditions(opt SearchOptions) (string, []any) {
	var where []string
	var args []any
	if opt.PublicOnly {
		where = append(where, publicDocumentSQL)
		args = append(args, publicDocumentArgs()...)
	}
	if opt.DocumentID != 0 {
		where = append(where, "d.id = ?")
		args = append(args, opt.DocumentID)
	}
	if !opt.Since.IsZero() {
		where = append(where, "COALESCE(d.published_on, d.created_at) >= ?")
		args = append(args, opt.Since.UTC())
	}
	if !opt.Until.IsZero() {
		where = append(where, "COALESCE(d.published_on, d.created_at) < ?")
		args = append(args, opt.Until.UTC())
	}
	if len(where) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(where, " AND "), args
}

// rankClaimsOf returns the best n claims matching terms under opt's
// filters: a query of plain words through the term index, ranked over
// every match without scoring them all; a phrase ("23,000") or an AnyWord
// retrieval through the engine's full-text index.
func (db *DB) rankClaimsOf(g *gorm.DB, terms [][]string, q query, opt SearchOptions, n int) ([]SearchHit, error) {
	if !opt.AnyWord {
		words, ok, err := db.wordTerms(g, terms)
		if err != nil {
			return nil, err
		}
		if ok {
			return db.rankByImpact(g, words, opt, n)
		}
	}
	return db.rankClaims(g, q, opt, n)
}

// rankClaims returns the best n claims matching terms under opt's filters.
//
// SQLite: every match of the full-text index is scored by factdesk_rank,
// Okapi BM25 in Go over matchinfo 'pcnalx' (the 'x' figures, the documents
// holding each phrase across the table, are gathered once per query), and
// SQLite's sorter keeps the best n. CROSS JOIN keeps the full-text table
// outside: with a document filter the planner would otherwise run one
// full-text query per claim of the document.
func (db *DB) rankClaims(g *gorm.DB, q query, opt SearchOptions, n int) ([]SearchHit, error) {
	where, args := claimConditions(opt)
	return db.rankFullText(g, fullText{KindClaim, "claims", "c", "c.document_id, c.text AS title, c.status, c.rating", claimWeights}, q, where, args, n)
}

// rankDocuments is rankClaims for documents. No body is read here: a body
// can be 2 MB, and addSnippets reads the page's alone.
func (db *DB) rankDocuments(g *gorm.DB, q query, opt SearchOptions, n int) ([]SearchHit, error) {
	where, args := documentConditions(opt)
	return db.rankFullText(g, fullText{KindDocument, "documents", "d", "d.title AS title", documentWeights}, q, where, args, n)
}

// fullText names a table with a full-text index: FTS4's table_fts on
// SQLite, the search column on PostgreSQL. Every field is a constant.
type fullText struct {
	kind, table, alias, columns string
	weights                     []any
}

// rankFullText returns the best n rows of t matching q under the
// conditions where on its alias.
func (db *DB) rankFullText(g *gorm.DB, t fullText, q query, where string, args []any, n int) ([]SearchHit, error) {
	a := t.alias
	var sql string
	var params []any
	if db.dialect == Postgres {
		sql = `SELECT ` + a + `.id, ` + t.columns + `, ts_rank_cd(` + a + `.search, q, 1) AS rank
			FROM ` + t.table + ` ` + a + `, to_tsquery('simple', ?) q
			WHERE ` + a + `.search @@ q`
		params = []any{q.tsquery()}
	} else {
		fts := t.table + "_fts"
		sql = `SELECT ` + a + `.id, ` + t.columns + `,
				factdesk_rank(matchinfo(` + fts + `, 'pcnalx')` + strings.Repeat(", ?", len(t.weights)) + `) AS rank
			FROM ` + fts + ` CROSS JOIN ` + t.table + ` ` + a + ` ON ` + a + `.id = ` + fts + `.docid
			WHERE ` + fts + ` MATCH ?`
		params = append(slices.Clone(t.weights), q.fts4())
	}
	var hits []SearchHit
	err := g.Raw(sql+where+` ORDER BY rank DESC, `+a+`.id LIMIT ?`, slices.Concat(params, args, []any{n})...).Scan(&hits).Error
	return hitsOf(t.kind, hits), err
}

// distinctiveTerms drops the glue words and the terms held by more than
// anyWordMaxShare of the claims: on SQLite by the cached document
// frequencies, on PostgreSQL by a count that stops past the threshold.
//
// With self set, the words are those of a claim left out of the search
// (matching a stored claim against the others): each count is one less,
// for that claim holds every one of its words, so a word no other claim
// holds is dropped rather than taken as the rarest.
func (db *DB) distinctiveTerms(g *gorm.DB, terms [][]string, self bool) ([][]string, []int64, error) {
	total, err := claimsTotal(g)
	if err != nil {
		return nil, nil, err
	}
	limit := max(int64(float64(total)*anyWordMaxShare), 50)
	count := func(most int64) ([]int64, error) {
		var pgHeld []int64
		if db.dialect == Postgres {
			var err error
			if pgHeld, err = db.rowsHolding(g, "claims", phrasesOf(terms), most); err != nil {
				return nil, err
			}
		}
		// The words: their rows of the term index, a range of one B-tree each.
		var words []string
		var wordAt []int
		for i, t := range terms {
			if len(t) == 1 && !stopwords[t[0]] {
				words, wordAt = append(words, t[0]), append(wordAt, i)
			}
		}
		counts, err := db.claimsHoldingEach(g, words, most)
		if err != nil {
			return nil, err
		}
		held := make([]int64, len(terms))
		for k, i := range wordAt {
			held[i] = counts[k]
		}
		for i, t := range terms {
			if len(t) == 1 && stopwords[t[0]] {
				continue
			}
			switch {
			case held[i] > 0:
			case db.dialect == Postgres:
				held[i] = pgHeld[i]
			default: // a phrase, or a word SQLite's tokenizer writes otherwise (é as e)
				var err error
				if held[i], err = db.ftsRowsHolding(g, "claims_fts", t); err != nil {
					return nil, err
				}
			}
		}
		return held, nil
	}
	held, err := countRarest(count, limit, self)
	if err != nil {
		return nil, nil, err
	}
	terms, held = rarest(terms, held, limit)
	return terms, held, nil
}

// countRarest counts the rows holding each term, by count up to a most,
// as far as rarest needs: up to just past anyWordMaxRows first, for once
// one term is under it no term over it is kept, and up to limit only when
// none is. A common word's count stops at 502 rows, not 5% of the table
// (10,001 at 200,000 claims). With self the counts are one less (see
// distinctiveTerms).
func countRarest(count func(most int64) ([]int64, error), limit int64, self bool) ([]int64, error) {
	var less int64
	if self {
		less = 1
	}
	most := min(limit, anyWordMaxRows+less+1) + 1
	held, err := count(most)
	if err != nil {
		return nil, err
	}
	exact := most > limit
	for _, n := range held {
		exact = exact || n-less > 0 && n < most
	}
	if !exact {
		if held, err = count(limit + 1); err != nil {
			return nil, err
		}
	}
	for i := range held {
		held[i] -= less
	}
	return held, nil
}

// distinctiveReviewTerms is distinctiveTerms over the imported reviews,
// which have no term index: every term is counted by the full-text index.
func (db *DB) distinctiveReviewTerms(g *gorm.DB, terms [][]string) ([][]string, []int64, error) {
	total, err := rowsTotal(g, "external_reviews")
	if err != nil {
		return nil, nil, err
	}
	limit := max(int64(float64(total)*anyWordMaxShare), 50)
	kept := slices.DeleteFunc(slices.Clone(terms), func(t []string) bool { return len(t) == 1 && stopwords[t[0]] })
	held, err := countRarest(func(most int64) ([]int64, error) {
		if db.dialect == Postgres {
			return db.rowsHolding(g, "external_reviews", kept, most)
		}
		held := make([]int64, len(kept))
		for i, t := range kept {
			var err error
			if held[i], err = db.ftsRowsHolding(g, "external_reviews_fts", t); err != nil {
				return nil, err
			}
		}
		return held, nil
	}, limit, false)
	if err != nil {
		return nil, nil, err
	}
	kept, held = rarest(kept, held, limit)
	return kept, held, nil
}

// ftsRowsHolding is how many rows of an FTS4 table hold a term, in the
// column holding it most.
func (db *DB) ftsRowsHolding(g *gorm.DB, table string, t []string) (int64, error) {
	df, err := db.termDocs(g, table, [][]string{t})
	if err != nil {
		return 0, err
	}
	var held int64
	for _, d := range df[0] {
		held = max(held, int64(d))
	}
	return held, nil
}

// rarest keeps of terms, each held by held rows, those held by some but
// no more than limit: the rarest first, while the rows they hold stay
// within anyWordMaxRows (the rarest always), at most anyWordMaxTerms;
// with the rows each kept one holds.
func rarest(terms [][]string, held []int64, limit int64) ([][]string, []int64) {
	type rarity struct {
		term []string
		rows int64
	}
	var kept []rarity
	for i, t := range terms {
		if held[i] > 0 && held[i] <= limit { // a word no row holds finds nothing
			kept = append(kept, rarity{t, held[i]})
		}
	}
	slices.SortStableFunc(kept, func(a, b rarity) int { return cmp.Compare(a.rows, b.rows) })
	var out [][]string
	var outHeld []int64
	var rows int64
	for _, k := range kept {
		if len(out) == anyWordMaxTerms || len(out) > 0 && rows+k.rows > anyWordMaxRows {
			break
		}
		out = append(out, k.term)
		outHeld = append(outHeld, k.rows)
		rows += k.rows
	}
	return out, outHeld
}

// rowsHolding counts the rows of table (claims or external_reviews, never
// input) holding each term on PostgreSQL, up to most (a GIN scan stops
// there); nil terms are not counted.
func (db *DB) rowsHolding(g *gorm.DB, table string, terms [][]string, most int64) ([]int64, error) {
	keys := make([]string, len(terms))
	for i, t := range terms {
		if t != nil {
			keys[i] = ftsQuery([][]string{t}, " ")
		}
	}
	return db.countEach(g, table, table+" WHERE search @@ websearch_to_tsquery('simple', t.k)", keys, most)
}

// countEach counts, for each of keys, the rows of "SELECT 1 FROM "+from
// (a constant naming the key t.k), up to most (every one when most is 0),
// through the cache of document frequencies (termDocs) under name: the
// words of a document's proposals repeat. The keys not cached are counted
// in one round trip: counting a proposal's words for the first time took
// 0.85–1.13 ms on PostgreSQL at 200,000 claims, 1.45–2.06 ms a word at a
// time (three runs each, 100 proposals); on SQLite, where a statement is a
// function call, it changes nothing measurable. Empty keys count 0.
func (db *DB) countEach(g *gorm.DB, name, from string, keys []string, most int64) ([]int64, error) {
	gen, tracked := db.Generation()
	name += "<=" + strconv.FormatInt(most, 10)
	out := make([]int64, len(keys))
	var values []string
	var args []any
	for i, k := range keys {
		if k == "" {
			continue
		}
		if df, ok := db.terms.get(termKey{name, k}, gen, tracked); ok {
			out[i] = int64(df[0])
			continue
		}
		values = append(values, "(CAST(? AS INTEGER), CAST(? AS TEXT))")
		args = append(args, i, k)
	}
	if len(values) == 0 {
		return out, nil
	}
	limit := ""
	if most > 0 {
		limit, args = " LIMIT ?", append(args, most)
	}
	var rows []struct {
		I    int
		Held int64
	}
	err := g.Raw(`WITH t(i, k) AS (VALUES `+strings.Join(values, ", ")+`)
		SELECT t.i, (SELECT COUNT(*) FROM (SELECT 1 FROM `+from+limit+`) s) AS held FROM t`, args...).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.I] = r.Held
		db.terms.put(termKey{name, keys[r.I]}, termDocs{df: []uint32{uint32(r.Held)}, gen: gen, tracked: tracked, at: time.Now()})
	}
	return out, nil
}

// phrasesOf keeps the terms of several tokens in their places, the words
// left nil.
func phrasesOf(terms [][]string) [][]string {
	out := make([][]string, len(terms))
	for i, t := range terms {
		if len(t) > 1 {
			out[i] = t
		}
	}
	return out
}

// addSnippets makes the snippets of the hits of kind, which are one page,
// from the columns of table, in Go for both engines: a document's body
// can be 2 MB, so bodies are read for the page only, never for the
// matches ranked before it. table and columns are constants, never input.
func addSnippets(g *gorm.DB, terms [][]string, hits []SearchHit, kind, table string, columns ...string) error {
	at := map[int64]int{}
	for i, h := range hits {
		if h.Kind == kind {
			at[h.ID] = i
		}
	}
	if len(at) == 0 {
		return nil
	}
	rows, err := g.Table(table).Select(append([]string{"id"}, columns...)).Where("id IN ?", slices.Collect(maps.Keys(at))).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	texts := make([]string, len(columns))
	dest := []any{&id}
	for i := range texts {
		dest = append(dest, &texts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		hits[at[id]].Snippet = snippet(terms, texts...)
	}
	return rows.Err()
}

// searchTerms cuts a query into terms of letters and digits. A word written
// with separators ("23,000", "al-Qaeda") stays one term of several tokens,
// matched as a phrase.
func searchTerms(q string) [][]string {
	var out [][]string
	for _, word := range strings.Fields(q) {
		tokens := strings.FieldsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(tokens) > 0 {
			for i := range tokens {
				tokens[i] = strings.ToLower(tokens[i])
			}
			out = append(out, tokens)
		}
		if len(out) == 16 {
			break
		}
	}
	return out
}

// ftsQuery writes terms as FTS4 phrases joined by sep (" " is AND, " OR " is OR).
// Terms hold only letters and digits, so no operator can slip in.
func ftsQuery(terms [][]string, sep string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.Join(t, " ") + `"`
	}
	return strings.Join(parts, sep)
}

// claimMatch is the condition "the claim matches the words of q".
func (db *DB) claimMatch(q string) (clause any, ok bool) {
	terms := searchTerms(q)
	if len(terms) == 0 {
		return nil, false
	}
	if db.dialect == Postgres {
		return gorm.Expr("search @@ websearch_to_tsquery('simple', ?)", tsQueryText(q)), true
	}
	return gorm.Expr("id IN (SELECT docid FROM claims_fts WHERE claims_fts MATCH ?)", ftsQuery(terms, " ")), true
}

// rankMatchinfo is Okapi BM25 over FTS4's matchinfo(…, 'pcnalx'), with one
// weight per column. It runs inside SQLite as factdesk_rank.
func rankMatchinfo(info []byte, weights ...float64) float64 {
	if len(info) < 12 || len(info)%4 != 0 {
		return 0
	}
	v := make([]uint32, len(info)/4)
	for i := range v {
		v[i] = binary.NativeEndian.Uint32(info[i*4:])
	}
	p, c, n := int(v[0]), int(v[1]), float64(v[2])
	if len(v) < 3+2*c+3*p*c {
		return 0
	}
	avg, lens, x := v[3:3+c], v[3+c:3+2*c], v[3+2*c:]
	return bm25(p, c, n, avg, lens, weights,
		func(i, j int) float64 { return float64(x[3*(i*c+j)]) },
		func(i, j int) float64 { return float64(x[3*(i*c+j)+2]) })
}

// bm25 scores one row: p phrases, c columns, n rows in the table, the
// average and this row's length of each column, the hits of phrase i in
// column j of this row (tf) and the rows with a hit there (df).
func bm25(p, c int, n float64, avg, lens []uint32, weights []float64, tf, df func(i, j int) float64) float64 {
	const k1, b = bm25K1, bm25B
	score := 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < c; j++ {
			f := tf(i, j)
			if f == 0 {
				continue
			}
			idf := idfOf(n, df(i, j))
			w := 1.0
			if j < len(weights) {
				w = weights[j]
			}
			norm := 1 - b + b*float64(lens[j])/math.Max(float64(avg[j]), 1)
			score += w * idf * f * (k1 + 1) / (f + k1*norm)
		}
	}
	return score
}

// idfOf is BM25's inverse document frequency of a term held by d of n
// rows (n at least d: the count of rows may lag the term's).
func idfOf(n, d float64) float64 {
	n = math.Max(n, d)
	return math.Log((n-d+0.5)/(d+0.5) + 1)
}

// claimsTotal is the number BM25 takes for how many claims there are.
func claimsTotal(g *gorm.DB) (int64, error) { return rowsTotal(g, "claims") }

// rowsTotal is how many rows table (a constant) has, for BM25 and the
// rarity of a word: the highest ID, one index read, where a count reads
// every row.
func rowsTotal(g *gorm.DB, table string) (int64, error) {
	var total int64
	err := g.Table(table).Select("COALESCE(MAX(id), 0)").Scan(&total).Error
	return total, err
}

// termDocs returns, for each term (phrase) of a query, how many rows of
// the FTS table hold it in each column: BM25's document frequencies. FTS4
// computes them only by reading the term's whole doclist (matchinfo 'x'),
// so they are kept per term and read again only when the database may have
// changed (db.Generation). A common term's figure, expensive to read again
// and barely moved by a few writes, is kept up to termDocsStale after a
// change.
func (db *DB) termDocs(g *gorm.DB, table string, terms [][]string) ([][]uint32, error) {
	gen, tracked := db.Generation()
	out := make([][]uint32, len(terms))
	for i, t := range terms {
		key := termKey{table, strings.Join(t, " ")}
		if df, ok := db.terms.get(key, gen, tracked); ok {
			out[i] = df
			continue
		}
		var info []byte
		// table is a constant, never input. The phrase alone:
		// its figures then count every row that holds it.
		err := g.Raw(`SELECT matchinfo(`+table+`, 'cx') FROM `+table+` WHERE `+table+` MATCH ? LIMIT 1`, ftsQuery(terms[i:i+1], " ")).Row().Scan(&info)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		var df []uint32
		if len(info) >= 4 {
			c := int(binary.NativeEndian.Uint32(info))
			if len(info) >= 4*(1+3*c) {
				df = make([]uint32, c)
				for j := range c {
					df[j] = binary.NativeEndian.Uint32(info[4*(1+3*j+2):])
				}
			}
		}
		db.terms.put(key, termDocs{df: df, gen: gen, tracked: tracked, at: time.Now()})
		out[i] = df
	}
	return out, nil
}

const (
	// termDocsStale is how long a common term's document counts are used
	// after the database changed.
	termDocsStale = time.Minute
	// termDocsCommon is how many rows make a term common: a few writes
	// change its inverse document frequency by a fraction of a percent.
	termDocsCommon = 1000
	// termDocsMax bounds the cache; it starts again empty when full.
	termDocsMax = 10000
)

type termKey struct{ table, phrase string }

type termDocs struct {
	df      []uint32 // rows holding the term, per column
	gen     uint64
	tracked bool
	at      time.Time
}

// termCache holds document frequencies of terms searched recently.
type termCache struct {
	mu sync.Mutex
	m  map[termKey]termDocs
}

func (c *termCache) get(k termKey, gen uint64, tracked bool) ([]uint32, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	if tracked && e.tracked && e.gen == gen {
		return e.df, true
	}
	if time.Since(e.at) < termDocsStale && slices.Max(append([]uint32{0}, e.df...)) >= termDocsCommon {
		return e.df, true
	}
	return nil, false
}

func (c *termCache) put(k termKey, e termDocs) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= termDocsMax {
		c.m = make(map[termKey]termDocs)
	}
	c.m[k] = e
}
