package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"factdesk/models"
)

// TableCount is how many rows a table holds.
type TableCount struct {
	Table string
	Rows  int64
}

// copyBatch is how many rows go into one INSERT: well under PostgreSQL's
// 65535 and SQLite's 32766 bound parameters for our widest table.
const copyBatch = 200

// CopyTo copies every row of every table of db into dst, keeping the IDs:
// from SQLite to PostgreSQL (moving a newsroom to a bigger database) or back
// (a backup of PostgreSQL as one SQLite file). Both must be at this binary's
// schema version and dst must be empty. The rows are read from one snapshot
// and written in one transaction, so dst receives all of them or nothing;
// each table's count is checked against the source before the commit.
// PostgreSQL's identity sequences are moved past the copied IDs.
func (db *DB) CopyTo(ctx context.Context, dst *DB) ([]TableCount, error) {
	for _, d := range []*DB{db, dst} {
		v, err := d.CurrentSchema(ctx)
		if err != nil {
			return nil, err
		}
		if v != SchemaVersion() {
			return nil, models.Errorf(models.EINVALID, "the %s database is at schema version %d, this factdesk at %d: run 'factdesk migrate' on it first", d.dialect, v, SchemaVersion())
		}
	}
	var opts *sql.TxOptions
	if db.dialect == Postgres {
		// One snapshot for every table, while the site keeps writing.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	src, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("copy: read snapshot: %w", err)
	}
	defer src.Rollback()
	out, err := dst.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer out.Rollback()

	tables, err := copyOrder(ctx, db.dialect, src, dst.dialect, out)
	if err != nil {
		return nil, err
	}
	var counts []TableCount
	for _, t := range tables {
		n, err := copyTable(ctx, t, db.dialect, src, dst.dialect, out)
		if err != nil {
			return nil, err
		}
		counts = append(counts, TableCount{Table: t, Rows: n})
	}
	if err := out.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	if dst.dialect == Postgres {
		// Fresh rows have no planner statistics and no visibility map until
		// autovacuum comes by: measured at a million claims, a one-word
		// search took 435 ms at the median before ANALYZE and 4.3 ms after;
		// at 200,000 claims, without VACUUM no index-only scan counts a
		// word's claims (a proposal's words 11.7 ms, 1.3 ms after it; the
		// VACUUM took 1.7 s; bench/RESULTS.md).
		if _, err := dst.sql.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
			return nil, fmt.Errorf("copy: vacuum: %w", err)
		}
	}
	return counts, nil
}

