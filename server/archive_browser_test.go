package server_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/server/servertest"
)

// In a real Chromium, an archived page that carries a script, an outside
// image, a beacon and a form shows its text and does none of those: not
// framed under the banner, not opened on its own.
func TestArchivedPageRunsNoScriptInBrowser(t *testing.T) {
	f := newArchivedFixture(t)
	f.publish(t)
	ctx := servertest.Browser(t)
	page := fmt.Sprintf("%s/archive/%d", f.env.URL, f.snapshot)

	readerBrowse(t, ctx, "open the archived copy", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("iframe.archive-frame")))
	// The frame's document is of an opaque origin, out of the page's reach:
	// give it time to load, and a script in it time to have run.
	time.Sleep(time.Second)
	if banner := readerEval[string](t, ctx, `document.querySelector(".archive-banner").textContent`); !strings.Contains(banner, "captured on") || !strings.Contains(banner, f.live.srv.URL+"/figures") {
		t.Errorf("banner %q", banner)
	}
	if title := readerEval[string](t, ctx, `document.title`); strings.Contains(title, "SCRIPT RAN") {
		t.Errorf("the archived script reached the banner page: %q", title)
	}
	if _, err := os.Stat("../node_modules/axe-core/axe.min.js"); err == nil {
		servertest.Axe(t, ctx)
	}
	readerShoot(t, ctx, "archive-copy.png")

	readerBrowse(t, ctx, "open the bytes on their own", chromedp.Navigate(page+"/raw"), chromedp.WaitReady(chromedp.CSS("#figure")))
	time.Sleep(300 * time.Millisecond)
	if got := readerEval[string](t, ctx, `document.getElementById("figure").textContent`); got != "Unemployment fell by 4 per cent." {
		t.Errorf("the archived script ran: the figure reads %q", got)
	}
	if title := readerEval[string](t, ctx, `document.title`); title != "Ministry figures" {
		t.Errorf("the archived script ran: the title is %q", title)
	}
	if n := f.live.outside.Load(); n != 0 {
		t.Errorf("viewing the copy asked the original site for %d things (image, beacon)", n)
	}
}
