package web

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A request never gets the answer of a read that started before it came,
// and the requests that come during one read share the next.
func TestCoalescerNeverAnswersFromAnOlderRead(t *testing.T) {
	co := newCoalescer[int64]()
	var state, reads atomic.Int64
	state.Store(1)
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	read := func(context.Context) (int64, error) {
		reads.Add(1)
		v := state.Load()
		started <- struct{}{}
		<-release
		return v, nil
	}
	ctx := context.Background()
	first := make(chan int64)
	go func() {
		v, _ := co.do(ctx, "k", read)
		first <- v
	}()
	<-started // the first read has seen state 1
	state.Store(2)
	var wg sync.WaitGroup
	later := make([]int64, 20)
	for i := range later {
		wg.Add(1)
		go func() {
			defer wg.Done()
			later[i], _ = co.do(ctx, "k", read)
		}()
	}
	// The 20 are queued behind the first read before it ends.
	for queued := 0; queued < len(later); time.Sleep(time.Millisecond) {
		co.mu.Lock()
		if next := co.running["k"].next; next != nil {
			queued = next.waiting
		}
		co.mu.Unlock()
	}
	close(release)
	if v := <-first; v != 1 {
		t.Errorf("first read = %d, want 1", v)
	}
	wg.Wait()
	for i, v := range later {
		if v != 2 {
			t.Errorf("request %d, arrived after the edit, got state %d", i, v)
		}
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("%d reads for 21 requests, want 2 (one shared by the 20)", n)
	}
	if len(co.running) != 0 {
		t.Errorf("%d rounds left running", len(co.running))
	}
}
