package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
)

// `factdesk serve` archives a source added through the API in the
// background, through the fetcher its flags configure: with 127.0.0.1
// allowed the copy is taken, without it the address is refused.
func TestServeArchivesCitedSources(t *testing.T) {
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<h1>Figures</h1>")
	}))
	defer live.Close()
	for _, tc := range []struct {
		name  string
		env   []string
		state models.ArchiveState
	}{
		{"allowed", []string{"FACTDESK_FETCH_ALLOW=127.0.0.1/32"}, models.ArchiveArchived},
		{"refused", nil, models.ArchiveFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "f.db")
			token := editorToken(t, dbPath)
			addr, _, stop := startServe(t, dbPath, append(tc.env, "FACTDESK_NO_DEMO=1")...)
			defer stop()
			api, base := tokenClient(t, token), "http://"+addr
			var src models.Source
			if code := api.do("POST", base, "/api/v1/sources", map[string]any{"title": "Figures", "url": live.URL + "/figures", "kind": "official"}, &src); code != 201 {
				t.Fatalf("add source: %d", code)
			}
			deadline := time.Now().Add(20 * time.Second)
			for {
				var got struct {
					Archive   models.Archive    `json:"archive"`
					Snapshots []models.Snapshot `json:"snapshots"`
				}
				api.do("GET", base, fmt.Sprintf("/api/v1/sources/%d/snapshots", src.ID), nil, &got)
				if got.Archive.State == tc.state {
					if tc.state == models.ArchiveFailed && got.Archive.Reason != "refused_address" {
						t.Fatalf("failed for %q: %s", got.Archive.Reason, got.Archive.Error)
					}
					if tc.state == models.ArchiveArchived && len(got.Snapshots) != 1 {
						t.Fatalf("snapshots %+v", got.Snapshots)
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("archive state %+v after 20 s, want %s", got.Archive, tc.state)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// editorToken makes the database with an editor and returns its API token.
func editorToken(t *testing.T, dbPath string) string {
	t.Helper()
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, token := newEditor(t, db)
	return token
}
