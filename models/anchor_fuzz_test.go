package models

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNewAnchor: on any text and any span, NewAnchor either refuses with an
// invalid error or returns the quote at exactly those code points, with at
// most QuoteContext code points of context each side, all of it taken from
// the body in order; and RuneOffsets finds the same words by bytes.
func FuzzNewAnchor(f *testing.F) {
	f.Add("The army counted 23,000 fighters.", 4, 8)
	f.Add("naïve “curly” quotes — and emoji 🇵🇰 here", 0, 5)
	f.Add("日本語のテキスト", 2, 4)
	f.Add("", 0, 0)
	f.Add("abc", 2, 1)
	f.Add("abc", -1, 2)
	f.Add("a\x00b\xffc", 1, 4)
	f.Add(strings.Repeat("x", 100), 40, 60)
	f.Fuzz(func(t *testing.T, body string, start, end int) {
		a, err := NewAnchor(body, start, end)
		runes := []rune(body)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("NewAnchor(%q, %d, %d): error %v is not invalid", body, start, end, err)
			}
			if start >= 0 && end <= len(runes) && start < end {
				t.Fatalf("NewAnchor refused a good span [%d,%d) of %d code points: %v", start, end, len(runes), err)
			}
			return
		}
		if start < 0 || end > len(runes) || end <= start {
			t.Fatalf("NewAnchor accepted a bad span [%d,%d) of %d code points", start, end, len(runes))
		}
		if a.Start != start || a.End != end {
			t.Fatalf("anchor moved: got [%d,%d), want [%d,%d)", a.Start, a.End, start, end)
		}
		if a.Exact != string(runes[start:end]) {
			t.Fatalf("exact %q is not the span", a.Exact)
		}
		if n := utf8.RuneCountInString(a.Prefix); n > QuoteContext || n != min(QuoteContext, start) {
			t.Fatalf("prefix has %d code points", n)
		}
		if n := utf8.RuneCountInString(a.Suffix); n > QuoteContext || n != min(QuoteContext, len(runes)-end) {
			t.Fatalf("suffix has %d code points", n)
		}
		whole := []rune(a.Prefix + a.Exact + a.Suffix)
		from := start - len([]rune(a.Prefix))
		if string(runes[from:from+len(whole)]) != string(whole) {
			t.Fatalf("prefix+exact+suffix is not the body around the span")
		}
		// Byte offsets, for Go code that slices the body, agree when the
		// body is valid UTF-8 (invalid bytes each count as one code point
		// but decode to U+FFFD, so no byte slice can equal them).
		if utf8.ValidString(body) {
			b := RuneOffsets(body, start, end)
			if body[b[0]:b[1]] != a.Exact {
				t.Fatalf("RuneOffsets slice %q, want %q", body[b[0]:b[1]], a.Exact)
			}
		}
	})
}
