package store

// migrations is the schema's history; append, never edit a step that has shipped.
var migrations = []migration{
	{version: 1, name: "core", sqlite: coreSchema, postgres: coreSchema},
	{version: 2, name: "full-text search", sqlite: searchSchemaSQLite, postgres: searchSchemaPostgres},
	{version: 3, name: "sessions and API tokens", sqlite: authSchema, postgres: authSchema},
	{version: 4, name: "failed sign-ins", sqlite: loginFailuresSchema, postgres: loginFailuresSchema},
	{version: 5, name: "full-text search newest first", sqlite: searchNewestFirstSQLite, postgres: ""},
	{version: 6, name: "claim queue orders", sqlite: queueOrdersSchema, postgres: queueOrdersSchema},
	{version: 7, name: "reviewed corrections", sqlite: reviewedCorrectionsSchema, postgres: reviewedCorrectionsSchema},
	{version: 8, name: "source snapshots", sqlite: snapshotsSchemaSQLite, postgres: snapshotsSchemaPostgres},
	{version: 9, name: "document originals", sqlite: originalsSchemaSQLite, postgres: originalsSchemaPostgres},
	{version: 10, name: "rating scale", sqlite: ratingScaleSchema, postgres: ratingScaleSchema},
	{version: 11, name: "claim memory", sqlite: memorySchemaSQLite, postgres: memorySchemaPostgres},
	{version: 12, name: "comments, notifications, due dates", sqlite: teamSchema, postgres: teamSchema},
	{version: 13, name: "import keys, candidates over the cap, text of copies", sqlite: importsSchema, postgres: importsSchema},
	{version: 14, name: "readers' reports", sqlite: reportsSchema, postgres: reportsSchema},
	{version: 15, name: "stored matches of proposals", sqlite: proposalMatchesSchema, postgres: proposalMatchesSchema},
	{version: 16, name: "term index in impact order", sqlite: termIndexSchemaSQLite, postgres: termIndexSchemaPostgres},
}

const coreSchema = `
CREATE TABLE users (
	id {{id}},
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	disabled {{bool}} NOT NULL DEFAULT {{false}},
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE TABLE documents (
	id {{id}},
	title TEXT NOT NULL DEFAULT '',
	author TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	published_on {{time}},
	language TEXT NOT NULL DEFAULT 'en',
	body TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX documents_content_hash ON documents (content_hash)
--;
CREATE TABLE claims (
	id {{id}},
	document_id BIGINT REFERENCES documents(id) ON DELETE CASCADE,
	start INTEGER NOT NULL DEFAULT 0,
	"end" INTEGER NOT NULL DEFAULT 0,
	exact TEXT NOT NULL DEFAULT '',
	prefix TEXT NOT NULL DEFAULT '',
	suffix TEXT NOT NULL DEFAULT '',
	orphaned {{bool}} NOT NULL DEFAULT {{false}},
	text TEXT NOT NULL,
	claimant TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	score DOUBLE PRECISION NOT NULL DEFAULT 0,
	origin TEXT NOT NULL,
	status TEXT NOT NULL,
	rating TEXT NOT NULL DEFAULT '',
	explanation TEXT NOT NULL DEFAULT '',
	dismiss_reason TEXT NOT NULL DEFAULT '',
	assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	submitter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	published_at {{time}},
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX claims_status ON claims (status, id)
--;
CREATE INDEX claims_document ON claims (document_id, start)
--;
CREATE INDEX claims_assignee ON claims (assignee_id, id)
--;
CREATE INDEX claims_rating ON claims (rating, id)
--;
CREATE INDEX claims_kind ON claims (kind, id)
--;
CREATE INDEX claims_published ON claims (published_at)
--;
CREATE INDEX claims_updated ON claims (updated_at)
--;
CREATE TABLE sources (
	id {{id}},
	url TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	author TEXT NOT NULL DEFAULT '',
	published_on {{time}},
	accessed_on {{time}},
	archive_url TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX sources_url ON sources (url)
--;
CREATE TABLE evidences (
	id {{id}},
	claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
	source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
	stance TEXT NOT NULL,
	excerpt TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	added_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX evidences_claim ON evidences (claim_id, id)
--;
CREATE INDEX evidences_source ON evidences (source_id)
--;
CREATE TABLE corrections (
	id {{id}},
	claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
	note TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX corrections_claim ON corrections (claim_id, id)
--;
CREATE TABLE revisions (
	id {{id}},
	entity TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	claim_id BIGINT,
	action TEXT NOT NULL,
	user_id BIGINT,
	before TEXT NOT NULL,
	after TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX revisions_entity ON revisions (entity, entity_id, id)
--;
CREATE INDEX revisions_claim ON revisions (claim_id, id)
--;
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
)
`

