package models

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
)

// MinPasswordLength is the shortest password accepted, in characters
// (Unicode code points), as NIST SP 800-63B asks of a password chosen by
// its user.
const MinPasswordLength = 12

// maxPasswordBytes is what bcrypt reads; a longer password would be cut
// without a word.
const maxPasswordBytes = 72

// ValidatePassword checks a new password for the account with email against
// the policy of NIST SP 800-63B: at least 12 characters and no rule on what
// kinds of character it holds, but refused when it is one of the common
// passwords that attackers try first (the 30,000 most common passwords of
// leaked password lists, as zxcvbn ships them, compared without regard to
// case, spaces, or a few digits and symbols added at either end), one character or
// a short group of characters repeated, a run such as "abcdefghijkl", or
// the account's email or the part of it before the @. A rejection is
// EINVALID with the reason under the field "password".
func ValidatePassword(password, email string) error {
	if msg := passwordProblem(password, email); msg != "" {
		return &Error{Code: EINVALID, Message: "the password is not accepted", Fields: map[string]string{"password": msg}}
	}
	return nil
}

func passwordProblem(password, email string) string {
	switch {
	case !utf8.ValidString(password):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return "must be at least 12 characters"
	case len(password) > maxPasswordBytes:
		return "must be at most 72 bytes"
	case strings.TrimSpace(password) == "":
		return "must not be only spaces"
	}
	lower := strings.ToLower(password)
	switch {
	case repeated(lower):
		return "must not be one character, or a few, repeated"
	case sequential(lower):
		return "must not be a run of consecutive characters such as abcdef or 123456"
	case isCommon(lower):
		return "is one of the most common passwords, which attackers try first: choose another (a few unrelated words make a good one)"
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		local, _, _ := strings.Cut(email, "@")
		if strings.Contains(lower, email) || lower == local || (utf8.RuneCountInString(local) >= 3 && strings.Contains(lower, local)) {
			return "must not contain your email address or the name before its @"
		}
	}
	return ""
}

// repeated reports whether s is a group of one to four characters said
// again and again, as in "aaaaaaaaaaaa" or "abcabcabcabc".
func repeated(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= 4 && unit < len(r); unit++ {
		if len(r)%unit != 0 {
			continue
		}
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i-unit]
		}
		if same {
			return true
		}
	}
	return false
}

// sequential reports whether every character of s follows the one before
// it up or down by one, as in "abcdefghijkl" or "987654321098" (digits
// wrap around).
func sequential(s string) bool {
	r := []rune(s)
	for _, step := range []rune{1, -1} {
		run := true
		for i := 1; i < len(r) && run; i++ {
			next := r[i-1] + step
			if unicode.IsDigit(r[i-1]) && r[i-1] < utf8.RuneSelf {
				next = '0' + (r[i-1]-'0'+step+10)%10
			}
			run = r[i] == next
		}
		if run {
			return true
		}
	}
	return false
}

// commonPasswords is the set of the most common passwords, lower-cased.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	set := make(map[string]struct{}, len(list))
	for _, p := range list {
		set[strings.ToLower(p)] = struct{}{}
	}
	return set
})

// isCommon reports whether lower (a lower-cased password) is a common
// password, perhaps with its spaces taken out or with up to eight digits
// and symbols added at either end ("password1234", "!!monkey2024!!").
func isCommon(lower string) bool {
	set := commonPasswords()
	candidates := []string{lower, strings.Join(strings.Fields(lower), "")}
	core := strings.TrimFunc(candidates[1], func(r rune) bool { return !unicode.IsLetter(r) })
	if n := utf8.RuneCountInString(core); n >= 4 && utf8.RuneCountInString(candidates[1])-n <= 8 {
		candidates = append(candidates, core)
	}
	for _, c := range candidates {
		if _, ok := set[c]; ok {
			return true
		}
	}
	return false
}
