package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"factdesk/models"
)

// DeskStats are the desk's figures: claims per status, how long verdicts wait
// between their proposal and their publication, and what each editor did.
type DeskStats struct {
	ByStatus map[models.Status]int
	// Timed counts the published verdicts whose proposal (their last
	// submission for review before publication) is recorded.
	Timed int
	// MedianToPublish and the quartiles are over those verdicts.
	MedianToPublish, FastestQuarter, SlowestQuarter time.Duration
	Editors                                         []EditorStats
}

// EditorStats are one editor's counts.
type EditorStats struct {
	UserID   int64
	Name     string
	Disabled bool
	// Proposed are the claims they submitted that are in review or
	// published; Published those of them published.
	Proposed, Published int
	// Reviewed are the verdicts they approved of someone else's.
	Reviewed int
	// Assigned are the claims assigned to them still being worked on.
	Assigned int
}

const proposalTimesSQL = `SELECT c.id, c.published_at, MAX(r.created_at)
FROM claims c
JOIN revisions r ON r.claim_id = c.id AND r.entity = 'claim' AND r.action = 'submit' AND r.created_at <= c.published_at
WHERE c.status = 'published' AND c.published_at IS NOT NULL
GROUP BY c.id, c.published_at`

// DeskStats reads the desk's figures.
func (db *DB) DeskStats(ctx context.Context) (DeskStats, error) {
	out := DeskStats{ByStatus: map[models.Status]int{}}
	g := db.gorm.WithContext(ctx)
	var counts []struct {
		Status models.Status
		N      int
	}
	if err := g.Model(&models.Claim{}).Select("status, COUNT(*) AS n").Group("status").Scan(&counts).Error; err != nil {
		return out, fmt.Errorf("count claims: %w", err)
	}
	for _, c := range counts {
		out.ByStatus[c.Status] = c.N
	}

	rows, err := g.Raw(proposalTimesSQL).Rows()
	if err != nil {
		return out, fmt.Errorf("proposal times: %w", err)
	}
	var waits []time.Duration
	for rows.Next() {
		var (
			id                  int64
			published, proposed flexTime
		)
		if err := rows.Scan(&id, &published, &proposed); err != nil {
			rows.Close()
			return out, fmt.Errorf("proposal times: %w", err)
		}
		waits = append(waits, published.t.Sub(proposed.t))
	}
	if err := rows.Close(); err != nil {
		return out, fmt.Errorf("proposal times: %w", err)
	}
	out.Timed = len(waits)
	if len(waits) > 0 {
		slices.Sort(waits)
		out.MedianToPublish = quantile(waits, 0.5)
		out.FastestQuarter, out.SlowestQuarter = quantile(waits, 0.25), quantile(waits, 0.75)
	}

	var users []models.User
	if err := g.Select("id", "name", "disabled").Order("name, id").Find(&users).Error; err != nil {
		return out, fmt.Errorf("list editors: %w", err)
	}
	per := map[int64]*EditorStats{}
	for _, u := range users {
		out.Editors = append(out.Editors, EditorStats{UserID: u.ID, Name: u.Name, Disabled: u.Disabled})
	}
	for i := range out.Editors {
		per[out.Editors[i].UserID] = &out.Editors[i]
	}
	var rowsBy []struct {
		UserID int64
		What   string
		N      int
	}
	err = g.Raw(`SELECT submitter_id AS user_id, 'proposed' AS what, COUNT(*) AS n FROM claims WHERE submitter_id IS NOT NULL AND status IN ('in_review', 'published') GROUP BY submitter_id
UNION ALL SELECT submitter_id, 'published', COUNT(*) FROM claims WHERE submitter_id IS NOT NULL AND status = 'published' GROUP BY submitter_id
UNION ALL SELECT reviewer_id, 'reviewed', COUNT(*) FROM claims WHERE reviewer_id IS NOT NULL AND status = 'published' AND (submitter_id IS NULL OR reviewer_id <> submitter_id) GROUP BY reviewer_id
UNION ALL SELECT assignee_id, 'assigned', COUNT(*) FROM claims WHERE assignee_id IS NOT NULL AND status IN ('open', 'researching', 'in_review') GROUP BY assignee_id`).Scan(&rowsBy).Error
	if err != nil {
		return out, fmt.Errorf("count per editor: %w", err)
	}
	for _, r := range rowsBy {
		e, ok := per[r.UserID]
		if !ok {
			continue
		}
		switch r.What {
		case "proposed":
			e.Proposed = r.N
		case "published":
			e.Published = r.N
		case "reviewed":
			e.Reviewed = r.N
		case "assigned":
			e.Assigned = r.N
		}
	}
	return out, nil
}

// quantile is the q-quantile of sorted, by linear interpolation between
// the nearest ranks.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 1 {
		return sorted[0]
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(i)
	return sorted[i] + time.Duration(frac*float64(sorted[i+1]-sorted[i]))
}
