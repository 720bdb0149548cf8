package desk

import (
	"fmt"
	"io"
	"net/url"
	"time"

	"factdesk/models"
)

// StatsPage is /desk/stats: claims per status, how long verdicts wait from
// proposal to publication, and what each editor did.
type StatsPage struct {
	Chrome
	ByStatus []StatusCount
	Total    int
	// Timed counts the verdicts the times are over.
	Timed                            int
	Median, FastQuarter, SlowQuarter time.Duration
	Editors                          []EditorCount
}

// StatusCount is the number of claims in one status.
type StatusCount struct {
	Status models.Status
	N      int
}

// EditorCount is one editor's row of the table.
type EditorCount struct {
	Name                                    string
	Disabled                                bool
	Proposed, Published, Reviewed, Assigned int
}

// Export is the address of the export of claims in status s ("" for all).
func (StatsPage) Export(format string, s models.Status) string {
	q := url.Values{"format": {format}}
	if s != "" {
		q.Set("status", string(s))
	}
	return "/api/v1/claims/export?" + q.Encode()
}

// Stats renders the statistics page.
func (r *Renderer) Stats(w io.Writer, p *StatsPage) error { return r.render(w, pageStats, p) }

// span says a duration the way an editor would: minutes, hours or days.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}
