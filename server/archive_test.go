package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/archive"
	"factdesk/fetch"
	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
)

// archivedPage is a source's page with a script, an outside image and a
// form, none of which may do anything once archived.
const archivedPage = `<!doctype html><html><head><meta charset="utf-8"><title>Ministry figures</title>
<style>p.figure { font-weight: bold; }</style></head>
<body><h1>Labour market, 2026</h1><p class="figure" id="figure">Unemployment fell by 4 per cent.</p>
<img id="pixel" src="%s/pixel.gif" alt="">
<form action="%s/collect" method="post"><input name="x"><button id="send">Send</button></form>
<script>document.getElementById("figure").textContent = "SCRIPT RAN"; document.title = "SCRIPT RAN";
fetch("%s/beacon");</script></body></html>`

// liveSource is the site a cited source lives on: its page changes when a
// test says so, and it counts what a reader's browser asks of it.
type liveSource struct {
	srv     *httptest.Server
	mu      sync.Mutex
	status  int
	typ     string
	body    string
	outside atomic.Int64 // requests for anything but the page itself
}

func newLiveSource(t *testing.T) *liveSource {
	l := &liveSource{status: 200, typ: "text/html; charset=utf-8"}
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/figures" {
			l.outside.Add(1)
			http.NotFound(w, r)
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		w.Header().Set("Content-Type", l.typ)
		w.WriteHeader(l.status)
		fmt.Fprint(w, l.body)
	}))
	t.Cleanup(l.srv.Close)
	u := l.srv.URL
	l.body = fmt.Sprintf(archivedPage, u, u, u)
	return l
}

func (l *liveSource) set(status int, typ, body string) {
	l.mu.Lock()
	l.status, l.typ, l.body = status, typ, body
	l.mu.Unlock()
}

var localFetch = fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}

// archivedFixture is a claim in research citing the live source, its copy
// taken.
type archivedFixture struct {
	env      *servertest.Env
	live     *liveSource
	archiver *archive.Archiver
	claim    *models.Claim
	sourceID int64
	snapshot int64
	woken    *atomic.Int64
}

