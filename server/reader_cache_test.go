package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server"
	"factdesk/store"
	"factdesk/store/storetest"
)

// etagOf fetches path and returns its ETag, failing unless it is 200 with
// the caching headers of every reader page.
func (f *readerFixture) etagOf(t *testing.T, path string) (etag, body string) {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	etag = resp.Header.Get("ETag")
	// robots.txt changes only with a release and has no time of its own.
	if etag == "" || resp.Header.Get("Last-Modified") == "" && path != "/robots.txt" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public, max-age=60, stale-while-revalidate=") {
		t.Fatalf("GET %s: ETag %q, Last-Modified %q, Cache-Control %q", path, etag, resp.Header.Get("Last-Modified"), resp.Header.Get("Cache-Control"))
	}
	return etag, body
}

func TestReaderConditionalRequests(t *testing.T) {
	f := newReaderFixture(t)
	for _, path := range []string{frontend.VerdictPath(f.verdict), frontend.DocumentPath(f.doc.ID), "/", "/search?q=terrorists", "/feeds/verdicts.atom", "/feeds/claimreview.json", "/sitemap.xml", "/robots.txt"} {
		t.Run(path, func(t *testing.T) {
			etag, _ := f.etagOf(t, path)
			resp, body := f.get(t, path, "If-None-Match", etag)
			if resp.StatusCode != http.StatusNotModified || body != "" || resp.Header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and no body", etag, resp.StatusCode, len(body))
			}
			// What refreshes the stored copy; its security headers stay with it.
			if resp.Header.Get("Cache-Control") == "" || resp.Header.Get("X-Request-ID") == "" {
				t.Errorf("304: Cache-Control %q, X-Request-ID %q", resp.Header.Get("Cache-Control"), resp.Header.Get("X-Request-ID"))
			}
			resp, _ = f.get(t, path, "If-None-Match", `"something-else"`)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("another ETag: %d, want 200", resp.StatusCode)
			}
			if path == "/robots.txt" {
				return // changes only with a release: no time to compare
			}
			first, _ := f.get(t, path)
			resp, _ = f.get(t, path, "If-Modified-Since", first.Header.Get("Last-Modified"))
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-Modified-Since its own Last-Modified: %d, want 304", resp.StatusCode)
			}
			resp, _ = f.get(t, path, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")
			if resp.StatusCode != http.StatusOK {
				t.Errorf("If-Modified-Since 2001: %d, want 200", resp.StatusCode)
			}
		})
	}
}

// Every write that changes what a verdict page shows changes its ETag at
// once, including writes made through another replica (another handle on
// the same database, with its own page cache).
func TestReaderEditsChangeTheETag(t *testing.T) {
	f := newReaderFixture(t)
	ctx := context.Background()
	other := storetest.OpenPath(t, f.path) // a second replica's connection
	h2, err := server.New(server.Config{DB: other, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: f.url, OrgName: readerOrg})
	if err != nil {
		t.Fatal(err)
	}
	replica := httptest.NewServer(h2)
	defer replica.Close()
	f2 := &readerFixture{url: replica.URL}

	path := frontend.VerdictPath(f.verdict)
	docPath := frontend.DocumentPath(f.doc.ID)
	id := f.verdict.ID
	edits := []struct {
		name    string
		edit    func(t *testing.T)
		want    string // text the page shows after the edit
		replica bool   // made through the other replica's handle
	}{
		{"ClaimEditedOnTheOtherReplica", func(t *testing.T) {
			// A published claim changes through a correction a second
			// editor approves: proposed on one replica, approved there too.
			c, err := other.GetClaim(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			claimant := "Russia’s foreign ministry"
			if c, err = other.UpdateClaim(ctx, id, models.ClaimUpdate{Version: c.Version, Claimant: &claimant, Note: "The warning came from the foreign ministry."}, f.ed1); err != nil {
				t.Fatal(err)
			}
			if _, err := other.TransitionClaim(ctx, id, c.Version, models.TransitionInput{Action: models.ActionApprove}, f.ed2); err != nil {
				t.Fatal(err)
			}
		}, "Russia’s foreign ministry", true},
		{"SourceEdited", func(t *testing.T) {
			d, err := other.GetClaimDetail(ctx, id)
			if err != nil || len(d.Evidence) == 0 {
				t.Fatalf("the verdict has no evidence: %v", err)
			}
			s := d.Evidence[0].Source
			title := "Report of the UN Monitoring Team, 2025"
			if _, err := other.UpdateSource(ctx, s.ID, store.SourceUpdate{Version: s.Version, Title: &title}, f.ed2); err != nil {
				t.Fatal(err)
			}
		}, "Report of the UN Monitoring Team, 2025", true},
		{"Corrected", func(t *testing.T) {
			r := models.RatingFalse
			f.transition(t, id, f.ed2, models.TransitionInput{Action: models.ActionCorrect, Note: "We first rated this mostly false; no source supports any part of it.", Rating: &r})
			f.transition(t, id, f.ed1, models.TransitionInput{Action: models.ActionApprove})
		}, "no source supports any part of it", false},
		{"DocumentRetitled", func(t *testing.T) {
			title := "Pakistan and the Taliban"
			if _, _, err := f.db.UpdateDocument(ctx, f.doc.ID, store.DocumentUpdate{Version: 1, Title: &title}, f.ed1); err != nil {
				t.Fatal(err)
			}
		}, "Pakistan and the Taliban", false},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			before, _ := f.etagOf(t, path)
			beforeReplica, _ := f2.etagOf(t, path)
			beforeDoc, _ := f.etagOf(t, docPath)
			beforeHome, _ := f.etagOf(t, "/")
			e.edit(t)
			// The replica that wrote sees its write at once; the other one
			// once the stat of the database's files it reuses (for at most
			// 250 µs, store/changes.go) is older than the write.
			writer, others := f, f2
			if e.replica {
				writer, others = f2, f
			}
			for i, fx := range []*readerFixture{writer, others} {
				if i == 1 {
					time.Sleep(time.Millisecond)
				}
				after, body := fx.etagOf(t, path)
				if after == before || after == beforeReplica {
					t.Errorf("%s: the ETag did not change after the edit", fx.url)
				}
				if !strings.Contains(body, e.want) {
					t.Errorf("%s: the page does not show %q after the edit", fx.url, e.want)
				}
				if resp, _ := fx.get(t, path, "If-None-Match", before); resp.StatusCode != http.StatusOK {
					t.Errorf("%s: the old ETag still gets %d", fx.url, resp.StatusCode)
				}
			}
			if after, _ := f.etagOf(t, "/"); after == beforeHome {
				t.Error("the home page's ETag did not change")
			}
			if e.name == "ClaimEditedOnTheOtherReplica" || e.name == "Corrected" || e.name == "DocumentRetitled" {
				if after, _ := f.etagOf(t, docPath); after == beforeDoc {
					t.Error("the document page's ETag did not change")
				}
			}
		})
	}
}
