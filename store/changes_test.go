package store_test

import (
	"context"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store/storetest"
)

// A write through another handle (another replica, another process) moves
// this handle's generation, so a cache that skips queries while it stands
// still never keeps a stale page.
func TestGenerationMovesOnEveryWriteAnywhere(t *testing.T) {
	dsn := storetest.DSN(t)
	here, there := storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	tracked := func() uint64 {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if gen, ok := here.Generation(); ok {
				return gen
			}
			if time.Now().After(deadline) {
				t.Fatal("changes are never tracked")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	moved := func(from uint64, what string) uint64 {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			gen, ok := here.Generation()
			if ok && gen != from {
				return gen
			}
			if time.Now().After(deadline) {
				t.Fatalf("generation did not move after %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	gen := tracked()
	if again, _ := here.Generation(); again != gen {
		t.Fatal("generation moved with no write")
	}
	ed := storetest.User(t, here, "ed@example.org", models.RoleEditor)
	c := &models.Claim{Text: "Exports fell by 12 percent in 2024."}
	if err := here.CreateClaim(ctx, c, ed); err != nil {
		t.Fatal(err)
	}
	gen = moved(gen, "a write through this handle")
	text := "Exports fell by 13 percent in 2024."
	if _, err := there.UpdateClaim(ctx, c.ID, models.ClaimUpdate{Version: c.Version, Text: &text}, ed); err != nil {
		t.Fatal(err)
	}
	moved(gen, "a write through another handle")
}
