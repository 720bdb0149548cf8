package store

import (
	"context"

	"factdesk/models"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

func openPostgres(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	return gorm.Open(postgres.Open(dsn), cfg)
}

// backupPostgres is not done by the binary: PostgreSQL's own pg_dump takes a
// consistent snapshot (see the README).
func backupPostgres(ctx context.Context, db *DB, path string) error {
	return models.Errorf(models.EINVALID, "backup of a PostgreSQL database: use pg_dump --format=custom (see the README)")
}

// searchPostgres ranks with ts_rank_cd over the generated tsvector columns;
// websearch_to_tsquery reads what people type ("quoted phrases", or, -not).
func searchPostgres(g *gorm.DB, q string, public bool, n int) (claims, docs []SearchHit, err error) {
	where := ""
	args := []any{q, MarkStart, MarkEnd, q, q}
	if public {
		where = " AND c.status IN ?"
		args = append(args, publicStatuses())
	}
	args = append(args, n)
	err = g.Raw(`SELECT c.id, c.document_id, c.text AS title, c.status, c.rating,
			ts_headline('simple', c.text, websearch_to_tsquery('simple', ?), 'StartSel=' || ? || ', StopSel=' || ? || ', MaxWords=35, MinWords=15') AS snippet,
			ts_rank_cd(c.search, websearch_to_tsquery('simple', ?)) AS rank
		FROM claims c WHERE c.search @@ websearch_to_tsquery('simple', ?)`+where+` ORDER BY rank DESC, c.id LIMIT ?`, args...).Scan(&claims).Error
	if err != nil {
		return nil, nil, err
	}
	err = g.Raw(`SELECT d.id, d.title AS title,
			ts_headline('simple', d.body, websearch_to_tsquery('simple', ?), 'StartSel=' || ? || ', StopSel=' || ? || ', MaxWords=35, MinWords=15') AS snippet,
			ts_rank_cd(d.search, websearch_to_tsquery('simple', ?)) AS rank
		FROM documents d WHERE d.search @@ websearch_to_tsquery('simple', ?) ORDER BY rank DESC, d.id LIMIT ?`,
		q, MarkStart, MarkEnd, q, q, n).Scan(&docs).Error
	return claims, docs, err
}
