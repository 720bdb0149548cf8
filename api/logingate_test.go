package api

import "testing"

func TestLoginGateBrakesFloodsPerAddress(t *testing.T) {
	g := newLoginGate()
	for i := 0; i < loginGateBurst; i++ {
		if !g.allow("192.0.2.1") {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if g.allow("192.0.2.1") {
		t.Error("an attempt past the burst was allowed")
	}
	if !g.allow("192.0.2.2") {
		t.Error("another address was braked")
	}
}
