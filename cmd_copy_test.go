package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestCopyRefusesBadInput(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "f.db")
	runCases(t, []cliCase{
		{"ErrNoTo", []string{"copy", "--from", dbPath}, exitUsage, "give --from and --to", ""},
		{"ErrSame", []string{"copy", "--from", dbPath, "--to", dbPath}, exitUsage, "same database", ""},
		{"ErrExtra", []string{"copy", "--from", dbPath, "--to", dbPath + "2", "x"}, exitUsage, "nothing else", ""},
	})
}

// The demo database, as a first start makes it, moves to PostgreSQL whole:
// the same counts, the same claims, the same search results.
func TestCopyDemoDatabaseToPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	src := storetest.OpenPath(t, dbPath)
	if err := firstStart(ctx, src, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	ed := storetest.User(t, src, "ed@example.org", models.RoleEditor)
	rev := storetest.User(t, src, "rev@example.org", models.RoleEditor)
	page, _ := src.ListClaims(ctx, models.ClaimFilter{Statuses: []models.Status{models.StatusOpen}, Limit: 2})
	if _, err := storetest.Transition(ctx, src, page.Claims[0].ID, models.TransitionInput{Action: models.ActionStart}, ed); err != nil {
		t.Fatal(err)
	}
	published := page.Claims[1]
	storetest.Publish(t, src, published.ID, models.RatingMixed, "Only one government gives the figure.", ed, rev)

	code, out, errOut := runCLI(t, "", "copy", "--from", dbPath, "--to", dsn)
	if code != exitOK {
		t.Fatalf("copy: %d %s %s", code, out, errOut)
	}
	for _, table := range []string{"users", "documents", "claims", "revisions", "meta", "total"} {
		if !strings.Contains(out, "  "+table) && !strings.Contains(out, table+" ") {
			t.Errorf("copy did not report %s:\n%s", table, out)
		}
	}

	dst := storetest.OpenDSN(t, dsn)
	if dst.Dialect() != store.Postgres {
		t.Fatalf("copied into %s", dst.Dialect())
	}
	a, _ := src.CountClaimsByStatus(ctx)
	b, _ := dst.CountClaimsByStatus(ctx)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("claims by status: %v in SQLite, %v in PostgreSQL", a, b)
	}
	for s, n := range a {
		if b[s] != n {
			t.Errorf("%s: %d in SQLite, %d in PostgreSQL", s, n, b[s])
		}
	}
	for _, q := range []string{"terrorists", "Afghanistan", "safe havens"} {
		ha, _ := src.Search(ctx, q, store.SearchOptions{})
		hb, _ := dst.Search(ctx, q, store.SearchOptions{})
		if len(ha) == 0 || len(hb) == 0 {
			t.Errorf("search %q: %d hits in SQLite, %d in PostgreSQL", q, len(ha), len(hb))
			continue
		}
		ids := map[int64]bool{}
		for _, h := range hb {
			ids[h.ID] = true
		}
		for _, h := range ha {
			if h.Kind == "claim" && !ids[h.ID] {
				t.Errorf("search %q: claim %d found in SQLite, not in PostgreSQL", q, h.ID)
			}
		}
	}
	// The site starts on the copy without importing the demo again or
	// making another admin.
	var started strings.Builder
	if err := firstStart(ctx, dst, true, &started); err != nil || started.Len() != 0 {
		t.Errorf("first start on the copy: %v %q", err, started.String())
	}

	// The reader pages served from PostgreSQL show the same claims as
	// those served from the SQLite file.
	sqliteAddr, _, stopSQLite := startServe(t, dbPath)
	defer stopSQLite()
	pgAddr, _, stopPG := startServe(t, dsn)
	defer stopPG()
	docID := *published.DocumentID
	for _, path := range []string{fmt.Sprintf("/documents/%d", docID), fmt.Sprintf("/claims/%d", published.ID), "/"} {
		a, b := readerPage(t, sqliteAddr, path), readerPage(t, pgAddr, path)
		la, lb := claimLinks.FindAllString(a, -1), claimLinks.FindAllString(b, -1)
		if len(la) == 0 || !slices.Equal(la, lb) {
			t.Errorf("%s links to claims %v from SQLite, %v from PostgreSQL", path, la, lb)
		}
	}
	verdict := readerPage(t, pgAddr, fmt.Sprintf("/claims/%d", published.ID))
	for _, want := range []string{html.EscapeString(published.Text), "Half true", "Only one government gives the figure."} {
		if !strings.Contains(verdict, want) {
			t.Errorf("the verdict page from PostgreSQL lacks %q", want)
		}
	}

	code, _, errOut = runCLI(t, "", "copy", "--from", dbPath, "--to", dsn)
	if code != exitUsage || !strings.Contains(errOut, "not empty") {
		t.Errorf("copy into a full database: %d %q", code, errOut)
	}
}

var claimLinks = regexp.MustCompile(`/claims/\d+[^"#?]*`)

// readerPage GETs a reader page (following redirects) and returns its HTML.
func readerPage(t *testing.T, addr, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return string(b)
}

// `factdesk migrate` builds a PostgreSQL schema alone, and `serve` refuses
// a database whose schema is newer than the binary, saying what to do.
func TestMigrateAndNewerSchemaOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	code, out, errOut := runCLI(t, "", "migrate", "--database", dsn)
	if want := fmt.Sprintf("schema at version %d", store.SchemaVersion()); code != exitOK || !strings.Contains(out, want) {
		t.Fatalf("migrate: %d %q %q, want %q", code, out, errOut, want)
	}
	raw := storetest.Raw(t, dsn)
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from a newer factdesk', now())", store.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--database", dsn, "--metrics-addr", "127.0.0.1:0"},
		{"migrate", "--database", dsn},
	} {
		code, out, errOut := runCLI(t, "", args...)
		if code != exitFail || !strings.Contains(errOut, fmt.Sprintf("schema is version %d", store.SchemaVersion()+1)) || !strings.Contains(errOut, "upgrade factdesk") {
			t.Errorf("%s on a newer schema: %d %q %q", args[0], code, out, errOut)
		}
		if strings.Contains(out, "serving") {
			t.Errorf("%s served a newer schema", args[0])
		}
	}
}

// A PostgreSQL database is backed up into one SQLite file, and restored
// from it into an empty PostgreSQL database with copy.
func TestBackupAndRestorePostgres(t *testing.T) {
	ctx := context.Background()
	live := storetest.PostgresDSN(t)
	db := storetest.OpenDSN(t, live)
	if err := firstStart(ctx, db, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	if code, out, errOut := runCLI(t, "", "backup", "--database", live, file); code != exitOK || !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	restored := storetest.PostgresDSN(t)
	if code, out, errOut := runCLI(t, "", "copy", "--from", file, "--to", restored); code != exitOK {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	again := storetest.OpenDSN(t, restored)
	a, _ := db.CountClaimsByStatus(ctx)
	b, _ := again.CountClaimsByStatus(ctx)
	if len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("claims by status: %v live, %v restored", a, b)
	}
	ra, _ := db.ListRevisions(ctx, store.RevisionFilter{})
	rb, _ := again.ListRevisions(ctx, store.RevisionFilter{})
	if len(ra) == 0 || len(ra) != len(rb) {
		t.Errorf("revisions: %d live, %d restored", len(ra), len(rb))
	}
	if code, _, errOut := runCLI(t, "", "backup", "--database", live, file); code != exitUsage || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over a file: %d %q", code, errOut)
	}
}
