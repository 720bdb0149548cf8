package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// testUpdate has the kinds of fields the store's updates have.
type testUpdate struct {
	Version    int
	ArchiveURL *string
	AssigneeID **int64
	DueOn      **time.Time
	Summary    string
	embeddedUpdate
}

type embeddedUpdate struct{ PublicNote *string }

func decodeUpdate(t *testing.T, body, ifMatch string) (testUpdate, error) {
	t.Helper()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPatch, "/x", strings.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		c.Request.Header.Set("If-Match", ifMatch)
	}
	var u testUpdate
	err := DecodeUpdate(c, &u)
	return u, err
}

func TestDecodeUpdate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		u, err := decodeUpdate(t, `{"version": 3, "archive_url": "https://a.example", "assignee_id": null, "due_on": "2025-03-14", "summary": "s", "public_note": "n"}`, "")
		if err != nil {
			t.Fatal(err)
		}
		if u.Version != 3 || *u.ArchiveURL != "https://a.example" || u.AssigneeID == nil || *u.AssigneeID != nil ||
			u.DueOn == nil || !(*u.DueOn).Equal(time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)) || u.Summary != "s" || *u.PublicNote != "n" {
			t.Errorf("got %+v", u)
		}
	})
	t.Run("LeftOut", func(t *testing.T) {
		u, err := decodeUpdate(t, `{"Archive_URL": null}`, `"v2-ab"`)
		if err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || u.ArchiveURL != nil || u.AssigneeID != nil || u.DueOn != nil {
			t.Errorf("got %+v", u)
		}
	})
	for name, tc := range map[string]struct{ body, field, msg string }{
		"ErrUnknownField": {`{"version": 1, "title": "x"}`, "title", "is not a known field"},
		"ErrType":         {`{"version": 1, "assignee_id": "me"}`, "assignee_id", "must be a whole number"},
		"ErrDate":         {`{"version": 1, "due_on": "soon"}`, "due_on", "must be a date (2025-03-14) or an RFC 3339 time"},
		"ErrVersion":      {`{"version": "one"}`, "version", "must be a whole number"},
		"ErrNoVersion":    {`{"summary": "s"}`, "version", "is required"},
		"ErrNotObject":    {`[1]`, "body", "must be a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeUpdate(t, tc.body, "")
			if got := models.ErrorFields(err)[tc.field]; got != tc.msg {
				t.Errorf("%s: got %q for %s (%v), want %q", tc.body, got, tc.field, err, tc.msg)
			}
		})
	}
}
