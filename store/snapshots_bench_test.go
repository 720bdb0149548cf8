package store_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store/storetest"
)

// BenchmarkSaveSnapshot is one copy written into the database, bytes
// included: the time it holds the write lock. README, "Fetching and
// archived sources", records the figures.
func BenchmarkSaveSnapshot(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20, 10 << 20} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			db := storetest.Open(b)
			ctx := context.Background()
			src := &models.Source{Title: "Report", URL: "https://stats.example.org/report", Kind: models.SourceOfficial}
			if err := db.CreateSource(ctx, src, nil); err != nil {
				b.Fatal(err)
			}
			body := make([]byte, size)
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				rand.Read(body) // a new hash: a new copy each time
				s := snapshotOf(src, src.URL, body, time.Now().UTC())
				b.StartTimer()
				if _, created, err := db.SaveSnapshot(ctx, s, "", body); err != nil || !created {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGetSnapshot reads a 1 MB copy with its bytes, as /archive/{id}/raw
// does.
func BenchmarkGetSnapshot(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	src := &models.Source{Title: "Report", URL: "https://stats.example.org/report", Kind: models.SourceOfficial}
	if err := db.CreateSource(ctx, src, nil); err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 1<<20)
	rand.Read(body)
	s, _, err := db.SaveSnapshot(ctx, snapshotOf(src, src.URL, body, time.Now().UTC()), "", body)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.GetSnapshot(ctx, s.ID, true); err != nil {
			b.Fatal(err)
		}
	}
}
