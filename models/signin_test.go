package models

import (
	"testing"
	"time"
)

func TestSignInLimitsUntil(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	l := SignInLimits{}.WithDefaults()
	tests := []struct {
		name string
		f    SignInFailures
		want time.Duration // after now; 0: may try now
	}{
		{"no failure", SignInFailures{}, 0},
		// Five failures are free: the try after the fifth waits a second.
		{"four failures", SignInFailures{Pair: 4, LastPair: now}, 0},
		{"five failures", SignInFailures{Pair: 5, LastPair: now}, time.Second},
		{"seven failures", SignInFailures{Pair: 7, LastPair: now}, 4 * time.Second},
		{"capped at the longest delay", SignInFailures{Pair: 60, LastPair: now}, 15 * time.Minute},
		{"the address's ceiling", SignInFailures{Address: 100, OldestAddress: now.Add(-5 * time.Minute)}, 10 * time.Minute},
		{"under the ceiling", SignInFailures{Address: 99, OldestAddress: now}, 0},
		{"the later of the two", SignInFailures{Pair: 6, LastPair: now, Address: 100, OldestAddress: now}, 15 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			until, why := l.Until(tt.f)
			got := max(until.Sub(now), 0)
			if got != tt.want || (got > 0) != (why != "") {
				t.Errorf("Until(%+v) = %s (%q), want %s", tt.f, got, why, tt.want)
			}
		})
	}
}
