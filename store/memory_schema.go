package store

// Claim memory: the appearances of a claim beyond its own anchor, and other
// fact-checkers' reviews, kept apart from Factdesk's own verdicts.
const memorySchema = `
CREATE TABLE appearances (
	id {{id}},
	claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
	document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	start INTEGER NOT NULL DEFAULT 0,
	"end" INTEGER NOT NULL DEFAULT 0,
	exact TEXT NOT NULL DEFAULT '',
	prefix TEXT NOT NULL DEFAULT '',
	suffix TEXT NOT NULL DEFAULT '',
	said_at {{time}} NOT NULL,
	from_claim_id BIGINT REFERENCES claims(id) ON DELETE SET NULL,
	linked_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX appearances_claim ON appearances (claim_id, said_at)
--;
CREATE INDEX appearances_document ON appearances (document_id)
--;
CREATE INDEX appearances_said ON appearances (said_at, claim_id)
--;
CREATE TABLE external_reviews (
	id {{id}},
	url TEXT NOT NULL UNIQUE,
	claim_text TEXT NOT NULL,
	claimant TEXT NOT NULL DEFAULT '',
	claim_date {{time}},
	title TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL,
	publisher_site TEXT NOT NULL DEFAULT '',
	rating TEXT NOT NULL DEFAULT '',
	rating_value DOUBLE PRECISION NOT NULL DEFAULT 0,
	language TEXT NOT NULL DEFAULT '',
	review_date {{time}},
	imported_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
`

const memorySchemaSQLite = memorySchema + `--;
CREATE VIRTUAL TABLE external_reviews_fts USING fts4(content="external_reviews", claim_text, claimant, order=DESC, tokenize=unicode61 "remove_diacritics=2")
--;
CREATE TRIGGER external_reviews_fts_bu BEFORE UPDATE OF claim_text, claimant ON external_reviews BEGIN
	DELETE FROM external_reviews_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER external_reviews_fts_bd BEFORE DELETE ON external_reviews BEGIN
	DELETE FROM external_reviews_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER external_reviews_fts_au AFTER UPDATE OF claim_text, claimant ON external_reviews BEGIN
	INSERT INTO external_reviews_fts (docid, claim_text, claimant) VALUES (new.id, new.claim_text, new.claimant);
END
--;
CREATE TRIGGER external_reviews_fts_ai AFTER INSERT ON external_reviews BEGIN
	INSERT INTO external_reviews_fts (docid, claim_text, claimant) VALUES (new.id, new.claim_text, new.claimant);
END
`

const memorySchemaPostgres = memorySchema + `--;
ALTER TABLE external_reviews ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('simple', coalesce(claim_text, '')), 'A') ||
	setweight(to_tsvector('simple', coalesce(claimant, '')), 'C')) STORED
--;
CREATE INDEX external_reviews_search ON external_reviews USING GIN (search)
`
