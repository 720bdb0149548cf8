package store

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
