package store

import "strings"

// migrations is the schema's history; append, never edit a step that has shipped.
var migrations = []migration{
	{version: 1, name: "core", sqlite: coreSchema, postgres: coreSchema},
	{version: 2, name: "full-text search", sqlite: searchSchemaSQLite, postgres: searchSchemaPostgres},
	{version: 3, name: "sessions and API tokens", sqlite: authSchema, postgres: authSchema},
	{version: 4, name: "failed sign-ins", sqlite: loginFailuresSchema, postgres: loginFailuresSchema},
	{version: 5, name: "full-text search newest first", sqlite: searchNewestFirstSQLite, postgres: ""},
	{version: 6, name: "claim queue orders", sqlite: queueOrdersSchema, postgres: queueOrdersSchema},
	{version: 7, name: "reviewed corrections", sqlite: reviewedCorrectionsSchema, postgres: reviewedCorrectionsSchema},
	{version: 8, name: "source snapshots", sqlite: snapshotsSchema, postgres: snapshotsSchema},
	{version: 9, name: "document originals", sqlite: originalsSchema, postgres: originalsSchema},
	{version: 10, name: "rating scale", sqlite: ratingScaleSchema, postgres: ratingScaleSchema},
	{version: 11, name: "claim memory", sqlite: memorySchemaSQLite, postgres: memorySchemaPostgres},
	{version: 12, name: "comments, notifications, due dates", sqlite: teamSchema, postgres: teamSchema},
	{version: 13, name: "import keys, candidates over the cap, text of copies", sqlite: importsSchema, postgres: importsSchema},
	{version: 14, name: "readers' reports", sqlite: reportsSchema, postgres: reportsSchema},
	{version: 15, name: "stored matches of proposals", sqlite: proposalMatchesSchema, postgres: proposalMatchesSchema},
	{version: 16, name: "term index in impact order", sqlite: termIndexSchemaSQLite, postgres: termIndexSchemaPostgres},
	{version: 17, name: "full-text segments merged as they are written", sqlite: ftsAutomergeSQLite, postgres: ""},
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
// external-content tables kept in step by triggers (fts4Triggers).
var searchSchemaSQLite = `
CREATE VIRTUAL TABLE claims_fts USING fts4(content="claims", text, exact, claimant, tokenize=unicode61 "remove_diacritics=2")
--;
CREATE VIRTUAL TABLE documents_fts USING fts4(content="documents", title, author, publisher, body, tokenize=unicode61 "remove_diacritics=2")
--;
` + fts4Triggers("claims", "text", "exact", "claimant") + `--;
` + fts4Triggers("documents", "title", "author", "publisher", "body") + `--;
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

// fts4Triggers keeps table_fts, an external-content FTS4 table over cols of
// table, in step with it. Only cols fire the update triggers, so a status
// change does not rewrite the index.
func fts4Triggers(table string, cols ...string) string {
	return strings.NewReplacer(
		"{{fts}}", table+"_fts",
		"{{table}}", table,
		"{{cols}}", strings.Join(cols, ", "),
		"{{new}}", "new."+strings.Join(cols, ", new."),
	).Replace(fts4TriggersTemplate)
}

const fts4TriggersTemplate = `CREATE TRIGGER {{fts}}_bu BEFORE UPDATE OF {{cols}} ON {{table}} BEGIN
	DELETE FROM {{fts}} WHERE docid = old.id;
END
--;
CREATE TRIGGER {{fts}}_bd BEFORE DELETE ON {{table}} BEGIN
	DELETE FROM {{fts}} WHERE docid = old.id;
END
--;
CREATE TRIGGER {{fts}}_au AFTER UPDATE OF {{cols}} ON {{table}} BEGIN
	INSERT INTO {{fts}} (docid, {{cols}}) VALUES (new.id, {{new}});
END
--;
CREATE TRIGGER {{fts}}_ai AFTER INSERT ON {{table}} BEGIN
	INSERT INTO {{fts}} (docid, {{cols}}) VALUES (new.id, {{new}});
END
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

// Snapshots keep their bytes in the database: one backup, one copy and one
// replica set hold the evidence with everything else, and the bytes of a
// snapshot are written once and read rarely (see README, "Fetching and
// archived sources", for the sizes measured).
const snapshotsSchema = `
CREATE TABLE source_snapshots (
	id {{id}},
	source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	final_url TEXT NOT NULL,
	status INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	charset TEXT NOT NULL DEFAULT '',
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	body {{blob}} NOT NULL,
	fetched_at {{time}} NOT NULL
)
--;
CREATE UNIQUE INDEX source_snapshots_hash ON source_snapshots (source_id, sha256)
--;
CREATE TABLE source_archives (
	source_id BIGINT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	state TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	live_status INTEGER NOT NULL DEFAULT 0,
	live_sha256 TEXT NOT NULL DEFAULT '',
	checked_at {{time}},
	attempts INTEGER NOT NULL DEFAULT 0,
	snapshot_id BIGINT REFERENCES source_snapshots(id) ON DELETE SET NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX source_archives_state ON source_archives (state, checked_at)
--;
INSERT INTO source_archives (source_id, url, state, updated_at)
	SELECT id, url, 'pending', CURRENT_TIMESTAMP FROM sources WHERE url <> ''
`

// originalsSchema keeps the page a document was imported from, bytes and
// all, beside the document (one backup holds both); deleting the document
// deletes it.
const originalsSchema = `
CREATE TABLE document_originals (
	document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	final_url TEXT NOT NULL,
	status INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	charset TEXT NOT NULL DEFAULT '',
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	body {{blob}} NOT NULL,
	fetched_at {{time}} NOT NULL,
	import_key TEXT
)
--;
CREATE UNIQUE INDEX document_originals_import_key ON document_originals (import_key)
`

// ratingScaleSchema holds the newsroom's rating scale; it is seeded with
// models.DefaultScale, so claims rated before keep their keys. One row of
// rating_scales (id 1) carries the bounds and the version.
const ratingScaleSchema = `
CREATE TABLE rating_scales (
	id INTEGER PRIMARY KEY,
	best_rating INTEGER NOT NULL,
	worst_rating INTEGER NOT NULL,
	version BIGINT NOT NULL
)
--;
INSERT INTO rating_scales (id, best_rating, worst_rating, version) VALUES (1, 5, 1, 1)
--;
CREATE TABLE ratings (
	rating_key TEXT PRIMARY KEY,
	label TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	colour TEXT NOT NULL,
	position INTEGER NOT NULL,
	rating_value INTEGER,
	retired {{bool}} NOT NULL DEFAULT {{false}}
)
--;
INSERT INTO ratings (rating_key, label, description, colour, position, rating_value) VALUES
	('true', 'True', 'The statement is accurate and nothing significant is missing.', 'green', 0, 5),
	('mostly_true', 'Mostly true', 'The statement is accurate but needs clarification or additional information.', 'olive', 1, 4),
	('mixed', 'Half true', 'The statement is partially accurate but leaves out important details or takes things out of context.', 'amber', 2, 3),
	('mostly_false', 'Mostly false', 'The statement contains an element of truth but ignores critical facts that would give a different impression.', 'orange', 3, 2),
	('false', 'False', 'The statement is not accurate.', 'red', 4, 1),
	('misleading', 'Misleading', 'The statement uses accurate facts in a way that gives a false impression.', 'purple', 5, 2),
	('unproven', 'Unproven', 'The evidence available does not allow the statement to be confirmed or refuted.', 'slate', 6, NULL)
`

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

var memorySchemaSQLite = memorySchema + `--;
CREATE VIRTUAL TABLE external_reviews_fts USING fts4(content="external_reviews", claim_text, claimant, order=DESC, tokenize=unicode61 "remove_diacritics=2")
--;
` + fts4Triggers("external_reviews", "claim_text", "claimant") + ``

const memorySchemaPostgres = memorySchema + `--;
ALTER TABLE external_reviews ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('simple', coalesce(claim_text, '')), 'A') ||
	setweight(to_tsvector('simple', coalesce(claimant, '')), 'C')) STORED
--;
CREATE INDEX external_reviews_search ON external_reviews USING GIN (search)
`

// teamSchema holds the desk's own conversation: comments on claims, the
// notifications they and the workflow raise, each user's choice of
// channels, the admin's webhook endpoints and the outbox of deliveries
// (emails and webhooks) that a worker sends with retries. Claims get a due
// date and a priority for the queue.
const teamSchema = `
ALTER TABLE claims ADD COLUMN due_on {{time}}
--;
ALTER TABLE claims ADD COLUMN priority INTEGER NOT NULL DEFAULT 0
--;
CREATE INDEX claims_due ON claims (due_on, id)
--;
CREATE INDEX claims_priority ON claims (priority, id)
--;
CREATE TABLE comments (
	id {{id}},
	claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX comments_claim ON comments (claim_id, id)
--;
CREATE TABLE notifications (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	claim_id BIGINT REFERENCES claims(id) ON DELETE CASCADE,
	actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	summary TEXT NOT NULL DEFAULT '',
	desk {{bool}} NOT NULL DEFAULT {{true}},
	read_at {{time}},
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX notifications_user ON notifications (user_id, read_at, id)
--;
CREATE TABLE notification_prefs (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	channel TEXT NOT NULL,
	enabled {{bool}} NOT NULL,
	PRIMARY KEY (user_id, event, channel)
)
--;
CREATE TABLE webhooks (
	id {{id}},
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	active {{bool}} NOT NULL DEFAULT {{true}},
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE TABLE deliveries (
	id {{id}},
	notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	channel TEXT NOT NULL,
	webhook_id BIGINT REFERENCES webhooks(id) ON DELETE CASCADE,
	recipient TEXT NOT NULL DEFAULT '',
	payload TEXT NOT NULL,
	status TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at {{time}} NOT NULL,
	last_status INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
)
--;
CREATE INDEX deliveries_due ON deliveries (status, next_at)
--;
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, id)
`

// importsSchema keeps the idempotency keys of imports: a request retried
// (a client that timed out, a job rerun after a crash) finds the document
// its first try made instead of making a second. The keys of imports by
// URL move here from the originals, so every import keeps its key in one
// place. documents.more_candidates counts the proposals the cap left out;
// source_snapshots.text_sha256 fingerprints a copy's visible text for the
// re-checks (models.Snapshot).
const importsSchema = `
CREATE TABLE document_imports (
	import_key TEXT PRIMARY KEY,
	document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	created_at {{time}} NOT NULL
)
--;
CREATE INDEX document_imports_document ON document_imports (document_id)
--;
INSERT INTO document_imports (import_key, document_id, created_at)
	SELECT import_key, document_id, fetched_at FROM document_originals WHERE import_key IS NOT NULL
--;
DROP INDEX document_originals_import_key
--;
ALTER TABLE document_originals DROP COLUMN import_key
--;
ALTER TABLE documents ADD COLUMN more_candidates INTEGER NOT NULL DEFAULT 0
--;
ALTER TABLE source_snapshots ADD COLUMN text_sha256 TEXT NOT NULL DEFAULT ''
`

// reportsSchema holds what readers send through the reader site's forms:
// error reports on verdicts and claims to check, waiting in the desk's
// moderation queue. email is kept only until the outcome is mailed.
const reportsSchema = `
CREATE TABLE reports (
	id {{id}},
	kind TEXT NOT NULL,
	claim_id BIGINT REFERENCES claims(id) ON DELETE CASCADE,
	body TEXT NOT NULL,
	link TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	result_claim_id BIGINT REFERENCES claims(id) ON DELETE SET NULL,
	note TEXT NOT NULL DEFAULT '',
	moderator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	moderated_at {{time}},
	created_at {{time}} NOT NULL,
	reply TEXT NOT NULL DEFAULT '',
	reply_attempts INTEGER NOT NULL DEFAULT 0,
	reply_next_at {{time}},
	reply_error TEXT NOT NULL DEFAULT ''
)
--;
CREATE INDEX reports_status ON reports (status, id)
--;
CREATE INDEX reports_reply ON reports (reply, reply_next_at)
`

const proposalMatchesSchema = `
CREATE TABLE proposal_matches (
	claim_id BIGINT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
	matches TEXT NOT NULL,
	computed_at {{time}} NOT NULL
)
`
