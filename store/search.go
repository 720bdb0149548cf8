package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
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
	Rank       float64
	// window is which window of newest matches ranked the hit on SQLite
	// (0: the newest): hits of an older window follow those of a newer
	// one, so that pages stay in one order however deep they go.
	window int
}

// SearchOptions shape a search. PublicOnly keeps to what readers may see.
type SearchOptions struct {
	PublicOnly bool
	Limit      int
	Offset     int
}

// Search finds claims and documents matching the words of q, best first.
func (db *DB) Search(ctx context.Context, q string, opt SearchOptions) ([]SearchHit, error) {
	terms := searchTerms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	limit := limitOf(opt.Limit)
	n := limit + opt.Offset
	g := db.gorm.WithContext(ctx)
	var claims, docs []SearchHit
	var err error
	if db.dialect == Postgres {
		claims, docs, err = searchPostgres(g, q, opt.PublicOnly, n)
	} else {
		claims, docs, err = searchSQLite(db, g, terms, opt.PublicOnly, n)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for i := range claims {
		claims[i].Kind = "claim"
	}
	for i := range docs {
		docs[i].Kind = "document"
	}
	hits := append(claims, docs...)
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].window != hits[j].window {
			return hits[i].window < hits[j].window
		}
		return hits[i].Rank > hits[j].Rank
	})
	if opt.Offset >= len(hits) {
		return nil, nil
	}
	hits = hits[opt.Offset:]
	if len(hits) > limit {
		hits = hits[:limit]
	}
	if err := documentSnippets(g, terms, hits); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return hits, nil
}

// documentSnippets makes the snippets of the documents among hits, which
// are one page: a document body can be 2 MB, so bodies are read for the
// page only, never for the matches ranked before it.
func documentSnippets(g *gorm.DB, terms [][]string, hits []SearchHit) error {
	var ids []int64
	for _, h := range hits {
		if h.Kind == "document" {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID                             int64
		Title, Author, Publisher, Body string
	}
	if err := g.Table("documents").Select("id, title, author, publisher, body").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	byID := make(map[int64]int, len(rows))
	for i, r := range rows {
		byID[r.ID] = i
	}
	for i := range hits {
		if j, ok := byID[hits[i].ID]; ok && hits[i].Kind == "document" {
			r := rows[j]
			hits[i].Snippet = snippet(terms, r.Title, r.Author, r.Publisher, r.Body)
		}
	}
	return nil
}

// broadRanked bounds how many matches of one query are ranked together on
// SQLite: a query matching more ranks its newest broadRanked matches, then,
// only when a page reaches past their visible hits, the next broadRanked,
// up to searchWindows windows. A search for a common word costs about as
// much as one for a rare word, the newest broadRanked × searchWindows
// matches can be reached by paging, and a query whose matches are nearly
// all hidden from readers (candidates, dismissed claims) stops after
// searchWindows windows instead of walking a million rows.
const (
	broadRanked   = 500
	searchWindows = 10
)

// ftsSearch describes one full-text table for searchFTS.
type ftsSearch struct {
	fts     string    // the FTS4 table
	weights []float64 // BM25 weight of each of its columns
	// rows reads the hits of the given IDs from the content table, public
	// ones only when public is set, in any order, each with the text of
	// its indexed columns for the snippet.
	rows func(g *gorm.DB, ids []int64, public bool) ([]SearchHit, [][]string, error)
}

var (
	claimsSearch = ftsSearch{fts: "claims_fts", weights: []float64{1.0, 0.6, 0.4},
		rows: func(g *gorm.DB, ids []int64, public bool) ([]SearchHit, [][]string, error) {
			q := g.Table("claims").Select("id, document_id, text AS title, exact, claimant, status, rating").Where("id IN ?", ids)
			if public {
				q = q.Where("status IN ?", models.PublicStatuses())
			}
			var rows []struct {
				SearchHit
				Exact, Claimant string
			}
			if err := q.Scan(&rows).Error; err != nil {
				return nil, nil, err
			}
			hits, cols := make([]SearchHit, len(rows)), make([][]string, len(rows))
			for i, r := range rows {
				hits[i], cols[i] = r.SearchHit, []string{r.Title, r.Exact, r.Claimant}
			}
			return hits, cols, nil
		}}
	documentsSearch = ftsSearch{fts: "documents_fts", weights: []float64{1.0, 0.5, 0.5, 0.3},
		// No body: documentSnippets reads it for the page's hits only.
		rows: func(g *gorm.DB, ids []int64, public bool) ([]SearchHit, [][]string, error) {
			var hits []SearchHit
			q := g.Table("documents AS d").Select("d.id, d.title").Where("d.id IN ?", ids)
			if public {
				q = onlyPublicDocuments(q)
			}
			if err := q.Scan(&hits).Error; err != nil {
				return nil, nil, err
			}
			return hits, nil, nil
		}}
)

func searchSQLite(db *DB, g *gorm.DB, terms [][]string, public bool, n int) (claims, docs []SearchHit, err error) {
	if claims, err = db.searchFTS(g, claimsSearch, terms, public, n); err != nil {
		return nil, nil, err
	}
	docs, err = db.searchFTS(g, documentsSearch, terms, public, n)
	return claims, docs, err
}

// searchFTS ranks in four steps, each bounded by the size of the page or
// of the window of newest matches, never by how many rows match in all:
//
//   - The full-text index yields the newest broadRanked matches with the
//     per-row figures of matchinfo 'pcnaly'. The tables are order=DESC, so
//     FTS4 reads a doclist from its newest end and stops at the limit; the
//     'x' flag, which counts a term's documents across the whole table, is
//     not asked for: it made FTS4 read every doclist entry of a common word
//     (462,000 for "and" in a million claims) on every query.
//   - The documents holding each term come from a cache (termDocs).
//   - BM25 ranks the window in Go, and the content table is read in rank
//     order, a few rows more than the page needs at a time, until the page
//     holds n visible hits: the visibility filter is exact, and a broad
//     query reads tens of rows instead of thousands.
//   - Only those hits get a snippet, made in Go from the rows read.
//
// A page reaching past the visible hits of a window goes on with the next,
// older window, ranked the same way and placed after it.
func (db *DB) searchFTS(g *gorm.DB, t ftsSearch, terms [][]string, public bool, n int) ([]SearchHit, error) {
	match := ftsQuery(terms, " ")
	df, err := db.termDocs(g, t.fts, terms)
	if err != nil {
		return nil, err
	}
	var hits []SearchHit
	for window := 0; len(hits) < n && window < searchWindows; window++ {
		ranked, err := rankWindow(g, t, match, df, window)
		if err != nil {
			return nil, err
		}
		if hits, err = readRanked(g, t, terms, public, n, window, ranked, hits); err != nil {
			return nil, err
		}
		if len(ranked) < broadRanked {
			break // the last window: no older match is left
		}
	}
	return hits, nil
}

// scored is a match of a window with its BM25 rank.
type scored struct {
	id   int64
	rank float64
}

// rankWindow ranks the window-th broadRanked matches, newest first, best
// first. The window comes back as one row, "docid hex(matchinfo) docid …":
// a row costs a cgo round trip and a scan, and a window has hundreds.
func rankWindow(g *gorm.DB, t ftsSearch, match string, df [][]uint32, window int) ([]scored, error) {
	var rows sql.NullString
	// t.fts is one of two constants, never input.
	err := g.Raw(`SELECT group_concat(docid || ' ' || hex(m), ' ') FROM (
		SELECT docid, matchinfo(`+t.fts+`, 'pcnaly') AS m FROM `+t.fts+`
		WHERE `+t.fts+` MATCH ? ORDER BY docid DESC LIMIT ? OFFSET ?)`, match, broadRanked, window*broadRanked).Row().Scan(&rows)
	if err != nil {
		return nil, err
	}
	var ranked []scored
	var info []byte
	for f := strings.Fields(rows.String); len(f) >= 2; f = f[2:] {
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("matchinfo window: %w", err)
		}
		if info, err = hex.AppendDecode(info[:0], []byte(f[1])); err != nil {
			return nil, fmt.Errorf("matchinfo window: %w", err)
		}
		ranked = append(ranked, scored{id, rankRow(info, df, t.weights)})
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].rank != ranked[j].rank {
			return ranked[i].rank > ranked[j].rank
		}
		return ranked[i].id < ranked[j].id
	})
	return ranked, nil
}

