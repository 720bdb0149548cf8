package store

import (
	"fmt"
	"strings"
)

// The term index: for each word of a claim, the claim's BM25 weight for
// that word without its inverse document frequency (its impact), kept in
// impact order. A query of common words then reads the best claims of
// each word first and stops once nothing unread can outrank what it has
// (rankByImpact), instead of scoring every match: at a million claims a
// word held by 462,430 of them was 1.6 s scored in full.
//
// Both engines fill it with triggers from their own tokenizer (SQLite's
// unicode61 through fts3tokenize, PostgreSQL's 'simple' configuration), so
// no write path can forget it and a query's words are cut the same way.
//
// BM25's average field lengths are constants, not the live averages: an
// impact written today must stay comparable with one written next year,
// and they only set how strongly a long field is discounted.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// impactFields are the claim's indexed fields: BM25 weight and the
// average length in words that the impacts are normalised by.
var impactFields = []struct {
	column string
	weight float64
	avg    float64
}{
	{"text", 1.0, 20},
	{"exact", 0.6, 25},
	{"claimant", 0.4, 3},
}

// impactOf is the SQL of one word's impact from its count f and its field's
// length n, weight w and average length a.
func impactOf(f, n, w, a string) string {
	return fmt.Sprintf("%s * %s * %g / (%s + %g * (%g + %g * %s / %s))", w, f, bm25K1+1, f, bm25K1, 1-bm25B, bm25B, n, a)
}

// termRowsSQLite is the SQL of the term index's rows of the claims that
// cond selects: the triggers' (one claim) and the backfill's (every claim).
func termRowsSQLite(cond string) string {
	var parts []string
	for _, f := range impactFields {
		parts = append(parts, fmt.Sprintf(`SELECT c.id, t.token, COUNT(*) AS f, %g AS w, %g AS a,
			(SELECT COUNT(*) FROM search_tokens WHERE input = c.%[3]s) AS n
		FROM claims c, search_tokens t WHERE t.input = c.%[3]s AND %[4]s GROUP BY c.id, t.token`, f.weight, f.avg, f.column, cond))
	}
	return fmt.Sprintf(`INSERT INTO claim_terms (term, claim_id, impact)
	SELECT token, id, SUM(%s) FROM (%s) GROUP BY id, token`, impactOf("f", "n", "w", "a"), strings.Join(parts, "\n\t\tUNION ALL "))
}

var termIndexSchemaSQLite = `CREATE VIRTUAL TABLE search_tokens USING fts3tokenize('unicode61', 'remove_diacritics=2')
--;
CREATE TABLE claim_terms (
	term TEXT NOT NULL,
	claim_id INTEGER NOT NULL,
	impact REAL NOT NULL,
	PRIMARY KEY (term, claim_id)
) WITHOUT ROWID
--;
CREATE INDEX claim_terms_impact ON claim_terms (term, impact DESC, claim_id)
--;
CREATE TRIGGER claim_terms_ai AFTER INSERT ON claims BEGIN
	` + termRowsSQLite("c.id = new.id") + `;
END
--;
CREATE TRIGGER claim_terms_bu BEFORE UPDATE OF text, exact, claimant ON claims BEGIN
	DELETE FROM claim_terms WHERE claim_id = old.id;
END
--;
CREATE TRIGGER claim_terms_au AFTER UPDATE OF text, exact, claimant ON claims BEGIN
	` + termRowsSQLite("c.id = new.id") + `;
END
--;
CREATE TRIGGER claim_terms_bd BEFORE DELETE ON claims BEGIN
	DELETE FROM claim_terms WHERE claim_id = old.id;
END
--;
` + termRowsSQLite("1 = 1")

var termIndexSchemaPostgres = func() string {
	var fields []string
	for _, f := range impactFields {
		fields = append(fields, fmt.Sprintf("(to_tsvector('simple', coalesce(%s, '')), %g::float8, %g::float8)", f.column, f.weight, f.avg))
	}
	return `CREATE TABLE claim_terms (
	term TEXT NOT NULL,
	claim_id BIGINT NOT NULL,
	impact DOUBLE PRECISION NOT NULL,
	-- impact in the key's index: a claim's impact for a word is read
	-- from the index alone (SQLite's WITHOUT ROWID table is its key).
	PRIMARY KEY (term, claim_id) INCLUDE (impact)
)
--;
CREATE INDEX claim_terms_impact ON claim_terms (term, impact DESC, claim_id)
--;
CREATE FUNCTION claim_terms_of(text TEXT, exact TEXT, claimant TEXT) RETURNS TABLE (term TEXT, impact DOUBLE PRECISION)
LANGUAGE sql IMMUTABLE AS $$
	SELECT lexeme, SUM(` + impactOf("f", "n", "w", "a") + `)
	FROM (SELECT u.lexeme, array_length(u.positions, 1)::float8 AS f, c.w, c.a,
			(SELECT coalesce(sum(array_length(v.positions, 1)), 0) FROM unnest(c.vec) v)::float8 AS n
		FROM (VALUES ` + strings.Join(fields, ", ") + `) AS c(vec, w, a), unnest(c.vec) u) words
	GROUP BY lexeme
$$
--;
CREATE FUNCTION claim_terms_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		DELETE FROM claim_terms WHERE claim_id = OLD.id;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO claim_terms (term, claim_id, impact)
		SELECT t.term, NEW.id, t.impact FROM claim_terms_of(NEW.text, NEW.exact, NEW.claimant) t;
	END IF;
	RETURN NULL;
END
$$
--;
CREATE TRIGGER claim_terms_index AFTER INSERT OR DELETE OR UPDATE OF text, exact, claimant ON claims
	FOR EACH ROW EXECUTE FUNCTION claim_terms_index()
--;
` + rebuildTermIndexPostgres
}()

// rebuildTermIndexPostgres fills the term index from every claim.
const rebuildTermIndexPostgres = `INSERT INTO claim_terms (term, claim_id, impact)
	SELECT t.term, c.id, t.impact FROM claims c, claim_terms_of(c.text, c.exact, c.claimant) t`

// ftsAutomergeSQLite has FTS4 merge its segments a little at every write,
// four at a level, instead of sixteen at once: a query reads a term's
// doclist from every segment, and reviews imported in batches of 1,000
// left 40 of them at 100,000 reviews. Measured there (the same import,
// then a query of two pairs of words): 40 segments and 399 µs a query by
// default, 4 segments and 97 µs with automerge=4, the import no slower
// (20.8 s and 17.5 s). FTS4 keeps the setting in the database; the
// segments already written are merged once here.
const ftsAutomergeSQLite = `
INSERT INTO claims_fts (claims_fts) VALUES ('automerge=4')
--;
INSERT INTO claims_fts (claims_fts) VALUES ('optimize')
--;
INSERT INTO documents_fts (documents_fts) VALUES ('automerge=4')
--;
INSERT INTO documents_fts (documents_fts) VALUES ('optimize')
--;
INSERT INTO external_reviews_fts (external_reviews_fts) VALUES ('automerge=4')
--;
INSERT INTO external_reviews_fts (external_reviews_fts) VALUES ('optimize')
`
