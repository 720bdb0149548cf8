package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
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
		claims, docs, err = searchSQLite(g, ftsQuery(terms, " "), opt.PublicOnly, n)
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
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Rank > hits[j].Rank })
	if opt.Offset >= len(hits) {
		return nil, nil
	}
	hits = hits[opt.Offset:]
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// broadRanked bounds how many matches of one query are ranked on SQLite:
// a query matching more ranks its newest broadRanked matches, so a search
// for a common word answers in milliseconds, not seconds.
const broadRanked = 5000

// searchSQLite ranks in three steps, each bounded: the full-text index gives
// the newest matches (FTS4 walks its index in docid order and stops at the
// limit), BM25 ranks them and the visibility filter applies, and only the
// best n get a snippet, which needs the matching text read again.
func searchSQLite(g *gorm.DB, match string, public bool, n int) (claims, docs []SearchHit, err error) {
	where := ""
	args := []any{match, broadRanked}
	if public {
		where = " WHERE c.status IN ?"
		args = append(args, publicStatuses())
	}
	args = append(args, n)
	var ranked []SearchHit
	err = g.Raw(`SELECT c.id, c.document_id, c.text AS title, c.status, c.rating, m.rank
		FROM (SELECT docid, factdesk_rank(matchinfo(claims_fts, 'pcnalx'), 1.0, 0.6, 0.4) AS rank
			FROM claims_fts WHERE claims_fts MATCH ? ORDER BY docid DESC LIMIT ?) AS m
		CROSS JOIN claims c ON c.id = m.docid`+where+`
		ORDER BY m.rank DESC, c.id LIMIT ?`, args...).Scan(&ranked).Error
	if err != nil {
		return nil, nil, err
	}
	if claims, err = withSnippets(g, "claims_fts", match, ranked); err != nil {
		return nil, nil, err
	}
	err = g.Raw(`SELECT d.id, d.title AS title, m.rank
		FROM (SELECT docid, factdesk_rank(matchinfo(documents_fts, 'pcnalx'), 1.0, 0.5, 0.5, 0.3) AS rank
			FROM documents_fts WHERE documents_fts MATCH ? ORDER BY docid DESC LIMIT ?) AS m
		CROSS JOIN documents d ON d.id = m.docid
		ORDER BY m.rank DESC, d.id LIMIT ?`, match, broadRanked, n).Scan(&ranked).Error
	if err != nil {
		return nil, nil, err
	}
	docs, err = withSnippets(g, "documents_fts", match, ranked)
	return claims, docs, err
}

// withSnippets fills the snippets of hits from the full-text table, reading
// only their rows.
func withSnippets(g *gorm.DB, table, match string, hits []SearchHit) ([]SearchHit, error) {
	if len(hits) == 0 {
		return hits, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	var rows []struct {
		ID      int64
		Snippet string
	}
	// table is one of two constants, never input.
	err := g.Raw(`SELECT docid AS id, snippet(`+table+`, ?, ?, '…', -1, 24) AS snippet
		FROM `+table+` WHERE `+table+` MATCH ? AND docid IN ?`, MarkStart, MarkEnd, match, ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]string, len(rows))
	for _, r := range rows {
		byID[r.ID] = r.Snippet
	}
	out := make([]SearchHit, len(hits))
	for i, h := range hits {
		h.Snippet = byID[h.ID]
		out[i] = h
	}
	return out, nil
}

func publicStatuses() []models.Status {
	var out []models.Status
	for _, s := range models.Statuses {
		if s.Public() {
			out = append(out, s)
		}
	}
	return out
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
	const k1, b = 1.2, 0.75
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
	score := 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < c; j++ {
			tf := float64(x[3*(i*c+j)])
			if tf == 0 {
				continue
			}
			df := float64(x[3*(i*c+j)+2])
			idf := math.Log((n-df+0.5)/(df+0.5) + 1)
			w := 1.0
			if j < len(weights) {
				w = weights[j]
			}
			norm := 1 - b + b*float64(lens[j])/math.Max(float64(avg[j]), 1)
			score += w * idf * tf * (k1 + 1) / (tf + k1*norm)
		}
	}
	return score
}
