package server_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/server/servertest"
)

// tab is one browser tab with its own cookies: one person at the desk.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab opens a tab in a fresh browser context of the browser ctx runs,
// so each person has their own session.
func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	b := &tab{t: t, ctx: ctx, base: base}
	b.width(1280)
	return b
}

// do runs steps, failing the test on the first error or after 30 seconds.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("browser at %s: %v", loc, err)
	}
}

// eval runs a script in the page and returns its value.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// waitURL waits until the page's address contains part and the page has
// loaded: the GET after a POST. Evaluations fail while the page navigates,
// so they are retried.
func (b *tab) waitURL(part string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("location.href.includes(%q) && document.readyState === 'complete'", part))
}

// follow clicks a link and waits until the page it leads to has loaded.
// The page being left is marked first: without the mark, the old page,
// still complete, would pass for the new one.
func (b *tab) follow(css string) {
	b.t.Helper()
	eval[bool](b, "window.factdeskLeaving = true")
	b.do(chromedp.Click(chromedp.CSS(css)))
	b.waitFor("!window.factdeskLeaving && document.readyState === 'complete'")
}

// waitFor waits until a script is true in the page.
func (b *tab) waitFor(js string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.t.Fatalf("waiting for %s, browser at %s", js, loc)
}

func (b *tab) location() string {
	b.t.Helper()
	return eval[string](b, "location.pathname + location.search")
}

func (b *tab) text(css string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf("(document.querySelector(%q) || {}).textContent || ''", css))
}

func (b *tab) value(css string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf("document.querySelector(%q).value", css))
}

func (b *tab) signIn(email string) {
	b.t.Helper()
	b.open("/desk")
	b.waitURL("/desk/login?next=")
	b.check("sign-in")
	b.do(chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "correct horse battery staple"),
		chromedp.Click(chromedp.CSS(`form[action="/desk/login"] button[type=submit]`)))
	b.waitFor("location.pathname === '/desk' && document.readyState === 'complete'")
	if got := b.text("h1"); got != "Dashboard" {
		b.t.Fatalf("after sign-in the page is %q", got)
	}
}

func (b *tab) width(w int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(w, 900))
}

// check runs axe-core on the page at 1280 px, then makes sure it fits 768 px
// without sideways scrolling, and goes back to 1280 px.
func (b *tab) check(name string) {
	b.t.Helper()
	// Without axe-core the rest of the walk through the desk still runs.
	if _, err := os.Stat("../node_modules/axe-core/axe.min.js"); err == nil {
		servertest.Axe(b.t, b.ctx)
	} else {
		b.t.Logf("axe-core is not installed (npm ci at the repository root): %s not checked for WCAG", name)
	}
	b.width(768)
	if w := eval[int](b, "document.documentElement.scrollWidth"); w > 768 {
		b.t.Errorf("%s at 768 px is %d px wide: it scrolls sideways", name, w)
	}
	b.width(1280)
}

// screenshot writes the whole page at a width to the screenshot folder
// (servertest.SaveScreenshot); with
// visible set, only what the window shows (1000 px high).
func (b *tab) screenshot(name string, width int64, visible ...bool) {
	b.t.Helper()
	b.width(width)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	shot := chromedp.FullScreenshot(100)
	if len(visible) > 0 && visible[0] {
		b.do(chromedp.EmulateViewport(width, 1000))
		shot = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	servertest.SaveScreenshot(b.t, name, png)
	b.width(1280)
}

// selectText selects the words of the document body from code point start
// to end, as a person dragging over them would, through the DOM Selection.
func (b *tab) selectText(start, end int) string {
	b.t.Helper()
	js := `(() => {
  const body = document.getElementById('doc-body');
  const cps = Array.from(body.textContent);
  const unit = (cp) => cps.slice(0, cp).join('').length; // code points to UTF-16 units
  const find = (u) => {
    const walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let pos = 0;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (u <= pos + n.data.length) return [n, u - pos];
      pos += n.data.length;
    }
  };
  const [sn, so] = find(unit(` + strconv.Itoa(start) + `));
  const [en, eo] = find(unit(` + strconv.Itoa(end) + `));
  const r = document.createRange();
  r.setStart(sn, so);
  r.setEnd(en, eo);
  const sel = document.getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
  return sel.toString();
})()`
	return eval[string](b, js)
}

// clickAction presses the workflow button of an action.
func (b *tab) clickAction(action string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`form.action input[name="action"][value="` + action + `"] ~ button`)))
	b.waitURL("done=" + action)
}

func mustHave(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}
