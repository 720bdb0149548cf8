package servertest

import (
	"os"
	"path/filepath"
	"testing"
)

// ScreenshotsEnv names the folder browser tests write their screenshots
// to, relative to the repository root (./test.sh --screenshots sets it to
// docs/screenshots, the README's pictures). Without it they go to a
// temporary folder, so a test run leaves the working tree as it found it.
const ScreenshotsEnv = "FACTDESK_SCREENSHOTS"

// SaveScreenshot writes png under name in the screenshot folder.
func SaveScreenshot(t testing.TB, name string, png []byte) {
	t.Helper()
	dir := os.Getenv(ScreenshotsEnv)
	switch {
	case dir == "":
		dir = filepath.Join(os.TempDir(), "factdesk-screenshots")
	case !filepath.IsAbs(dir):
		dir = filepath.Join(repoRoot(t), dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// repoRoot is the folder holding go.mod, above the test's own.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}
