// Package servertest holds helpers for tests that drive Factdesk from outside:
// a real headless Chromium (Browser) and the axe-core accessibility check
// inside it (Axe).
package servertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumPaths are where Debian's chromium package puts the browser.
var chromiumPaths = []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"}

// Browser starts a headless Chromium for the test, with a fresh profile,
// and returns a chromedp context on its first tab. The browser stops when
// the test ends. Without Chromium on the machine the test is skipped with
// how to install it; FACTDESK_CHROMIUM names another binary.
//
// The browser has started when Browser returns, so callers may derive
// contexts with timeouts from the returned one for single steps.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		t.Skip("headless Chromium is not installed: apt-get install chromium chromium-driver (or set FACTDESK_CHROMIUM)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("window-size", "1280,900"),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

func findChromium() string {
	if p := os.Getenv("FACTDESK_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	for _, p := range chromiumPaths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}
