package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server"
	"factdesk/store"
)

func rename(t *testing.T, db *store.DB, u *models.User, name string) {
	t.Helper()
	if _, err := db.UpdateUser(context.Background(), u.ID, store.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
}

// The verdict page names who checked and who reviewed it, the team page
// lists the editors by name and role, and both follow a rename at once.
func TestBylines(t *testing.T) {
	f := newReaderFixture(t)
	rename(t, f.db, f.ed1, "Amina Rahman")
	rename(t, f.db, f.ed2, "Jonas Berg")
	path := frontend.VerdictPath(f.verdict)

	res, page := f.get(t, path)
	etag := res.Header.Get("ETag")
	mustContain(t, page, `Checked by <span class="byline-checker">Amina Rahman</span>`, `Reviewed by <span class="byline-reviewer">Jonas Berg</span>`, `<a href="/team">Our team</a>`)
	cr := claimReviewOf(t, f.url, path)
	if a := cr["author"].(map[string]any); a["@type"] != "Organization" || a["name"] != readerOrg {
		t.Errorf("ClaimReview author = %v, want the organisation", a)
	}
	if p, _ := cr["contributor"].(map[string]any); p["@type"] != "Person" || p["name"] != "Amina Rahman" {
		t.Errorf("ClaimReview contributor = %v, want the checker as a Person", cr["contributor"])
	}
	if p, _ := cr["editor"].(map[string]any); p["@type"] != "Person" || p["name"] != "Jonas Berg" {
		t.Errorf("ClaimReview editor = %v, want the reviewer as a Person", cr["editor"])
	}

	_, team := f.get(t, "/team")
	mustContain(t, team, "Our team", "Amina Rahman", "Jonas Berg", "Editor")
	if strings.Contains(team, "@example.org") {
		t.Error("the team page shows an email address")
	}

	// A rename shows on the cached verdict page and the team page.
	rename(t, f.db, f.ed2, "Jonas Berg-Olsen")
	res, page = f.get(t, path)
	if res.Header.Get("ETag") == etag {
		t.Error("the verdict page's ETag did not change with the reviewer's name")
	}
	mustContain(t, page, "Reviewed by <span class=\"byline-reviewer\">Jonas Berg-Olsen</span>")
	if _, team = f.get(t, "/team"); !strings.Contains(team, "Jonas Berg-Olsen") {
		t.Error("the team page did not follow the rename")
	}
	// A disabled editor leaves the team page; their bylines stay.
	off := true
	if _, err := f.db.UpdateUser(context.Background(), f.ed1.ID, store.UserUpdate{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if _, team = f.get(t, "/team"); strings.Contains(team, "Amina Rahman") {
		t.Error("a disabled editor is on the team page")
	}
	if _, page = f.get(t, path); !strings.Contains(page, "Amina Rahman") {
		t.Error("the verdict lost its checker's byline when the checker left")
	}

	// With bylines off, nobody is named and there is no team page.
	h, err := server.New(server.Config{DB: f.db, Logger: slog.New(slog.NewTextHandler(readerErrorLog{t}, &slog.HandlerOptions{Level: slog.LevelError})),
		BaseURL: f.url, OrgName: readerOrg, HideBylines: true})
	if err != nil {
		t.Fatal(err)
	}
	anon := httptest.NewServer(h)
	defer anon.Close()
	for _, tt := range []struct {
		path   string
		status int
		absent []string
	}{
		{path, 200, []string{"Checked by", "Reviewed by", "Jonas Berg", `"contributor"`, `"editor"`, `href="/team"`}},
		{"/team", 404, []string{"Jonas Berg"}},
		{"/sitemap.xml", 200, []string{"/team"}},
	} {
		r, err := http.Get(anon.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, r)
		if r.StatusCode != tt.status {
			t.Errorf("bylines off, GET %s: %d, want %d", tt.path, r.StatusCode, tt.status)
		}
		for _, a := range tt.absent {
			if strings.Contains(body, a) {
				t.Errorf("bylines off, GET %s shows %q", tt.path, a)
			}
		}
	}
}
