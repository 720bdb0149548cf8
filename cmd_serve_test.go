package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve refuses a flag it could not work with, exit 2 naming it, before it
// opens (and so creates) the database.
func TestServeRefusesBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fetch-allow", "localhost"}, "fetch"},
		{[]string{"--fetch-allow", "10.0.0.0/40"}, "fetch"},
		{[]string{"--fetch-timeout", "0s"}, "fetch"},
		{[]string{"--fetch-connect-timeout", "-1s"}, "fetch"},
		{[]string{"--fetch-max-redirects", "50"}, "fetch"},
		{[]string{"--archive-max-bytes", "0"}, "archive"},
		{[]string{"--archive-recheck", "1s"}, "archive"},
		{[]string{"--login-free-tries", "0"}, "--login-"},
		{[]string{"--login-address-limit", "-1"}, "--login-"},
		{[]string{"--login-max-delay", "10ms"}, "--login-"},
		{[]string{"--reviews-poll-urls", "ftp://checkers.example/feed.json"}, "--reviews-poll-urls"},
		{[]string{"--reviews-poll-urls", "https://checkers.example/feed.json", "--reviews-poll-every", "10s"}, "at least 1m"},
		{[]string{"--smtp-url", "http://mail.example.org", "--smtp-from", "d@example.org"}, "scheme must be smtp"},
		{[]string{"--smtp-url", "smtp://mail.example.org"}, "--smtp-from is required"},
		{[]string{"--reports-per-hour", "0"}, "--reports-per-hour must be positive"},
		{[]string{"--max-candidates", "0"}, "--max-candidates"},
	} {
		dbPath := filepath.Join(t.TempDir(), "f.db")
		code, out, errOut := runCLI(t, "", append([]string{"serve", "--database", dbPath, "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("serve %v: code %d, output %q %q; want %d and %q", tt.args, code, out, errOut, exitUsage, tt.want)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Errorf("serve %v: the refused serve created the database", tt.args)
		}
	}
}
