package store

import (
	"database/sql"
	"fmt"
	"time"

	"factdesk/models"
)

// claimColumns are the columns of models.Claim in the order claimScanner
// reads them. Lists and edits read claims through these two rather than
// through gorm: gorm's reflection per row and per field was half the CPU
// of a claim list.
const claimColumns = `id, document_id, start, "end", exact, prefix, suffix, orphaned, text, claimant, kind, score, origin, status,
rating, explanation, dismiss_reason, assignee_id, submitter_id, reviewer_id, published_at, override_reason, version, created_at, updated_at`

// claimScanner reads rows of claimColumns. Its destinations are made once
// and point into one claim, copied out after each row; the column types are
// converted by hand (database/sql falls back to reflection for anything but
// strings and times).
type claimScanner struct {
	c    models.Claim
	dest []any
}

func newClaimScanner() *claimScanner {
	s := &claimScanner{}
	c := &s.c
	s.dest = []any{
		int64Col{&c.ID}, nullInt64Col{&c.DocumentID}, intCol{&c.Start}, intCol{&c.End},
		&c.Exact, &c.Prefix, &c.Suffix, boolCol{&c.Orphaned}, &c.Text, &c.Claimant,
		(*string)(&c.Kind), float64Col{&c.Score}, (*string)(&c.Origin), (*string)(&c.Status),
		(*string)(&c.Rating), &c.Explanation, &c.DismissReason,
		nullInt64Col{&c.AssigneeID}, nullInt64Col{&c.SubmitterID}, nullInt64Col{&c.ReviewerID}, nullTimeCol{&c.PublishedAt},
		&c.OverrideReason, intCol{&c.Version}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt},
	}
	return s
}

// scan reads the current row into a new claim.
func (s *claimScanner) scan(rows *sql.Rows) (models.Claim, error) {
	s.c = models.Claim{}
	if err := rows.Scan(s.dest...); err != nil {
		return models.Claim{}, err
	}
	return s.c, nil
}

// scanClaims reads every row, closing rows.
func scanClaims(rows *sql.Rows, capacity int) ([]models.Claim, error) {
	defer rows.Close()
	s := newClaimScanner()
	out := make([]models.Claim, 0, capacity)
	for rows.Next() {
		c, err := s.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

type int64Col struct{ p *int64 }

func (d int64Col) Scan(src any) error {
	n, err := asInt64(src)
	*d.p = n
	return err
}

type intCol struct{ p *int }

func (d intCol) Scan(src any) error {
	n, err := asInt64(src)
	*d.p = int(n)
	return err
}

type nullInt64Col struct{ p **int64 }

func (d nullInt64Col) Scan(src any) error {
	if src == nil {
		*d.p = nil
		return nil
	}
	n, err := asInt64(src)
	*d.p = &n
	return err
}

type float64Col struct{ p *float64 }

func (d float64Col) Scan(src any) error {
	switch v := src.(type) {
	case float64:
		*d.p = v
	case int64:
		*d.p = float64(v)
	default:
		return fmt.Errorf("scan %T into a float", src)
	}
	return nil
}

type boolCol struct{ p *bool }

func (d boolCol) Scan(src any) error {
	switch v := src.(type) {
	case bool:
		*d.p = v
	case int64:
		*d.p = v != 0
	default:
		return fmt.Errorf("scan %T into a bool", src)
	}
	return nil
}

type timeCol struct{ p *time.Time }

func (d timeCol) Scan(src any) error {
	t, ok := src.(time.Time)
	if !ok {
		return fmt.Errorf("scan %T into a time", src)
	}
	*d.p = t
	return nil
}

type nullTimeCol struct{ p **time.Time }

func (d nullTimeCol) Scan(src any) error {
	if src == nil {
		*d.p = nil
		return nil
	}
	t, ok := src.(time.Time)
	if !ok {
		return fmt.Errorf("scan %T into a time", src)
	}
	*d.p = &t
	return nil
}

func asInt64(src any) (int64, error) {
	switch v := src.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	default:
		return 0, fmt.Errorf("scan %T into an integer", src)
	}
}
