package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

// cliCase is one run of the factdesk command: its arguments, the exit code
// and a part of the output (stdout or stderr) it must give, and what
// standard input holds.
type cliCase struct {
	name  string
	args  []string
	code  int
	want  string
	stdin string
}

// check runs the case in-process and fails the test unless it exits with
// its code and says what it wants.
func (c cliCase) check(t *testing.T) {
	t.Helper()
	code, out, errOut := runCLI(t, c.stdin, c.args...)
	if code != c.code || !strings.Contains(out+errOut, c.want) {
		t.Fatalf("%s: code %d, output %q %q; want code %d containing %q", c.name, code, out, errOut, c.code, c.want)
	}
}

// runCases checks each case in a subtest of its name.
func runCases(t *testing.T, cases []cliCase) {
	for _, c := range cases {
		t.Run(c.name, c.check)
	}
}

// runCLI runs the factdesk command in-process.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserAddAndList(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "f.db")
	tests := []cliCase{
		{"OK", []string{"user", "add", "--database", dbPath, "--email", "Ed@Example.org", "--name", "Ed", "--role", "editor", "--password-stdin"}, exitOK, "added editor ed@example.org", "a long password 1\n"},
		{"ErrDuplicateEmail", []string{"user", "add", "--database", dbPath, "--email", "ed@example.org", "--name", "Ed 2", "--role", "editor", "--password-stdin"}, exitUsage, "already exists", "a long password 1\n"},
		{"ErrRole", []string{"user", "add", "--database", dbPath, "--email", "x@example.org", "--name", "X", "--role", "owner", "--password-stdin"}, exitUsage, "role", "a long password 1\n"},
		{"ErrShortPassword", []string{"user", "add", "--database", dbPath, "--email", "y@example.org", "--name", "Y", "--role", "admin", "--password-stdin"}, exitUsage, "at least 12", "short\n"},
		{"ErrNoStdinFlag", []string{"user", "add", "--database", dbPath, "--email", "z@example.org", "--name", "Z"}, exitUsage, "--password-stdin", ""},
		{"ErrEmail", []string{"user", "add", "--database", dbPath, "--email", "not-an-email", "--name", "Z", "--password-stdin"}, exitUsage, "email", "a long password 1\n"},
		{"ErrCommonPassword", []string{"user", "add", "--database", dbPath, "--email", "w@example.org", "--name", "W", "--role", "editor", "--password-stdin"}, exitUsage, "common passwords", "password1234\n"},
		{"ErrTwelveSpaces", []string{"user", "add", "--database", dbPath, "--email", "w@example.org", "--name", "W", "--role", "editor", "--password-stdin"}, exitUsage, "spaces", "            \n"},
		{"ErrRepeatedPassword", []string{"user", "add", "--database", dbPath, "--email", "w@example.org", "--name", "W", "--role", "editor", "--password-stdin"}, exitUsage, "repeated", "aaaaaaaaaaaa\n"},
		{"ErrPasswordIsTheEmail", []string{"user", "add", "--database", dbPath, "--email", "Wanda@Example.org", "--name", "W", "--role", "editor", "--password-stdin"}, exitUsage, "email", "wanda@example.org\n"},
		{"ErrFlag", []string{"user", "add", "--nope"}, exitUsage, "flag provided but not defined", ""},
		{"Help", []string{"user", "add", "-h"}, exitOK, "Usage", ""},
	}
	runCases(t, tests)
	code, out, _ := runCLI(t, "", "user", "list", "--database", dbPath)
	if code != exitOK || !strings.Contains(out, "ed@example.org") || strings.Contains(out, "x@example.org") || strings.Count(out, "\n") != 2 {
		t.Fatalf("user list: %d %q", code, out)
	}
}

func TestImportRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "f.db")
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.md", []byte("# Jobs\n\nThe ministry said unemployment rose to 7.4 percent in March."))
	tests := []cliCase{
		{"ErrInvalidUTF8", []string{"import", "--database", dbPath, write("bad.txt", []byte("caf\xe9 au lait"))}, exitUsage, "UTF-8", ""},
		{"ErrEmpty", []string{"import", "--database", dbPath, write("empty.txt", []byte(" \n\t"))}, exitUsage, "required", ""},
		{"ErrTooLarge", []string{"import", "--database", dbPath, write("big.txt", bytes.Repeat([]byte("a"), models.MaxDocumentBytes+1))}, exitUsage, "2 MB", ""},
		{"ErrMissing", []string{"import", "--database", dbPath, filepath.Join(dir, "nope.txt")}, exitUsage, "no such file", ""},
		{"ErrDate", []string{"import", "--database", dbPath, "--published", "yesterday", good}, exitUsage, "--published", ""},
		{"ErrURL", []string{"import", "--database", dbPath, "--url", "javascript:alert(1)", good}, exitUsage, "url", ""},
		{"ErrNoFile", []string{"import", "--database", dbPath}, exitUsage, "FILE", ""},
		{"OK", []string{"import", good, "--database", dbPath, "--title", "Jobs", "--published", "2025-03-02"}, exitOK, "imported document 1", ""},
	}
	runCases(t, tests)
	db := storetest.OpenPath(t, dbPath)
	if n, _ := db.CountDocuments(context.Background()); n != 1 {
		t.Fatalf("%d documents stored; the refused imports must store nothing", n)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath, out := filepath.Join(dir, "f.db"), filepath.Join(dir, "copy.db")
	if code, _, e := runCLI(t, "a long password 1\n", "user", "add", "--database", dbPath, "--email", "a@example.org", "--name", "A", "--password-stdin"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(t, "", "backup", "--database", dbPath, out); code != exitOK {
		t.Fatalf("backup: %s", e)
	}
	if code, _, _ := runCLI(t, "", "backup", "--database", dbPath, out); code != exitUsage {
		t.Fatalf("backup over an existing file: code %d", code)
	}
	code, list, _ := runCLI(t, "", "user", "list", "--database", out)
	if code != exitOK || !strings.Contains(list, "a@example.org") {
		t.Fatalf("the backup lacks the user: %q", list)
	}
}

func TestServeFirstStartImportsDemoOnce(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	_, out, stop := startServe(t, dbPath)
	stop()
	first := out.String()
	if !strings.Contains(first, "imported the demo document") || !strings.Contains(first, "password: ") {
		t.Fatalf("first start said: %s", first)
	}
	password := strings.TrimSpace(strings.SplitN(strings.SplitN(first, "password: ", 2)[1], "\n", 2)[0])
	if len(password) < models.MinPasswordLength {
		t.Errorf("generated password %q is too short", password)
	}

	_, out, stop = startServe(t, dbPath)
	stop()
	if strings.Contains(out.String(), "imported") || strings.Contains(out.String(), "password") {
		t.Fatalf("second start imported or created again: %s", out)
	}
	db := storetest.OpenPath(t, dbPath)
	ctx := context.Background()
	if n, _ := db.CountDocuments(ctx); n != 1 {
		t.Fatalf("%d documents after two starts", n)
	}
	counts, _ := db.CountClaimsByStatus(ctx)
	if counts[models.StatusOpen] < 12 || counts[models.StatusPublished] != 0 {
		t.Fatalf("claims by status: %v", counts)
	}
	if _, err := db.Authenticate(ctx, "admin@factdesk.local", password); err != nil {
		t.Errorf("the printed password does not sign in: %v", err)
	}
}

func TestServeAdminFromEnvironment(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	_, out, stop := startServe(t, dbPath, "FACTDESK_ADMIN_EMAIL=chief@example.org", "FACTDESK_ADMIN_PASSWORD=chosen password 42")
	stop()
	if strings.Contains(out.String(), "chosen password 42") {
		t.Fatal("the chosen password was printed")
	}
	db := storetest.OpenPath(t, dbPath)
	if _, err := db.Authenticate(context.Background(), "chief@example.org", "chosen password 42"); err != nil {
		t.Fatal(err)
	}
}

// user passwd sets a password from the command line: every session of the
// user ends and every token is revoked; bad input changes nothing.
func TestUserPasswd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "f.db")
	if code, _, e := runCLI(t, "a long password 1\n", "user", "add", "--database", dbPath, "--email", "ed@example.org", "--name", "Ed", "--password-stdin"); code != exitOK {
		t.Fatalf("user add: %d %s", code, e)
	}
	ctx := context.Background()
	db := storetest.OpenPath(t, dbPath)
	u, err := db.Authenticate(ctx, "ed@example.org", "a long password 1")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateAPIToken(ctx, u.ID, "cms")
	if err != nil {
		t.Fatal(err)
	}
	tests := []cliCase{
		{"ErrNoStdinFlag", []string{"user", "passwd", "--database", dbPath, "--email", "ed@example.org"}, exitUsage, "--password-stdin", ""},
		{"ErrNoEmail", []string{"user", "passwd", "--database", dbPath, "--password-stdin"}, exitUsage, "--email", "another long password\n"},
		{"ErrShortPassword", []string{"user", "passwd", "--database", dbPath, "--email", "ed@example.org", "--password-stdin"}, exitUsage, "at least 12", "short\n"},
		{"ErrUnknownEmail", []string{"user", "passwd", "--database", dbPath, "--email", "nobody@example.org", "--password-stdin"}, exitUsage, "no user", "another long password\n"},
		{"ErrCommonPassword", []string{"user", "passwd", "--database", dbPath, "--email", "ed@example.org", "--password-stdin"}, exitUsage, "common passwords", "Password1234\n"},
		{"ErrPasswordHasTheEmail", []string{"user", "passwd", "--database", dbPath, "--email", "Ed@Example.org", "--password-stdin"}, exitUsage, "email", "my ed@example.org pw\n"},
		{"OK", []string{"user", "passwd", "--database", dbPath, "--email", "Ed@Example.org", "--password-stdin"}, exitOK, "every session ended", "another long password\n"},
	}
	for _, tt := range tests {
		tt.check(t)
		if tt.code != exitOK {
			if _, _, err := db.SessionUser(ctx, session); err != nil {
				t.Fatalf("%s: a refused passwd ended the session: %v", tt.name, err)
			}
		}
	}
	if _, err := db.Authenticate(ctx, "ed@example.org", "another long password"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, session); err == nil {
		t.Error("the session still works after passwd")
	}
	if _, _, err := db.TokenUser(ctx, token); err == nil {
		t.Error("the token still works after passwd")
	}
}

