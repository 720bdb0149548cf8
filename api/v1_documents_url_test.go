package api_test

import (
	"net/http"
	"testing"

	"factdesk/api/apitest"
)

// TestPostDocumentURLRefuses: an import by URL is checked before anything
// is queued: an address no fetch could take, or metadata the page is to
// give, is 400 with the field; nothing is stored.
func TestPostDocumentURLRefuses(t *testing.T) {
	e := apitest.New(t)
	c := e.SignedIn(e.Editor)
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"NotHTTP", map[string]any{"url": "javascript:alert(1)"}, "url"},
		{"NoHost", map[string]any{"url": "https://"}, "url"},
		{"Title", map[string]any{"url": "https://news.example/a", "title": "Mine"}, "title"},
		{"Claims", map[string]any{"url": "https://news.example/a", "claims": []map[string]any{{"start": 0, "end": 3}}}, "claims"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Do("POST", "/api/v1/documents", tc.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d %s, want 400", r.Status, r.Body)
			}
			var out struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			r.Decode(t, &out)
			if out.Error.Code != "invalid" || out.Error.Fields[tc.field] == "" {
				t.Errorf("error %+v, want fields.%s", out.Error, tc.field)
			}
		})
	}
	if n, _ := e.DB.CountDocuments(t.Context()); n != 0 {
		t.Errorf("%d documents stored", n)
	}
}
