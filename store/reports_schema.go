package store

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