func newArchivedFixture(t *testing.T) *archivedFixture {
	t.Helper()
	woken := &atomic.Int64{}
	env := servertest.NewWith(t, servertest.Options{Config: func(c *server.Config) { c.ArchiveWake = func() { woken.Add(1) } }})
	f := &archivedFixture{env: env, live: newLiveSource(t), woken: woken,
		archiver: archive.New(env.DB, archive.Config{Fetch: localFetch, MaxBytes: 1 << 20})}
	fx := &fixture{t: t, env: env, as: env.Editor}
	f.claim = fx.claim(models.StatusResearching)
	ed := env.SignedIn(env.Editor)
	r := ed.Do("POST", fmt.Sprintf("/api/v1/claims/%d/evidence", f.claim.ID), map[string]any{
		"stance": "supports", "source": map[string]any{"title": "Ministry figures", "url": f.live.srv.URL + "/figures", "kind": "official"}})
	if r.Status != 201 {
		t.Fatalf("add evidence: %d %s", r.Status, r.Body)
	}
	var ev struct {
		SourceID int64 `json:"source_id"`
	}
	r.Decode(t, &ev)
	f.sourceID = ev.SourceID
	if woken.Load() == 0 {
		t.Fatal("adding evidence with a new source did not wake the archiving")
	}
	if n, err := f.archiver.SnapshotPending(context.Background(), 10); err != nil || n != 1 {
		t.Fatalf("snapshots taken: %d, %v", n, err)
	}
	var list snapshotList
	ed.Do("GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil).Decode(t, &list)
	if len(list.Snapshots) != 1 {
		t.Fatalf("snapshots %+v", list)
	}
	f.snapshot = list.Snapshots[0].ID
	return f
}

type snapshotList struct {
	Archive *struct {
		State      string `json:"state"`
		Reason     string `json:"reason"`
		Error      string `json:"error"`
		SnapshotID *int64 `json:"snapshot_id"`
	} `json:"archive"`
	Snapshots []struct {
		ID          int64  `json:"id"`
		URL         string `json:"url"`
		ContentType string `json:"content_type"`
		SHA256      string `json:"sha256"`
		Size        int64  `json:"size"`
		Path        string `json:"path"`
	} `json:"snapshots"`
}

func (f *archivedFixture) publish(t *testing.T) {
	t.Helper()
	submitAndApprove(t, f.env.DB, f.claim.ID, models.RatingTrue, "The ministry's figures say so.", f.env.Editor, f.env.Editor2)
}

func TestArchivedSourceIsServedSafely(t *testing.T) {
	f := newArchivedFixture(t)
	ed := f.env.SignedIn(f.env.Editor)
	anon := f.env.Anonymous()
	page := fmt.Sprintf("/archive/%d", f.snapshot)
	raw := page + "/raw"

	var list snapshotList
	ed.Do("GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil).Decode(t, &list)
	s := list.Snapshots[0]
	if list.Archive == nil || list.Archive.State != "archived" || s.URL != f.live.srv.URL+"/figures" || s.ContentType != "text/html" ||
		s.Size != int64(len(f.live.body)) || len(s.SHA256) != 64 || s.Path != page {
		t.Fatalf("snapshots %+v, archive %+v", list.Snapshots, list.Archive)
	}

	t.Run("readers see copies of published verdicts only", func(t *testing.T) {
		for _, p := range []string{page, raw} {
			if r := anon.Do("GET", p, nil); r.Status != 404 {
				t.Errorf("anonymous %s before publication: %d", p, r.Status)
			}
		}
		f.publish(t)
		for _, p := range []string{page, raw} {
			if r := anon.Do("GET", p, nil); r.Status != 200 {
				t.Errorf("anonymous %s after publication: %d", p, r.Status)
			}
		}
		v := anon.Do("GET", fmt.Sprintf("/claims/%d", f.claim.ID), nil)
		if v.Status != 200 || !strings.Contains(string(v.Body), `href="`+page+`"`) {
			t.Errorf("the verdict page (%d) does not link %s", v.Status, page)
		}
		if r := anon.Do("GET", "/archive/999999", nil); r.Status != 404 {
			t.Errorf("no such copy: %d", r.Status)
		}
	})

	t.Run("the banner says what, from where and when", func(t *testing.T) {
		r := anon.Do("GET", page, nil)
		body := string(r.Body)
		for _, want := range []string{"Archived copy", f.live.srv.URL + "/figures", "captured on", s.SHA256, `sandbox=""`, `src="` + raw + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the banner page lacks %q", want)
			}
		}
		if strings.Contains(body, "SCRIPT RAN") || strings.Contains(body, "Unemployment fell") {
			t.Error("the banner page carries the archived bytes itself")
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("banner CSP %q", csp)
		}
	})

	t.Run("the bytes run nothing", func(t *testing.T) {
		r := anon.Do("GET", raw, nil)
		if string(r.Body) != f.live.body {
			t.Fatalf("the copy is not the bytes fetched: %q", r.Body)
		}
		h := r.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"sandbox", "default-src 'none'", "frame-ancestors 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("raw CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "allow-scripts") || strings.Contains(csp, "script-src") {
			t.Errorf("raw CSP %q lets scripts run", csp)
		}
		for k, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "no-referrer", "ETag": `"` + s.SHA256 + `"`} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if r := anon.Do("GET", raw, nil, "If-None-Match", `"`+s.SHA256+`"`); r.Status != 304 {
			t.Errorf("a revalidation: %d", r.Status)
		}
	})

	t.Run("the re-check marks and the copy stays", func(t *testing.T) {
		for _, step := range []struct {
			status int
			body   string
			state  string
			label  string
		}{
			{200, "<p>Unemployment rose.</p>", "changed", "live page changed"},
			{404, "gone", "live_fails", "live page fails"},
		} {
			f.live.set(step.status, "text/html", step.body)
			if err := f.archiver.Recheck(context.Background(), f.sourceID); err != nil {
				t.Fatal(err)
			}
			var got snapshotList
			ed.Do("GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil).Decode(t, &got)
			if got.Archive.State != step.state || len(got.Snapshots) != 1 {
				t.Fatalf("after %d: %+v", step.status, got)
			}
			if r := anon.Do("GET", raw, nil); string(r.Body) == step.body || !strings.Contains(string(r.Body), "Unemployment fell by 4 per cent") {
				t.Fatalf("the copy changed with the live page: %q", r.Body)
			}
			desk := ed.Do("GET", fmt.Sprintf("/desk/claims/%d", f.claim.ID), nil)
			if !strings.Contains(string(desk.Body), step.label) || !strings.Contains(string(desk.Body), `href="`+page+`"`) {
				t.Errorf("the desk does not show %q with the copy", step.label)
			}
			dash := string(ed.Do("GET", "/desk", nil).Body)
			if !strings.Contains(dash, "Sources to look at") || !strings.Contains(dash, step.label) ||
				!strings.Contains(dash, fmt.Sprintf(`href="/desk/claims/%d#evidence"`, f.claim.ID)) {
				t.Errorf("the dashboard does not list the source as %q", step.label)
			}
		}
	})

	t.Run("archive again keeps the old copy", func(t *testing.T) {
		f.live.set(200, "text/html", "<p>Unemployment rose.</p>")
		r := ed.Do("POST", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil)
		if r.Status != 202 {
			t.Fatalf("archive again: %d %s", r.Status, r.Body)
		}
		if err := f.archiver.Snapshot(context.Background(), f.sourceID); err != nil {
			t.Fatal(err)
		}
		var got snapshotList
		ed.Do("GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil).Decode(t, &got)
		if len(got.Snapshots) != 2 || got.Archive.State != "archived" || *got.Archive.SnapshotID == f.snapshot || got.Snapshots[1].ID != f.snapshot {
			t.Fatalf("after archiving again: %+v", got)
		}
	})
}

func TestArchivedFilesKeepTheirType(t *testing.T) {
	f := newArchivedFixture(t)
	ed := f.env.SignedIn(f.env.Editor)
	for _, tc := range []struct {
		typ, body, disposition string
	}{
		{"application/pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj", "attachment"},
		{"image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "inline"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			f.live.set(200, tc.typ, tc.body)
			if _, err := f.env.DB.RequestSnapshot(context.Background(), f.sourceID, f.env.Editor); err != nil {
				t.Fatal(err)
			}
			if err := f.archiver.Snapshot(context.Background(), f.sourceID); err != nil {
				t.Fatal(err)
			}
			var got snapshotList
			ed.Do("GET", fmt.Sprintf("/api/v1/sources/%d/snapshots", f.sourceID), nil).Decode(t, &got)
			id := *got.Archive.SnapshotID
			r := ed.Do("GET", fmt.Sprintf("/archive/%d/raw", id), nil)
			if r.Header.Get("Content-Type") != tc.typ || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.HasPrefix(r.Header.Get("Content-Disposition"), tc.disposition) || string(r.Body) != tc.body {
				t.Fatalf("headers %v, body %q", r.Header, r.Body)
			}
			if !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("CSP %q", r.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

// The desk's "Archive again" asks for a new copy and says so; the form
// needs the session's CSRF token like every other.
func TestDeskArchiveAgain(t *testing.T) {
	f := newArchivedFixture(t)
	de := &deskEnv{Env: f.env, db: f.env.DB, admin: f.env.Admin, ed1: f.env.Editor, ed2: f.env.Editor2}
	c := de.signIn(t, f.env.Editor)
	path := fmt.Sprintf("/desk/claims/%d/sources/%d/archive", f.claim.ID, f.sourceID)
	_, page := c.get(fmt.Sprintf("/desk/claims/%d", f.claim.ID))
	mustContain(t, page, `action="`+path+`"`, "Archive again", "our archived copy")

	if res, _ := c.post(path, url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d", res.StatusCode)
	}
	if a, _ := f.env.DB.GetArchive(context.Background(), f.sourceID); a.State != models.ArchiveArchived {
		t.Fatalf("a refused form changed the state: %+v", a)
	}
	before := f.woken.Load()
	res, _ := c.post(path, url.Values{"csrf_token": {c.csrf()}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "done=archive") {
		t.Fatalf("archive again: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if a, _ := f.env.DB.GetArchive(context.Background(), f.sourceID); a.State != models.ArchivePending || f.woken.Load() == before {
		t.Fatalf("after archive again: %+v, woken %d", a, f.woken.Load())
	}
	_, page = c.get(res.Header.Get("Location"))
	mustContain(t, page, "A new archived copy will be taken")
}

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
