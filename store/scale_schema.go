package store

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
