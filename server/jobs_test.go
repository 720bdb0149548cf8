package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"factdesk/jobs"
	"factdesk/server/servertest"
)

func TestGetJob(t *testing.T) {
	env := servertest.New(t)
	j, err := env.Jobs.Enqueue(t.Context(), roleJob{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ed := env.Login(servertest.EditorEmail)
	tests := []struct {
		name   string
		path   string
		status int
		code   string
	}{
		{"OK", fmt.Sprintf("/api/v1/jobs/%d", j.ID), 200, ""},
		{"ErrUnknown", "/api/v1/jobs/999999", 404, "not_found"},
		{"ErrMalformed", "/api/v1/jobs/abc", 400, "invalid"},
		{"ErrZero", "/api/v1/jobs/0", 400, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ed.Do("GET", tt.path, nil)
			if r.Status != tt.status || r.ErrorCode() != tt.code {
				t.Fatalf("GET %s = %d %s, want %d %q", tt.path, r.Status, r.Body, tt.status, tt.code)
			}
			if tt.status != 200 {
				return
			}
			var got jobs.Job
			r.Decode(t, &got)
			if got.ID != j.ID || got.Kind != "role_test" || got.State != jobs.Queued || string(got.Result) != "{}" {
				t.Errorf("job = %+v, want job %d role_test queued with no result", got, j.ID)
			}
		})
	}
}

// In a real Chromium: an editor pastes a long text, follows its detection
// on the document page to the end, is offered the proposals the cap left
// out, and finds the job done, and a refused import failed with its
// reason, on the jobs page.
func TestJobsInBrowser(t *testing.T) {
	env := withDetection(t)
	ed := env.Login(servertest.EditorEmail)
	var refused struct{ Job jobs.Job }
	ed.Do("POST", "/api/v1/documents", map[string]any{"url": "http://127.0.0.1:9/an-article"}).Decode(t, &refused)

	b := newTab(t, servertest.Browser(t), env.URL)
	b.signIn(servertest.EditorEmail)
	b.open("/desk/documents/new")
	long := dense(70 << 10)
	b.do(chromedp.SendKeys(chromedp.CSS("#f-title"), "Customs figures, the long report"))
	eval[bool](b, fmt.Sprintf("document.querySelector('#f-body').value = %q, true", long))
	b.do(chromedp.Click(chromedp.CSS(`form[action="/desk/documents"] button[type=submit]`)))
	b.waitURL("job=")
	if got := b.text("#detect-job"); !strings.Contains(got, "Proposing claims") && !strings.Contains(got, "Claims proposed") {
		t.Errorf("the document page after a long paste says %q", got)
	}
	// Look again until the job is done, as an editor would.
	for range 100 {
		if eval[string](b, "document.querySelector('#detect-job').dataset.state") == "done" {
			break
		}
		b.follow("#detect-job a")
	}
	mustHave(t, "the finished detection", b.text("#detect-job"), "Claims proposed")
	mustHave(t, "the proposals the cap left out", b.text("#more-candidates"), "more sentences scored above the threshold", "Propose more claims")
	if n := eval[int](b, "document.querySelectorAll('#candidates li, #candidates tr, #candidates .candidate').length"); n == 0 {
		t.Errorf("no candidates listed after detection")
	}
	waitJob(t, ed, refused.Job.ID, jobs.Failed)

	b.open("/desk/jobs?state=done")
	b.check("jobs")
	mustHave(t, "the done jobs", b.text("#jobs"), "Propose claims", "200 of 200")
	b.screenshot("desk-jobs.png", 1280)
	if r := ed.Do("GET", "/desk/jobs?state=done&kind=no_such_kind", nil); r.Status != 400 {
		t.Errorf("the jobs page of an unknown kind: %d, want 400", r.Status)
	}
	b.open("/desk/jobs?state=failed")
	mustHave(t, "the failed jobs", b.text("#jobs"), "Import by address", "http://127.0.0.1:9/an-article", "Failed")
	if !strings.Contains(b.text("#jobs"), "refused") {
		t.Errorf("the failed import does not say why: %q", b.text("#jobs"))
	}
}
