package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestSessions(t *testing.T) {
	db, ctx, ed := openDesk(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }

	token, s, err := db.CreateSession(ctx, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.TokenHash == token || s.TokenHash != store.HashToken(token) || len(token) < 40 || len(s.CSRFToken) < 40 {
		t.Fatalf("session %+v for token %q", s, token)
	}
	t.Run("OK", func(t *testing.T) {
		got, u, err := db.SessionUser(ctx, token)
		if err != nil || u.ID != ed.ID || got.CSRFToken != s.CSRFToken {
			t.Fatalf("SessionUser = %+v, %+v, %v", got, u, err)
		}
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		if _, _, err := db.SessionUser(ctx, s.TokenHash); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("the stored hash works as a token: %v", err)
		}
	})
	t.Run("UseExtendsUpToMaxAge", func(t *testing.T) {
		for day := 1; day <= 40; day++ {
			now = time.Date(2025, 3, 1+day, 12, 0, 0, 0, time.UTC)
			_, _, err := db.SessionUser(ctx, token)
			if day < 30 && err != nil {
				t.Fatalf("day %d: %v", day, err)
			}
			if day > 30 && models.ErrorCode(err) != models.EUNAUTHORIZED {
				t.Fatalf("day %d: a session past its maximum age works (%v)", day, err)
			}
		}
	})
	t.Run("ErrIdle", func(t *testing.T) {
		now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
		token, _, err := db.CreateSession(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(store.SessionIdle + time.Minute)
		if _, _, err := db.SessionUser(ctx, token); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("an idle session works: %v", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
		token, _, _ := db.CreateSession(ctx, ed.ID)
		if err := db.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, token); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("a deleted session works: %v", err)
		}
		if err := db.DeleteSession(ctx, token); err != nil {
			t.Errorf("deleting twice: %v", err)
		}
	})
	t.Run("ErrDisabledUser", func(t *testing.T) {
		token, _, _ := db.CreateSession(ctx, ed.ID)
		disabled := true
		if _, err := db.UpdateUser(ctx, ed.ID, store.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, token); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("a disabled user's session works: %v", err)
		}
		if _, _, err := db.CreateSession(ctx, ed.ID); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("a session for a disabled user: %v", err)
		}
	})
}

// A session's last use is noted in memory, not written by the request, and
// reaches the database when the store closes (as at shutdown).
func TestLastSeenIsWrittenAtClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factdesk.db")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	token, s, err := db.CreateSession(ctx, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := s.LastSeen.Add(time.Hour)
	db.Now = func() time.Time { return later }
	if _, _, err := db.SessionUser(ctx, token); err != nil {
		t.Fatal(err)
	}
	// Another handle on the file (a replica, or the next start) reads what
	// is stored: it has nothing in memory of its own, and its clock at the
	// session's start keeps it from noting a use of its own.
	storedSeen := func() time.Time {
		t.Helper()
		other := storetest.OpenPath(t, path)
		other.Now = func() time.Time { return s.LastSeen }
		got, _, err := other.SessionUser(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastSeen
	}
	if got := storedSeen(); !got.Before(later) {
		t.Fatalf("the request wrote last_seen itself: %s", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := storedSeen(); !got.Equal(later) {
		t.Fatalf("last_seen after close = %s, want %s", got, later)
	}
}

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

func TestAPITokens(t *testing.T) {
	db, ctx, ed := openDesk(t)
	other := storetest.User(t, db, "other@example.org", models.RoleEditor)
	adm := storetest.User(t, db, "admin@example.org", models.RoleAdmin)

	if _, _, err := db.CreateAPIToken(ctx, ed.ID, " "); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("a token without a name: %v", err)
	}
	token, tk, err := db.CreateAPIToken(ctx, ed.ID, "CMS")
	if err != nil {
		t.Fatal(err)
	}
	if tk.TokenHash != store.HashToken(token) || tk.TokenHash == token {
		t.Errorf("token stored as %q", tk.TokenHash)
	}
	got, u, err := db.TokenUser(ctx, token)
	if err != nil || u.ID != ed.ID || got.LastUsedAt == nil {
		t.Fatalf("TokenUser = %+v, %+v, %v", got, u, err)
	}
	list, err := db.ListAPITokens(ctx, ed.ID)
	if err != nil || len(list) != 1 || list[0].Name != "CMS" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := db.RevokeAPIToken(ctx, tk.ID, other); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("another editor revoked the token: %v", err)
	}
	if _, err := db.RevokeAPIToken(ctx, tk.ID, ed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, token); models.ErrorCode(err) != models.EUNAUTHORIZED {
		t.Errorf("a revoked token works: %v", err)
	}
	token2, tk2, _ := db.CreateAPIToken(ctx, ed.ID, "script")
	if _, err := db.RevokeAPIToken(ctx, tk2.ID, adm); err != nil {
		t.Errorf("an admin cannot revoke: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, token2); models.ErrorCode(err) != models.EUNAUTHORIZED {
		t.Errorf("a token revoked by an admin works: %v", err)
	}
}
