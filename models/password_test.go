package models_test

import (
	"strings"
	"testing"

	"factdesk/models"
)

func TestValidatePassword(t *testing.T) {
	const email = "amina.khan@newsroom.example"
	tests := []struct {
		name, password string
		wantErr        string // a word of fields.password; "" for accepted
	}{
		{"OK", "correct horse battery staple", ""},
		{"OKTwelveCharacters", "tq7-vex-mole", ""},
		{"OKNonASCII", "naïve café 2024 ünïcödé", ""},
		{"OKTwelveRunesMoreBytes", "ñññññññññññx", ""},
		{"OKCommonWordInAPassphrase", "monkey on a blue tandem bicycle", ""},
		{"OKShortLocalPartInside", "my desk password is long", ""},
		{"ErrShort", "elevenchars", "at least 12"},
		{"ErrElevenRunes", "ñññññññññññ", "at least 12"},
		{"ErrTooLong", strings.Repeat("long words ", 7), "72 bytes"},
		{"ErrInvalidUTF8", "twelve bytes\xff here", "UTF-8"},
		{"ErrTwelveSpaces", "            ", "spaces"},
		{"ErrTabsAndSpaces", " \t \t \t \t \t \t", "spaces"},
		{"ErrOneCharacter", "aaaaaaaaaaaa", "repeated"},
		{"ErrOneCharacterAnyCase", "AAAAAAaaaaaa", "repeated"},
		{"ErrOneDigit", "111111111111", "repeated"},
		{"ErrGroupRepeated", "abcabcabcabc", "repeated"},
		{"ErrPairRepeated", "12121212121212", "repeated"},
		{"ErrRun", "abcdefghijklm", "consecutive"},
		{"ErrDigitRun", "123456789012", "consecutive"},
		{"ErrDownRun", "987654321098", "consecutive"},
		{"ErrCommon", "password1234", "common"},
		{"ErrCommonAnyCase", "PassWord1234", "common"},
		{"ErrCommonSpaced", "pass word 1234", "common"},
		{"ErrCommonKeyboard", "qwertyuiop123", "common"},
		{"ErrCommonWithDigits", "sunshine2024!", "common"},
		{"ErrCommonWithSymbolsBothEnds", "!!dragon1234!!", "common"},
		{"ErrEmail", email, "email"},
		{"ErrEmailInside", "my " + email + " pw", "email"},
		{"ErrEmailAnyCase", "Amina.Khan@Newsroom.example", "email"},
		{"ErrLocalPart", "amina.khan!!", "email"},
		{"ErrLocalPartInside", "I am amina.khan, 2025", "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := models.ValidatePassword(tt.password, email)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("%q refused: %v", tt.password, err)
				}
				return
			}
			if models.ErrorCode(err) != models.EINVALID {
				t.Fatalf("%q: error %v, want %s", tt.password, err, models.EINVALID)
			}
			if got := models.ErrorFields(err)["password"]; !strings.Contains(got, tt.wantErr) {
				t.Errorf("%q: fields.password %q, want it to mention %q", tt.password, got, tt.wantErr)
			}
		})
	}
	// Without an email (a check before the account is known) the rest holds.
	if err := models.ValidatePassword("password1234", ""); err == nil {
		t.Error("a common password passed without an email")
	}
}