// SQLite: FTS4 (compiled into mattn/go-sqlite3 without build tags) as
// external-content tables kept in step by triggers. Only the text columns
// fire the update triggers, so a status change does not rewrite the index.
const searchSchemaSQLite = `
CREATE VIRTUAL TABLE claims_fts USING fts4(content="claims", text, exact, claimant, tokenize=unicode61 "remove_diacritics=2")
--;
CREATE VIRTUAL TABLE documents_fts USING fts4(content="documents", title, author, publisher, body, tokenize=unicode61 "remove_diacritics=2")
--;
CREATE TRIGGER claims_fts_bu BEFORE UPDATE OF text, exact, claimant ON claims BEGIN
	DELETE FROM claims_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER claims_fts_bd BEFORE DELETE ON claims BEGIN
	DELETE FROM claims_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER claims_fts_au AFTER UPDATE OF text, exact, claimant ON claims BEGIN
	INSERT INTO claims_fts (docid, text, exact, claimant) VALUES (new.id, new.text, new.exact, new.claimant);
END
--;
CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
	INSERT INTO claims_fts (docid, text, exact, claimant) VALUES (new.id, new.text, new.exact, new.claimant);
END
--;
CREATE TRIGGER documents_fts_bu BEFORE UPDATE OF title, author, publisher, body ON documents BEGIN
	DELETE FROM documents_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER documents_fts_bd BEFORE DELETE ON documents BEGIN
	DELETE FROM documents_fts WHERE docid = old.id;
END
--;
CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, author, publisher, body ON documents BEGIN
	INSERT INTO documents_fts (docid, title, author, publisher, body) VALUES (new.id, new.title, new.author, new.publisher, new.body);
END
--;
CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN
	INSERT INTO documents_fts (docid, title, author, publisher, body) VALUES (new.id, new.title, new.author, new.publisher, new.body);
END
--;
INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')
--;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')
`

// SQLite: the full-text tables again, with their doclists in descending
// docid order. Search ranks the newest matches of a query; FTS4 reads a
// doclist incrementally only in the order it is stored, and in the other
// order loads it whole (every entry of a common word) before the first row.
// The triggers name the tables and stay as they are.
const searchNewestFirstSQLite = `
DROP TABLE claims_fts
--;
CREATE VIRTUAL TABLE claims_fts USING fts4(content="claims", text, exact, claimant, order=DESC, tokenize=unicode61 "remove_diacritics=2")
--;
INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')
--;
INSERT INTO claims_fts (claims_fts) VALUES ('optimize')
--;
DROP TABLE documents_fts
--;
CREATE VIRTUAL TABLE documents_fts USING fts4(content="documents", title, author, publisher, body, order=DESC, tokenize=unicode61 "remove_diacritics=2")
--;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')
`

// PostgreSQL: its own full-text search, a generated tsvector with a GIN index.
const searchSchemaPostgres = `
ALTER TABLE claims ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('simple', coalesce(text, '')), 'A') ||
	setweight(to_tsvector('simple', coalesce(exact, '')), 'B') ||
	setweight(to_tsvector('simple', coalesce(claimant, '')), 'C')) STORED
--;
CREATE INDEX claims_search ON claims USING GIN (search)
--;
ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
	setweight(to_tsvector('simple', coalesce(author, '') || ' ' || coalesce(publisher, '')), 'B') ||
	setweight(to_tsvector('simple', coalesce(body, '')), 'D')) STORED
--;
CREATE INDEX documents_search ON documents USING GIN (search)
`

const authSchema = `
CREATE TABLE sessions (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	csrf_token TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	expires_at {{time}} NOT NULL,
	last_seen {{time}} NOT NULL
)
--;
CREATE INDEX sessions_user ON sessions (user_id)
--;
CREATE TABLE api_tokens (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at {{time}} NOT NULL,
	last_used_at {{time}},
	revoked_at {{time}}
)
--;
CREATE INDEX api_tokens_user ON api_tokens (user_id)
`

// Failed sign-ins live in the database, not in one process's memory, so the
// limit holds across every replica behind a load balancer.
const loginFailuresSchema = `
CREATE TABLE login_failures (
	id {{id}},
	email TEXT NOT NULL,
	address TEXT NOT NULL,
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX login_failures_email ON login_failures (email, created_at)
--;
CREATE INDEX login_failures_address ON login_failures (address, created_at)
--;
CREATE INDEX login_failures_created ON login_failures (created_at)
`

// The desk's claims queue pages through every match by score, alone or
// within a status: without these each page sorted every match (18 ms a
// page at 100,000 claims, ten times that at a million). Edits leave the
// score alone, so they pay nothing for them; an index of status and update
// time would cost every edit a write, and the queue by last update within
// a status sorts that status' claims instead.
const queueOrdersSchema = `
CREATE INDEX claims_score ON claims (score, id)
--;
CREATE INDEX claims_status_score ON claims (status, score, id)
`

// A correction of a published claim waits in pending_corrections until a
// second editor approves it; the claim row stays what readers see. The old
// evidence note was never shown by the API's public view, so it stays
// internal as the research note; the public note starts empty.
const reviewedCorrectionsSchema = `
ALTER TABLE claims ADD COLUMN override_reason TEXT NOT NULL DEFAULT ''
--;
CREATE TABLE pending_corrections (
	claim_id BIGINT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
	proposal TEXT NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
ALTER TABLE evidences RENAME COLUMN note TO research_note
--;
ALTER TABLE evidences ADD COLUMN public_note TEXT NOT NULL DEFAULT ''
`