// readRanked reads the content rows of ranked in rank order, a few more
// than still needed at a time (some may not be visible), and appends the
// visible ones to hits, with their snippets, until hits holds n.
func readRanked(g *gorm.DB, t ftsSearch, terms [][]string, public bool, n, window int, ranked []scored, hits []SearchHit) ([]SearchHit, error) {
	for next := 0; len(hits) < n && next < len(ranked); {
		end := min(len(ranked), next+max(2*(n-len(hits)), 20))
		ids := make([]int64, 0, end-next)
		for _, r := range ranked[next:end] {
			ids = append(ids, r.id)
		}
		got, cols, err := t.rows(g, ids, public)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]int, len(got))
		for i, h := range got {
			byID[h.ID] = i
		}
		for _, r := range ranked[next:end] {
			if i, ok := byID[r.id]; ok && len(hits) < n {
				h := got[i]
				h.Rank, h.window = r.rank, window
				if cols != nil {
					h.Snippet = snippet(terms, cols[i]...)
				}
				hits = append(hits, h)
			}
		}
		next = end
	}
	return hits, nil
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

// rankRow is rankMatchinfo over matchinfo 'pcnaly', with the documents
// holding each phrase in each column (df[phrase][column]) given apart.
func rankRow(info []byte, df [][]uint32, weights []float64) float64 {
	if len(info) < 12 || len(info)%4 != 0 {
		return 0
	}
	u := func(i int) uint32 { return binary.NativeEndian.Uint32(info[4*i:]) }
	p, c := int(u(0)), int(u(1))
	if len(info)/4 < 3+2*c+p*c || len(df) < p {
		return 0
	}
	avg, lens := make([]uint32, c), make([]uint32, c)
	for j := range c {
		avg[j], lens[j] = u(3+j), u(3+c+j)
	}
	return bm25(p, c, float64(u(2)), avg, lens, weights,
		func(i, j int) float64 { return float64(u(3 + 2*c + i*c + j)) },
		func(i, j int) float64 {
			if j < len(df[i]) {
				return float64(df[i][j])
			}
			return 0
		})
}

// bm25 scores one row: p phrases, c columns, n rows in the table, the
// average and this row's length of each column, the hits of phrase i in
// column j of this row (tf) and the rows with a hit there (df).
func bm25(p, c int, n float64, avg, lens []uint32, weights []float64, tf, df func(i, j int) float64) float64 {
	const k1, b = 1.2, 0.75
	score := 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < c; j++ {
			f := tf(i, j)
			if f == 0 {
				continue
			}
			d := df(i, j)
			idf := math.Log((n-d+0.5)/(d+0.5) + 1)
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
		// table is one of two constants, never input. The phrase alone:
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
