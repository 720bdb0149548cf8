package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// LoginLimits slow down whoever guesses passwords without locking out the
// owner of an account. Failures are counted per account and address (the
// pair): after FreeTries of them each further try of the pair must wait,
// one second after the next failure, then two, four, … up to MaxDelay,
// whatever the password (the right one included). An address that fails
// AddressFailures times within loginAddressWindow, against any accounts,
// waits until the oldest of them is out of the window. Nothing is counted
// per account alone, so no attacker can lock an owner out, and a sign-in
// from an address that has not failed is never refused. The counts live in
// the database, so every replica sees the same. The zero value means the
// defaults.
type LoginLimits struct {
	FreeTries       int           // failures of one pair before the delays start; 0: 5
	MaxDelay        time.Duration // the longest delay of a pair; 0: 15 minutes
	AddressFailures int           // failures of one address within 15 minutes; 0: 100
}

// Defaults of LoginLimits, and the windows they count in.
const (
	DefaultLoginFreeTries       = 5
	DefaultLoginMaxDelay        = 15 * time.Minute
	DefaultLoginAddressFailures = 100

	loginFirstDelay    = time.Second
	loginPairMemory    = 24 * time.Hour   // failures of a pair are forgotten after this long
	loginAddressWindow = 15 * time.Minute // the window of AddressFailures
)

func (l LoginLimits) withDefaults() LoginLimits {
	if l.FreeTries <= 0 {
		l.FreeTries = DefaultLoginFreeTries
	}
	if l.MaxDelay <= 0 {
		l.MaxDelay = DefaultLoginMaxDelay
	}
	if l.AddressFailures <= 0 {
		l.AddressFailures = DefaultLoginAddressFailures
	}
	return l
}

// pairDelay is how long a pair with fails failures waits after the last
// of them: nothing within FreeTries, then loginFirstDelay doubled with each
// further failure, at most MaxDelay.
func (l LoginLimits) pairDelay(fails int64) time.Duration {
	over := fails - int64(l.FreeTries)
	switch {
	case over < 0:
		return 0
	case over >= 30:
		return l.MaxDelay
	}
	return min(loginFirstDelay<<over, l.MaxDelay)
}

// login checks an email and password under the sign-in limits (see
// LoginLimits), refusing with rate_limited and a Retry-After header while
// the caller must wait. It does not start a session: see startSession.
func (s *Server) login(c *gin.Context, email, password string) (*models.User, error) {
	f := models.FieldErrors{}
	if strings.TrimSpace(email) == "" {
		f.Add("email", "is required")
	}
	if password == "" {
		f.Add("password", "is required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	addr := c.ClientIP()
	if !s.loginGate.allow(addr) {
		c.Header("Retry-After", strconv.Itoa(int(loginGateEvery/time.Second)))
		return nil, models.Errorf(models.ERATELIMITED, "too many sign-in attempts from this address at once: slow down and try again in a few seconds")
	}
	// One attempt of a pair at a time: its failure is recorded before the
	// next is counted, so concurrent guesses do not share one count.
	pair := strings.ToLower(strings.TrimSpace(email)) + "\x00" + addr
	if !s.loginGate.claim(ctx, pair) {
		c.Header("Retry-After", "1")
		return nil, models.Errorf(models.ERATELIMITED, "another sign-in to this account from this address is still being checked: try again in 1 second")
	}
	defer s.loginGate.release(pair)
	lim := s.cfg.LoginLimits.withDefaults()
	now := s.db.Now()
	fails, err := s.db.CountLoginFailures(ctx, email, addr, now.Add(-loginPairMemory), now.Add(-loginAddressWindow))
	if err != nil {
		return nil, err
	}
	var until time.Time
	why := "too many failed sign-ins to this account from this address"
	if d := lim.pairDelay(fails.Pair); d > 0 {
		until = fails.LastPair.Add(d)
	}
	if fails.Address >= int64(lim.AddressFailures) {
		if t := fails.OldestAddress.Add(loginAddressWindow); t.After(until) {
			until, why = t, "too many failed sign-ins from this address"
		}
	}
	if wait := until.Sub(now); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		return nil, models.Errorf(models.ERATELIMITED, "%s: try again in %s", why, waitLabel(secs))
	}
	u, err := s.db.Authenticate(ctx, email, password)
	if err != nil {
		if models.ErrorCode(err) == models.EUNAUTHORIZED {
			if rerr := s.db.RecordLoginFailure(ctx, email, addr, max(loginPairMemory, loginAddressWindow)); rerr != nil {
				return nil, rerr
			}
		}
		return nil, err
	}
	if err := s.db.ClearLoginFailures(ctx, email, addr); err != nil {
		return nil, err
	}
	return u, nil
}

func waitLabel(secs int) string {
	switch {
	case secs == 1:
		return "1 second"
	case secs < 90:
		return strconv.Itoa(secs) + " seconds"
	}
	return strconv.Itoa((secs+59)/60) + " minutes"
}
