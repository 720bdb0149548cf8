package archive_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"

	"factdesk/archive"
	"factdesk/fetch"
	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var loopback = fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}

// site is a live page whose answer a test changes.
type site struct {
	mu     sync.Mutex
	status int
	typ    string
	body   []byte
	hits   atomic.Int64
}

func (s *site) set(status int, typ, body string) {
	s.mu.Lock()
	s.status, s.typ, s.body = status, typ, []byte(body)
	s.mu.Unlock()
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if r.URL.Path == "/moved" {
		http.Redirect(w, r, "/page", http.StatusMovedPermanently)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", s.typ)
	w.WriteHeader(s.status)
	w.Write(s.body)
}

func source(t *testing.T, db *store.DB, url string) *models.Source {
	t.Helper()
	s := &models.Source{Title: "Report", URL: url, Kind: models.SourceOfficial}
	if err := db.CreateSource(context.Background(), s, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func state(t *testing.T, db *store.DB, id int64) *models.Archive {
	t.Helper()
	a, err := db.GetArchive(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSnapshotAndRecheck(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	live := &site{}
	const first = `<html><head><title>Unemployment</title></head><body><p>4.1%</p><script>document.title="ran"</script></body></html>`
	live.set(200, "text/html; charset=utf-8", first)
	srv := httptest.NewServer(live)
	defer srv.Close()
	src := source(t, db, srv.URL+"/moved")
	a := archive.New(db, archive.Config{Fetch: loopback, MaxBytes: 1 << 20})

	if err := a.Snapshot(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Snapshot(ctx, src.ID); err != nil { // a job run twice
		t.Fatal(err)
	}
	if n := live.hits.Load(); n != 2 { // the redirect and the page, once
		t.Errorf("%d requests to the live site, want 2", n)
	}
	snaps, err := db.ListSnapshots(ctx, src.ID)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots %+v, %v", snaps, err)
	}
	s := snaps[0]
	// sha256sum of the page, computed apart.
	if s.URL != src.URL || s.FinalURL != srv.URL+"/page" || s.Status != 200 || s.ContentType != "text/html" ||
		s.Size != int64(len(first)) || len(s.SHA256) != 64 || s.FetchedAt.IsZero() {
		t.Fatalf("snapshot %+v", s)
	}
	if st := state(t, db, src.ID); st.State != models.ArchiveArchived {
		t.Fatalf("state %+v", st)
	}

	steps := []struct {
		name   string
		status int
		body   string
		want   models.ArchiveState
		reason string
	}{
		{"unchanged", 200, first, models.ArchiveArchived, ""},
		// New bytes, same words: a script, an attribute and the markup
		// changed, as on every load of many pages.
		{"same words", 200, `<html><head><title>Unemployment</title><script src="/ad.js?v=8812"></script></head><body class="x"><p data-nonce="77">4.1%</p>
<script>document.title="ran again"</script></body></html>`, models.ArchiveArchived, ""},
		{"changed", 200, `<html><body><p>4.3%</p></body></html>`, models.ArchiveChanged, ""},
		{"gone", 404, "not found", models.ArchiveLiveFails, string(fetch.ReasonHTTPStatus)},
		{"failing", 503, "down", models.ArchiveLiveFails, string(fetch.ReasonHTTPStatus)},
		{"back", 200, first, models.ArchiveArchived, ""},
	}
	for _, step := range steps {
		live.set(step.status, "text/html", step.body)
		if err := a.Recheck(ctx, src.ID); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		st := state(t, db, src.ID)
		if st.State != step.want || st.Reason != step.reason || st.LiveStatus != step.status {
			t.Fatalf("%s: state %+v, want %s", step.name, st, step.want)
		}
		got, err := db.GetSnapshot(ctx, s.ID, true)
		if err != nil || !bytes.Equal(got.Body, []byte(first)) || got.SHA256 != s.SHA256 {
			t.Fatalf("%s: the snapshot changed: %q, %v", step.name, got.Body, err)
		}
	}
	if snaps, _ := db.ListSnapshots(ctx, src.ID); len(snaps) != 1 {
		t.Fatalf("%d snapshots after the re-checks, want 1", len(snaps))
	}
}

func TestSnapshotFailures(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	live := &site{}
	srv := httptest.NewServer(live)
	defer srv.Close()
	for _, tc := range []struct {
		name      string
		url       string
		cfg       fetch.Config
		status    int
		typ, body string
		reason    fetch.Reason
		transient bool
	}{
		{name: "refused address", url: srv.URL + "/page", cfg: fetch.Config{}, reason: fetch.ReasonRefusedAddress},
		{name: "not found", url: srv.URL + "/page", cfg: loopback, status: 404, typ: "text/html", body: "no", reason: fetch.ReasonHTTPStatus},
		{name: "server error", url: srv.URL + "/page", cfg: loopback, status: 500, typ: "text/html", body: "no", reason: fetch.ReasonHTTPStatus, transient: true},
		{name: "too large", url: srv.URL + "/page", cfg: loopback, status: 200, typ: "text/html", body: string(make([]byte, 2000)), reason: fetch.ReasonTooLarge},
		{name: "unsupported type", url: srv.URL + "/page", cfg: loopback, status: 200, typ: "application/zip", body: "PK", reason: fetch.ReasonContentType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			live.set(tc.status, tc.typ, tc.body)
			src := source(t, db, tc.url)
			err := archive.New(db, archive.Config{Fetch: tc.cfg, MaxBytes: 1000}).Snapshot(ctx, src.ID)
			if (err != nil) != tc.transient || archive.Transient(err) != tc.transient {
				t.Fatalf("error %v, want transient %v", err, tc.transient)
			}
			st := state(t, db, src.ID)
			if st.State != models.ArchiveFailed || st.Reason != string(tc.reason) || st.Error == "" || st.Attempts != 1 {
				t.Fatalf("state %+v, want failed with %s", st, tc.reason)
			}
			if snaps, _ := db.ListSnapshots(ctx, src.ID); len(snaps) != 0 {
				t.Fatalf("snapshots %+v", snaps)
			}
		})
	}
	t.Run("a failed source is tried again when due", func(t *testing.T) {
		live.set(200, "application/pdf", "%PDF-1.4 report")
		src := source(t, db, srv.URL+"/report.pdf")
		if err := archive.New(db, archive.Config{Fetch: fetch.Config{}}).Snapshot(ctx, src.ID); err != nil {
			t.Fatal(err)
		}
		a := archive.New(db, archive.Config{Fetch: loopback, RecheckAfter: 1})
		n, err := a.RecheckDue(ctx, 100)
		if err != nil || n == 0 {
			t.Fatalf("re-checked %d, %v", n, err)
		}
		if st := state(t, db, src.ID); st.State != models.ArchiveArchived {
			t.Fatalf("state %+v", st)
		}
		snaps, _ := db.ListSnapshots(ctx, src.ID)
		if len(snaps) != 1 || snaps[0].ContentType != "application/pdf" {
			t.Fatalf("snapshots %+v", snaps)
		}
	})
}

func TestTextSHA256(t *testing.T) {
	page := func(s string) []byte { return []byte(s) }
	base := archive.TextSHA256("text/html", page(`<p>Unemployment fell to 4.1%.</p>`))
	tests := []struct {
		name        string
		contentType string
		body        string
		same        bool
	}{
		{"the same page", "text/html", `<p>Unemployment fell to 4.1%.</p>`, true},
		{"other markup and spaces", "text/html", `<div class="a"><p>Unemployment   fell
 to 4.1%.</p></div>`, true},
		{"a script and a style", "text/html", `<style>p{}</style><p>Unemployment fell to 4.1%.<script>var t=1</script></p>`, true},
		{"another figure", "text/html", `<p>Unemployment fell to 4.3%.</p>`, false},
		{"a word more", "text/html", `<p>Unemployment fell to 4.1%.</p><p>Correction</p>`, false},
	}
	for _, tt := range tests {
		if got := archive.TextSHA256(tt.contentType, page(tt.body)) == base; got != tt.same {
			t.Errorf("%s: same text = %v, want %v", tt.name, got, tt.same)
		}
	}
	if got := archive.TextSHA256("application/pdf", page("%PDF-1.4")); got != "" {
		t.Errorf("a PDF has a text fingerprint %q", got)
	}
}
