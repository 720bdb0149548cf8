package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// SignIn checks an email and password under the sign-in limits (see
// models.SignInLimits), refusing with rate_limited and a Retry-After header while
// the caller must wait. It does not start a session: see startSession.
func (s *Server) SignIn(c *gin.Context, email, password string) (*models.User, error) {
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
	if !s.loginGate.Allow(addr) {
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
	now := s.DB.Now()
	fails, err := s.DB.CountLoginFailures(ctx, email, addr, now.Add(-models.SignInPairMemory), now.Add(-models.SignInAddressWindow))
	if err != nil {
		return nil, err
	}
	until, why := s.Config.LoginLimits.WithDefaults().Until(fails)
	if wait := until.Sub(now); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		return nil, models.Errorf(models.ERATELIMITED, "%s: try again in %s", why, waitLabel(secs))
	}
	u, err := s.DB.Authenticate(ctx, email, password)
	if err != nil {
		if models.ErrorCode(err) == models.EUNAUTHORIZED {
			if rerr := s.DB.RecordLoginFailure(ctx, email, addr, max(models.SignInPairMemory, models.SignInAddressWindow)); rerr != nil {
				return nil, rerr
			}
		}
		return nil, err
	}
	if err := s.DB.ClearLoginFailures(ctx, email, addr); err != nil {
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
