package models

import "time"

// SignInLimits slow down whoever guesses passwords without locking out the
// owner of an account. Failures are counted per account and address (the
// pair): after FreeTries of them each further try of the pair must wait,
// one second after the next failure, then two, four, … up to MaxDelay,
// whatever the password (the right one included). An address that fails
// AddressFailures times within SignInAddressWindow, against any accounts,
// waits until the oldest of them is out of the window. Nothing is counted
// per account alone, so no attacker can lock an owner out, and a sign-in
// from an address that has not failed is never refused. The zero value
// means the defaults.
type SignInLimits struct {
	FreeTries       int           // failures of one pair before the delays start; 0: 5
	MaxDelay        time.Duration // the longest delay of a pair; 0: 15 minutes
	AddressFailures int           // failures of one address within 15 minutes; 0: 100
}

// Defaults of SignInLimits, and the windows they count in.
const (
	DefaultSignInFreeTries       = 5
	DefaultSignInMaxDelay        = 15 * time.Minute
	DefaultSignInAddressFailures = 100

	signInFirstDelay = time.Second
	// SignInPairMemory is how long the failures of a pair are remembered.
	SignInPairMemory = 24 * time.Hour
	// SignInAddressWindow is the window of AddressFailures.
	SignInAddressWindow = 15 * time.Minute
)

// WithDefaults fills the limits left at zero.
func (l SignInLimits) WithDefaults() SignInLimits {
	if l.FreeTries <= 0 {
		l.FreeTries = DefaultSignInFreeTries
	}
	if l.MaxDelay <= 0 {
		l.MaxDelay = DefaultSignInMaxDelay
	}
	if l.AddressFailures <= 0 {
		l.AddressFailures = DefaultSignInAddressFailures
	}
	return l
}

// PairDelay is how long a pair with fails failures waits after the last
// of them: nothing within FreeTries, then one second doubled with each
// further failure, at most MaxDelay.
func (l SignInLimits) PairDelay(fails int64) time.Duration {
	over := fails - int64(l.FreeTries)
	switch {
	case over < 0:
		return 0
	case over >= 30:
		return l.MaxDelay
	}
	return min(signInFirstDelay<<over, l.MaxDelay)
}

// SignInFailures are the failed sign-ins the limits count: of the pair
// within SignInPairMemory (with the last), of the address within
// SignInAddressWindow (with the oldest).
type SignInFailures struct {
	Pair          int64
	LastPair      time.Time
	Address       int64
	OldestAddress time.Time
}

// Until is when a sign-in with these failures may be tried, and why it
// must wait; a zero time means now.
func (l SignInLimits) Until(f SignInFailures) (until time.Time, why string) {
	if d := l.PairDelay(f.Pair); d > 0 {
		until, why = f.LastPair.Add(d), "too many failed sign-ins to this account from this address"
	}
	if f.Address >= int64(l.AddressFailures) {
		if t := f.OldestAddress.Add(SignInAddressWindow); t.After(until) {
			until, why = t, "too many failed sign-ins from this address"
		}
	}
	return until, why
}
