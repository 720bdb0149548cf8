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
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start
	db.Now = func() time.Time { return now }
	window, keep := 15*time.Minute, 24*time.Hour
	for i := 0; i < 3; i++ {
		if err := db.RecordLoginFailure(ctx, "Ed@Example.org", "10.0.0.1", keep); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	db.RecordLoginFailure(ctx, "other@example.org", "10.0.0.1", keep)
	db.RecordLoginFailure(ctx, "ed@example.org", "10.0.0.9", keep)
	count := func(email, addr string) loginCounts {
		t.Helper()
		f, err := db.CountLoginFailures(ctx, email, addr, now.Add(-keep), now.Add(-window))
		if err != nil {
			t.Fatal(err)
		}
		return loginCounts{f.Pair, f.Address, f.LastPair, f.OldestAddress}
	}
	if got, want := count("ed@example.org", "10.0.0.1"), (loginCounts{3, 4, start.Add(2 * time.Minute), start}); !got.equal(want) {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	// The address window slides; the pair is remembered longer.
	now = now.Add(window + time.Minute)
	if got, want := count("ed@example.org", "10.0.0.1"), (loginCounts{3, 0, start.Add(2 * time.Minute), time.Time{}}); !got.equal(want) {
		t.Errorf("after the address window: %+v, want %+v", got, want)
	}
	// Past keep, failures no longer count and are forgotten.
	now = now.Add(keep)
	db.RecordLoginFailure(ctx, "ed@example.org", "10.0.0.2", keep)
	if got := count("ed@example.org", "10.0.0.1"); got.pair != 0 || got.address != 0 {
		t.Errorf("after keep: %+v", got)
	}
	// A success clears its own pair only.
	db.RecordLoginFailure(ctx, "ed@example.org", "10.0.0.3", keep)
	db.RecordLoginFailure(ctx, "other@example.org", "10.0.0.2", keep)
	if err := db.ClearLoginFailures(ctx, "ED@example.org", "10.0.0.2"); err != nil {
		t.Fatal(err)
	}
	if got := count("ed@example.org", "10.0.0.2"); got.pair != 0 || got.address != 1 {
		t.Errorf("after clearing the pair: %+v, want no pair failure and the other account's one", got)
	}
	if got := count("ed@example.org", "10.0.0.3"); got.pair != 1 {
		t.Errorf("clearing one address cleared another: %+v", got)
	}
}

// loginCounts is store.LoginFailures flattened for comparison.
type loginCounts struct {
	pair, address     int64
	lastPair, oldestA time.Time
}

func (c loginCounts) equal(o loginCounts) bool {
	return c.pair == o.pair && c.address == o.address && c.lastPair.Equal(o.lastPair) && c.oldestA.Equal(o.oldestA)
}
