package store

import "strings"

// Snapshots keep their bytes in the database: one backup, one copy and one
// replica set hold the evidence with everything else, and the bytes of a
// snapshot are written once and read rarely (see README, "Fetching and
// archived sources", for the sizes measured).
const snapshotsSchemaTemplate = `
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

var (
	snapshotsSchemaSQLite   = replaceBlob(snapshotsSchemaTemplate, "BLOB")
	snapshotsSchemaPostgres = replaceBlob(snapshotsSchemaTemplate, "BYTEA")
)

func replaceBlob(s, typ string) string { return strings.ReplaceAll(s, "{{blob}}", typ) }
