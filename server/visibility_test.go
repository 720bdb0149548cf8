package server_test

import (
	"fmt"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// TestHiddenDocuments: review finding 1. A document with no claim readers
// may see is hidden from readers everywhere: the API's list and record,
// the API's search and the reader's search page; editors still see it.
func TestHiddenDocuments(t *testing.T) {
	env := servertest.New(t)
	db, ed := env.DB, env.Editor
	hidden := storetest.Document(t, db, "The zebrafinch memo says 4,000 officials left in 2023.", ed)
	dismissed := storetest.Claim(t, db, hidden, 0, 26, ed)
	if _, err := storetest.Transition(t.Context(), db, dismissed.ID, models.TransitionInput{Action: models.ActionDismiss, Note: "opinion"}, ed); err != nil {
		t.Fatal(err)
	}
	public := storetest.Document(t, db, "The zebrafinch census counted 9,000 birds in 2024.", ed)
	storetest.Claim(t, db, public, 0, 30, ed)

	anon, editor := env.Anonymous(), env.SignedIn(ed)
	tests := []struct {
		name                string
		path                string
		anonStatus          int
		hiddenMark, pubMark string // what shows the hidden and the public document
	}{
		{"list", "/api/v1/documents", 200, fmt.Sprintf(`"id":%d,`, hidden.ID), fmt.Sprintf(`"id":%d,`, public.ID)},
		{"record", fmt.Sprintf("/api/v1/documents/%d", hidden.ID), 404, "memo", ""},
		{"API search", "/api/v1/search?q=zebrafinch", 200, "memo", "census"},
		{"reader search", "/search?q=zebrafinch", 200, "memo", "census"},
		{"reader page", fmt.Sprintf("/documents/%d", hidden.ID), 404, "memo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := anon.Do("GET", tt.path, nil)
			if r.Status != tt.anonStatus {
				t.Fatalf("anonymous: %d, want %d: %.300s", r.Status, tt.anonStatus, r.Body)
			}
			if strings.Contains(string(r.Body), tt.hiddenMark) {
				t.Errorf("anonymous: the hidden document shows: %.400s", r.Body)
			}
			if tt.pubMark != "" && !strings.Contains(string(r.Body), tt.pubMark) {
				t.Errorf("anonymous: the public document is missing: %.400s", r.Body)
			}
			if strings.HasPrefix(tt.path, "/api/") {
				if r := editor.Do("GET", tt.path, nil); r.Status != 200 || !strings.Contains(string(r.Body), tt.hiddenMark) {
					t.Errorf("editor: %d, want the hidden document: %.300s", r.Status, r.Body)
				}
			}
		})
	}
}
