package server_test

import (
	"regexp"
	"strings"
	"testing"

	"factdesk/models"
)

// The statistics page counts claims per status, times verdicts and names
// each editor's work; it links the export of each status.
func TestDeskStatsPage(t *testing.T) {
	e := newDeskEnv(t)
	f := &fixture{t: t, env: e.Env, as: e.ed1}
	f.claim(models.StatusPublished)
	f.claim(models.StatusPublished)
	f.claim(models.StatusOpen)
	ed := e.signIn(t, e.ed1)
	res, page := ed.get("/desk/stats")
	if res.StatusCode != 200 {
		t.Fatalf("GET /desk/stats: %d", res.StatusCode)
	}
	row := func(table, head string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<table class="list" id="` + table + `">.*?</table>`).FindString(page)
		for _, tr := range strings.Split(m, "<tr>") {
			if strings.Contains(tr, head) {
				return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(tr, "|")
			}
		}
		t.Fatalf("no row %q in #%s", head, table)
		return ""
	}
	tests := []struct{ table, head, want string }{
		{"by-status", "Published", "|2|"},
		{"by-status", "Open", "|1|"},
		{"by-status", "Dismissed", "|0|"},
		{"per-editor", e.ed1.Email, "|2|2|0|0|"},
		{"per-editor", e.ed2.Email, "|0|0|2|0|"},
	}
	for _, tt := range tests {
		if got := strings.ReplaceAll(row(tt.table, tt.head), "||", "|"); !strings.Contains(got, tt.want) {
			t.Errorf("#%s row %s = %q, want %s", tt.table, tt.head, got, tt.want)
		}
	}
	mustContain(t, page, `id="median"`, "median", "Over 2 published verdicts", `href="/api/v1/claims/export?format=csv&amp;status=published"`)
	// The export link works from the desk's session.
	res, body := ed.get("/api/v1/claims/export?format=csv&status=published")
	if res.StatusCode != 200 || strings.Count(body, "\n") != 3 {
		t.Errorf("export from the stats page: %d, %d lines", res.StatusCode, strings.Count(body, "\n"))
	}
}
