package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
)

// An editor gives claims a due date and a priority, through the API and
// the desk's claim form; the queue sorts by them and says what is overdue.
func TestDueDatesAndPriority(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	var ids []int64
	for _, text := range []string{"Exports fell by 12 percent in 2024.", "The dam holds 4 billion cubic metres.", "Wheat prices doubled since March."} {
		var c struct{ ID int64 }
		ed.Do("POST", "/api/v1/claims", map[string]any{"text": text}).Decode(t, &c)
		ids = append(ids, c.ID)
	}
	var got struct {
		DueOn    *string `json:"due_on"`
		Priority int     `json:"priority"`
		Version  int     `json:"version"`
	}
	r := ed.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", ids[0]), map[string]any{"version": 1, "due_on": "2020-01-02", "priority": 4})
	r.Decode(t, &got)
	if r.Status != http.StatusOK || got.DueOn == nil || *got.DueOn != "2020-01-02T00:00:00Z" || got.Priority != int(models.PriorityUrgent) {
		t.Fatalf("PATCH due and priority: %d %s", r.Status, r.Body)
	}
	r = ed.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", ids[1]), map[string]any{"version": 1, "due_on": "2999-05-01", "priority": 1})
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", r.Status, r.Body)
	}

	// The desk's form: a date and a priority, then clearing the date.
	page := ed.Do("GET", fmt.Sprintf("/desk/claims/%d", ids[2]), nil)
	csrf := csrfOf(t, page.Body)
	form := url.Values{"csrf_token": {csrf}, "version": {"1"}, "text": {"Wheat prices doubled since March."}, "claimant": {""}, "kind": {"statistic"},
		"assignee_id": {""}, "due_on": {"2998-01-01"}, "priority": {"3"}, "op": {"save"}}
	r = ed.Do("POST", fmt.Sprintf("/desk/claims/%d", ids[2]), form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("desk save: %d %s", r.Status, r.Body)
	}
	c, err := env.DB.GetClaim(t.Context(), ids[2])
	if err != nil || c.DueOn == nil || c.DueOn.Format("2006-01-02") != "2998-01-01" || c.Priority != models.PriorityHigh {
		t.Fatalf("after the desk's save: %+v, %v", c, err)
	}
	form.Set("version", fmt.Sprint(c.Version))
	form.Set("due_on", "not a day")
	r = ed.Do("POST", fmt.Sprintf("/desk/claims/%d", ids[2]), form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "must be a date") {
		t.Errorf("a due date that is not a date: %d", r.Status)
	}

	// The queue, due soonest: the overdue claim first, then the dated, then the rest.
	q := string(ed.Do("GET", "/desk/claims?sort=due", nil).Body)
	first, second, third := strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[0])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[2])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[1]))
	if first < 0 || !(first < second && second < third) {
		t.Errorf("queue by due date: positions %d %d %d", first, second, third)
	}
	if !strings.Contains(q, "2020-01-02 (overdue)") || !strings.Contains(q, "Urgent") {
		t.Errorf("the queue does not say the first claim is overdue and urgent")
	}
	q = string(ed.Do("GET", "/desk/claims?sort=-priority", nil).Body)
	if a, b := strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[0])), strings.Index(q, fmt.Sprintf(`data-href="/desk/claims/%d"`, ids[2])); a < 0 || a > b {
		t.Errorf("queue by priority: urgent at %d, high at %d", a, b)
	}
}

func csrfOf(t *testing.T, page []byte) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the page")
	}
	return string(m[1])
}
