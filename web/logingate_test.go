package web

import (
	"context"
	"testing"
	"time"
)

func TestLoginGateBrakesFloodsPerAddress(t *testing.T) {
	g := newLoginGate()
	for i := 0; i < loginGateBurst; i++ {
		if !g.Allow("192.0.2.1") {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if g.Allow("192.0.2.1") {
		t.Error("an attempt past the burst was allowed")
	}
	if !g.Allow("192.0.2.2") {
		t.Error("another address was braked")
	}
}

func TestLoginGateChecksOneAttemptOfAPairAtATime(t *testing.T) {
	g := newLoginGate()
	ctx := context.Background()
	const pair = "ed@example.org\x00192.0.2.1"
	if !g.claim(ctx, pair) {
		t.Fatal("the first attempt was refused")
	}
	if !g.claim(ctx, "ed@example.org\x00192.0.2.2") || !g.claim(ctx, "other@example.org\x00192.0.2.1") {
		t.Error("another pair was held up")
	}
	// A second attempt of the pair waits for the first to end.
	got := make(chan bool)
	go func() { got <- g.claim(ctx, pair) }()
	select {
	case <-got:
		t.Fatal("a second attempt of the pair was let in while the first was checked")
	case <-time.After(50 * time.Millisecond):
	}
	g.release(pair)
	if !<-got {
		t.Error("the waiting attempt was refused once the first ended")
	}
	// One that waits in vain gives up with its request.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if g.claim(short, pair) {
		t.Error("an attempt was let in while the pair was still being checked")
	}
}