// Bylines are on by default; FACTDESK_BYLINES=false (or --bylines=false)
// serves no team page.
func TestServeBylinesSetting(t *testing.T) {
	for _, tt := range []struct {
		env  []string
		team int
	}{{nil, http.StatusOK}, {[]string{"FACTDESK_BYLINES=false"}, http.StatusNotFound}} {
		addr, _, stop := startServe(t, filepath.Join(t.TempDir(), "x.db"), tt.env...)
		resp, err := http.Get("http://" + addr + "/team")
		stop()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.team {
			t.Errorf("%v: /team = %d, want %d", tt.env, resp.StatusCode, tt.team)
		}
	}
}

// The cap on proposals is a positive number, for import as for serve
// (TestServeRefusesBadFlags); a refusal is exit 2 naming the flag, and opens
// no database.
func TestRefusesBadMaxCandidates(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "f.db")
	text := filepath.Join(dir, "op-ed.txt")
	if err := os.WriteFile(text, []byte("Exports to China fell by 12 percent in 2024, according to customs data."), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "import", "--database", dbPath, "--max-candidates", "-5", text)
	if code != exitUsage || !strings.Contains(errOut, "--max-candidates") {
		t.Errorf("import --max-candidates -5: code %d, %q; want %d naming the flag", code, errOut, exitUsage)
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Error("a refused import created the database")
	}
	// One proposal at most: the import says how many more scored.
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, "Exports to China fell by %d percent in %d, according to customs data. ", 10+i, 2020+i)
	}
	if err := os.WriteFile(text, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "import", "--database", dbPath, "--max-candidates", "1", text)
	if code != exitOK || !strings.Contains(out, "1 candidate claims proposed") || !strings.Contains(out, "4 more sentences scored above the threshold") {
		t.Errorf("import with a cap of 1: code %d, %q %q", code, out, errOut)
	}
}
