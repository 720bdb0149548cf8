package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
)

func snapshotOf(src *models.Source, url string, body []byte, at time.Time) *models.Snapshot {
	sum := sha256.Sum256(body)
	return &models.Snapshot{SourceID: src.ID, URL: url, FinalURL: url, Status: 200, ContentType: "text/html",
		SHA256: hex.EncodeToString(sum[:]), FetchedAt: at}
}

func TestSnapshots(t *testing.T) {
	db, ctx, ed := openDesk(t)
	src := &models.Source{Title: "Report", URL: "https://stats.example.org/report", Kind: models.SourceOfficial}
	if err := db.CreateSource(ctx, src, ed); err != nil {
		t.Fatal(err)
	}
	none := &models.Source{Title: "A book", Kind: models.SourceOther}
	if err := db.CreateSource(ctx, none, ed); err != nil {
		t.Fatal(err)
	}

	t.Run("a source with a URL waits for its copy", func(t *testing.T) {
		a, err := db.GetArchive(ctx, src.ID)
		if err != nil || a.State != models.ArchivePending || a.URL != src.URL {
			t.Fatalf("archive %+v, %v", a, err)
		}
		if _, err := db.GetArchive(ctx, none.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("a source without URL: %v", err)
		}
		pending, err := db.ListArchives(ctx, store.ArchiveFilter{States: []models.ArchiveState{models.ArchivePending}})
		if err != nil || len(pending) != 1 || pending[0].SourceID != src.ID {
			t.Fatalf("pending %+v, %v", pending, err)
		}
	})

	body := []byte("<html><body><p>Unemployment: 4.1%</p><script>alert(1)</script></body></html>\x00\xff binary too")
	at := time.Date(2026, 12, 2, 19, 0, 0, 0, time.UTC)
	var first *models.Snapshot
	t.Run("a copy is kept once", func(t *testing.T) {
		s, created, err := db.SaveSnapshot(ctx, snapshotOf(src, src.URL, body, at), "utf-8", body)
		if err != nil || !created {
			t.Fatalf("save: %v, created %v", err, created)
		}
		again, created, err := db.SaveSnapshot(ctx, snapshotOf(src, src.URL, body, at.Add(time.Hour)), "utf-8", body)
		if err != nil || created || again.ID != s.ID || !again.FetchedAt.Equal(at) {
			t.Fatalf("save again: %+v, created %v, %v", again, created, err)
		}
		got, err := db.GetSnapshot(ctx, s.ID, true)
		if err != nil || !bytes.Equal(got.Body, body) || got.Size != int64(len(body)) || got.Charset != "utf-8" || got.Public {
			t.Fatalf("get: %+v, %v", got, err)
		}
		list, err := db.ListSnapshots(ctx, src.ID)
		if err != nil || len(list) != 1 || list[0].SHA256 != s.SHA256 || list[0].FinalURL != src.URL {
			t.Fatalf("list %+v, %v", list, err)
		}
		a, _ := db.GetArchive(ctx, src.ID)
		if a.State != models.ArchiveArchived || a.LiveSHA256 != s.SHA256 || a.CheckedAt == nil {
			t.Fatalf("archive %+v", a)
		}
		first = s
	})

	t.Run("a re-check marks and never touches the copy", func(t *testing.T) {
		for _, tc := range []struct {
			check models.ArchiveState
			c     store.LiveCheck
		}{
			{models.ArchiveArchived, store.LiveCheck{Status: 200, SHA256: first.SHA256}},
			{models.ArchiveChanged, store.LiveCheck{Status: 200, SHA256: "0000"}},
			{models.ArchiveLiveFails, store.LiveCheck{Status: 404, Reason: "http_status", Error: "the server answered 404"}},
			{models.ArchiveArchived, store.LiveCheck{Status: 200, SHA256: first.SHA256}},
		} {
			tc.c.SourceID, tc.c.URL, tc.c.CheckedAt = src.ID, src.URL, time.Now().UTC()
			a, err := db.RecordCheck(ctx, tc.c)
			if err != nil || a.State != tc.check {
				t.Fatalf("%+v: %+v, %v", tc.c, a, err)
			}
			got, _ := db.GetArchive(ctx, src.ID)
			if got.State != tc.check || got.Error != tc.c.Error || got.LiveStatus != tc.c.Status {
				t.Fatalf("stored %+v", got)
			}
		}
		got, err := db.GetSnapshot(ctx, first.ID, true)
		if err != nil || !bytes.Equal(got.Body, body) || got.SHA256 != first.SHA256 {
			t.Fatalf("the copy changed: %+v, %v", got, err)
		}
	})

	t.Run("a new URL wants a new copy", func(t *testing.T) {
		cur, _ := db.GetSource(ctx, src.ID)
		next := "https://stats.example.org/report-2"
		if _, err := db.UpdateSource(ctx, src.ID, store.SourceUpdate{Version: cur.Version, URL: &next}, ed); err != nil {
			t.Fatal(err)
		}
		a, _ := db.GetArchive(ctx, src.ID)
		if a.State != models.ArchivePending || a.URL != next {
			t.Fatalf("archive %+v", a)
		}
		// A late check of the old URL changes nothing.
		if a, err := db.RecordCheck(ctx, store.LiveCheck{SourceID: src.ID, URL: src.URL, Reason: "timeout", Error: "x", CheckedAt: time.Now()}); err != nil || a.State != models.ArchivePending {
			t.Fatalf("late check: %+v, %v", a, err)
		}
		if a, err := db.RecordCheck(ctx, store.LiveCheck{SourceID: src.ID, URL: next, Reason: "refused_address", Error: "refused", CheckedAt: time.Now()}); err != nil || a.State != models.ArchiveFailed || a.Attempts != 1 {
			t.Fatalf("failure: %+v, %v", a, err)
		}
		latest, err := db.LatestSnapshots(ctx, []int64{src.ID, none.ID})
		if err != nil || len(latest) != 1 || latest[src.ID].ID != first.ID {
			t.Fatalf("latest %+v, %v", latest, err)
		}
	})
}

// A new copy of a cited source changes the verdict page's stamp (the page
// links the copy), and the stamp read in SQL matches the one computed from
// the claim as read.
func TestSnapshotChangesTheClaimStamp(t *testing.T) {
	db, ctx, ed := openDesk(t)
	_, c := bodyClaim(t, db, ed)
	ev, err := db.AddEvidence(ctx, &models.Evidence{ClaimID: c.ID, Stance: models.StanceSupports},
		&models.Source{Title: "Figures", URL: "https://stats.example.org/figures", Kind: models.SourceOfficial}, ed)
	if err != nil {
		t.Fatal(err)
	}
	before := checkedStamp(t, db, c.ID, "before the copy").Key()
	page := []byte("<p>figures</p>")
	if _, _, err := db.SaveSnapshot(ctx, snapshotOf(&ev.Source, ev.Source.URL, page, time.Now().UTC()), "", page); err != nil {
		t.Fatal(err)
	}
	if after := checkedStamp(t, db, c.ID, "after the copy").Key(); after == before {
		t.Fatalf("the stamp %s did not change with the copy", after)
	}
}
