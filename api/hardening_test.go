package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"factdesk/api/apitest"
	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// TestReadsDuringALongWrite: review finding 2. While another writer holds
// the database's write lock, signed-in reads by session and by token answer
// at once: the "last seen" bookkeeping waits for its flush instead of
// turning the read into a 500 after the busy timeout.
func TestReadsDuringALongWrite(t *testing.T) {
	dsn := storetest.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	ed := storetest.User(t, db, apitest.EditorEmail, models.RoleEditor)
	env := apitest.NewWith(t, apitest.Options{DB: db})
	browser := env.SignedIn(ed)
	cms := env.NewToken(apitest.EditorEmail, "cms")
	// Every session and token is stale enough to be touched.
	db.Now = func() time.Time { return time.Now().UTC().Add(time.Hour) }

	ctx := context.Background()
	conn, err := storetest.Raw(t, dsn).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	lock := "BEGIN IMMEDIATE"
	if store.Dialect(dsn) == store.Postgres {
		lock = "BEGIN; LOCK TABLE sessions, api_tokens IN EXCLUSIVE MODE"
	}
	if _, err := conn.ExecContext(ctx, lock); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		client *apitest.Client
		path   string
	}{
		{"desk page by session", browser, "/desk"},
		{"API read by session", browser, "/api/v1/me"},
		{"API read by token", cms, "/api/v1/claims"},
	} {
		start := time.Now()
		r := tt.client.Do("GET", tt.path, nil)
		if r.Status != 200 {
			t.Errorf("%s while the write lock is held: %d %.200s", tt.name, r.Status, r.Body)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("%s took %s while the write lock is held", tt.name, el)
		}
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	// Once the lock is gone, the bookkeeping reaches the database.
	if err := db.FlushSeen(ctx); err != nil {
		t.Fatal(err)
	}
	tokens, err := db.ListAPITokens(ctx, ed.ID)
	if err != nil || len(tokens) != 1 || tokens[0].LastUsedAt == nil || time.Until(*tokens[0].LastUsedAt) < 30*time.Minute {
		t.Fatalf("the token's last use was not written: %+v %v", tokens, err)
	}
	var seen int
	if err := storetest.Raw(t, dsn).QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM sessions WHERE user_id = %d AND last_seen > created_at", ed.ID)).Scan(&seen); err != nil || seen == 0 {
		t.Fatalf("no session's last_seen was written: %d %v", seen, err)
	}
}