// copyOrder returns the tables to copy, each after the tables it refers
// to. It is every table of the source but the schema's own bookkeeping and
// SQLite's full-text index (rebuilt by triggers, or generated on PostgreSQL);
// a table the destination lacks is an error, never a silent loss.
func copyOrder(ctx context.Context, srcDialect string, src *sql.Tx, dstDialect string, dst *sql.Tx) ([]string, error) {
	have, err := listTables(ctx, srcDialect, src)
	if err != nil {
		return nil, err
	}
	want, err := listTables(ctx, dstDialect, dst)
	if err != nil {
		return nil, err
	}
	for _, t := range have {
		if !slices.Contains(want, t) {
			return nil, models.Errorf(models.EINVALID, "copy: the destination has no table %q", t)
		}
	}
	refs := map[string][]string{}
	for _, t := range have {
		if refs[t], err = referencedTables(ctx, dstDialect, dst, t); err != nil {
			return nil, err
		}
	}
	var order []string
	done := map[string]bool{}
	var visit func(t string, depth int) error
	visit = func(t string, depth int) error {
		if done[t] {
			return nil
		}
		if depth > len(have) {
			return fmt.Errorf("copy: foreign keys form a cycle through %s", t)
		}
		for _, r := range refs[t] {
			if r != t && slices.Contains(have, r) {
				if err := visit(r, depth+1); err != nil {
					return err
				}
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range have {
		if err := visit(t, 0); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func listTables(ctx context.Context, dialect string, tx *sql.Tx) ([]string, error) {
	var names []string
	if dialect == Postgres {
		q := `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
		if err := queryStrings(ctx, tx, &names, q); err != nil {
			return nil, fmt.Errorf("copy: list tables: %w", err)
		}
	} else {
		var virtual []string
		if err := queryStrings(ctx, tx, &virtual, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`); err != nil {
			return nil, fmt.Errorf("copy: list tables: %w", err)
		}
		var all []string
		if err := queryStrings(ctx, tx, &all, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`); err != nil {
			return nil, fmt.Errorf("copy: list tables: %w", err)
		}
		for _, t := range all {
			// A virtual table and its shadow tables (claims_fts_segments, …).
			if !slices.ContainsFunc(virtual, func(v string) bool { return t == v || strings.HasPrefix(t, v+"_") }) {
				names = append(names, t)
			}
		}
	}
	// The job queue's tables are not copied: its history is work of the old
	// database's processes, and a new database's migration makes them. Nor
	// is the term index: the destination's triggers write it from the
	// claims, with its own engine's tokenizer.
	return slices.DeleteFunc(names, func(t string) bool {
		return t == "schema_migrations" || t == "claim_terms" || strings.HasPrefix(t, "river_")
	}), nil
}

func referencedTables(ctx context.Context, dialect string, tx *sql.Tx, table string) ([]string, error) {
	var refs []string
	var err error
	if dialect == Postgres {
		err = queryStrings(ctx, tx, &refs, `SELECT DISTINCT confrelid::regclass::text FROM pg_constraint
			WHERE contype = 'f' AND conrelid = $1::regclass`, table)
	} else {
		err = queryStrings(ctx, tx, &refs, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, table)
	}
	if err != nil {
		return nil, fmt.Errorf("copy: foreign keys of %s: %w", table, err)
	}
	return refs, nil
}

// generatedColumns are computed by the database (PostgreSQL's tsvector
// columns): never copied, always recomputed.
func generatedColumns(ctx context.Context, dialect string, tx *sql.Tx, table string) ([]string, error) {
	if dialect != Postgres {
		return nil, nil
	}
	var cols []string
	if err := queryStrings(ctx, tx, &cols, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'ALWAYS'`, table); err != nil {
		return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
	}
	return cols, nil
}

func columnsOf(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` WHERE 1 = 0`)
	if err != nil {
		return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}

// seededTables are filled by a migration (the default rating scale).
var seededTables = []string{"rating_scales", "ratings"}

// copyTable copies one table and returns how many rows it holds in both.
func copyTable(ctx context.Context, table, srcDialect string, src *sql.Tx, dstDialect string, dst *sql.Tx) (int64, error) {
	qt := quoteIdent(table)
	if slices.Contains(seededTables, table) {
		// The new database's migration seeded these; the source's rows win.
		if _, err := dst.ExecContext(ctx, `DELETE FROM `+qt); err != nil {
			return 0, fmt.Errorf("copy: empty %s: %w", table, err)
		}
	}
	var existing int64
	if err := dst.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+qt).Scan(&existing); err != nil {
		return 0, fmt.Errorf("copy: count %s: %w", table, err)
	}
	if existing > 0 {
		return 0, models.Errorf(models.ECONFLICT, "copy: the destination is not empty (%s holds %d rows): copy into a new database", table, existing)
	}
	cols, err := copyColumns(ctx, table, srcDialect, src, dstDialect, dst)
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	list := strings.Join(quoted, ", ")
	order := ""
	if slices.Contains(cols, "id") {
		order = ` ORDER BY "id"`
	}
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+qt+order)
	if err != nil {
		return 0, fmt.Errorf("copy: read %s: %w", table, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, fmt.Errorf("copy: read %s: %w", table, err)
	}
	binary := make([]bool, len(types))
	for i, ct := range types {
		binary[i] = ct.DatabaseTypeName() == "BLOB" || ct.DatabaseTypeName() == "BYTEA"
	}
	var (
		batch []any
		n     int64
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		stmt := insertStatement(dstDialect, qt, list, len(cols), len(batch)/len(cols))
		if _, err := dst.ExecContext(ctx, stmt, batch...); err != nil {
			return fmt.Errorf("copy: write %s: %w", table, err)
		}
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, fmt.Errorf("copy: read %s: %w", table, err)
		}
		for i, v := range vals {
			// Drivers hand TEXT back as bytes; as bytes PostgreSQL would
			// take it for bytea.
			if b, ok := v.([]byte); ok && !binary[i] {
				vals[i] = string(b)
			}
		}
		batch = append(batch, vals...)
		n++
		if n%copyBatch == 0 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("copy: read %s: %w", table, err)
	}
	if err := flush(); err != nil {
		return 0, err
	}
	var want, got int64
	if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+qt).Scan(&want); err != nil {
		return 0, fmt.Errorf("copy: count %s: %w", table, err)
	}
	if err := dst.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+qt).Scan(&got); err != nil {
		return 0, fmt.Errorf("copy: count %s: %w", table, err)
	}
	if want != n || got != n {
		return 0, fmt.Errorf("copy: %s: %d rows in the source, %d read, %d written", table, want, n, got)
	}
	if dstDialect == Postgres && slices.Contains(cols, "id") {
		// The next row the site inserts must not take a copied ID.
		if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM `+qt, table); err != nil {
			return 0, fmt.Errorf("copy: reset the IDs of %s: %w", table, err)
		}
	}
	return n, nil
}

// copyColumns are the source's columns less the generated ones; each must
// exist in the destination.
func copyColumns(ctx context.Context, table, srcDialect string, src *sql.Tx, dstDialect string, dst *sql.Tx) ([]string, error) {
	have, err := columnsOf(ctx, src, table)
	if err != nil {
		return nil, err
	}
	want, err := columnsOf(ctx, dst, table)
	if err != nil {
		return nil, err
	}
	skip, err := generatedColumns(ctx, srcDialect, src, table)
	if err != nil {
		return nil, err
	}
	more, err := generatedColumns(ctx, dstDialect, dst, table)
	if err != nil {
		return nil, err
	}
	skip = append(skip, more...)
	var cols []string
	for _, c := range have {
		if slices.Contains(skip, c) {
			continue
		}
		if !slices.Contains(want, c) {
			return nil, models.Errorf(models.EINVALID, "copy: the destination's %s has no column %q", table, c)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

func insertStatement(dialect, table, list string, cols, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + list + ") VALUES ")
	p := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			if dialect == Postgres {
				fmt.Fprintf(&b, "$%d", p)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

func queryStrings(ctx context.Context, tx *sql.Tx, out *[]string, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return rows.Err()
}

// quoteIdent quotes a table or column name read from the catalog; the
// double quote is standard SQL in both engines.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
