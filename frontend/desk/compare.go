package desk

import "strings"

// excerptAbove is the length, in code points, past which a text in a
// conflict table is cut to where it differs: a whole document twice over
// would hide the few words that matter.
const excerptAbove = 600

// excerptContext is how many code points of the shared text stay on each
// side of the difference.
const excerptContext = 80

// CompareRow is a conflict row for two texts. Long texts that differ are cut
// to the stretch between their common beginning and common end, with some
// context and an ellipsis where text was left out.
func CompareRow(field, yours, theirs string) ConflictRow {
	a, b := []rune(yours), []rune(theirs)
	row := ConflictRow{Field: field, Yours: yours, Theirs: theirs, Differs: strings.TrimSpace(yours) != strings.TrimSpace(theirs)}
	if !row.Differs || (len(a) <= excerptAbove && len(b) <= excerptAbove) {
		return row
	}
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	cut := func(r []rune) string {
		from, to := max(0, head-excerptContext), min(len(r), len(r)-tail+excerptContext)
		var sb strings.Builder
		if from > 0 {
			sb.WriteString("…")
		}
		sb.WriteString(string(r[from:to]))
		if to < len(r) {
			sb.WriteString("…")
		}
		return sb.String()
	}
	row.Yours, row.Theirs, row.Excerpt = cut(a), cut(b), true
	return row
}
