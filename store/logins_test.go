package store_test

import (
	"context"
	"testing"
	"time"

	"factdesk/store/storetest"
)

func TestLoginFailures(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	window := 15 * time.Minute
	for i := 0; i < 3; i++ {
		if err := db.RecordLoginFailure(ctx, "Ed@Example.org", "10.0.0.1", window); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	db.RecordLoginFailure(ctx, "other@example.org", "10.0.0.1", window)
	f, err := db.CountLoginFailures(ctx, "ed@example.org", "10.0.0.1", now.Add(-window))
	if err != nil {
		t.Fatal(err)
	}
	if f.Email != 3 || f.Address != 4 || !f.OldestEmail.Equal(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("counts %+v", f)
	}
	// The window slides: old failures no longer count, and are forgotten.
	now = now.Add(window + time.Minute)
	db.RecordLoginFailure(ctx, "ed@example.org", "10.0.0.2", window)
	f, _ = db.CountLoginFailures(ctx, "ed@example.org", "10.0.0.1", now.Add(-window))
	if f.Email != 1 || f.Address != 0 {
		t.Errorf("after the window: %+v", f)
	}
	if err := db.ClearLoginFailures(ctx, "ED@example.org"); err != nil {
		t.Fatal(err)
	}
	f, _ = db.CountLoginFailures(ctx, "ed@example.org", "10.0.0.2", now.Add(-window))
	if f.Email != 0 || f.Address != 0 {
		t.Errorf("after clearing: %+v", f)
	}
}
