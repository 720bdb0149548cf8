package models

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A document's structure lives in its body, as Markdown-like markers at the
// start of a line: "## " a heading (levels 2 to 4, since the page's title is
// the level-1 heading; "# " reads as level 2 and deeper levels as 4), "> "
// a block quote, "- " or "* " an item of a bulleted list, "1. " an item of
// a numbered list. Every other line is a paragraph; empty lines separate
// nothing more. The body stays the one text that anchors count in: an edit
// of the body carries its structure with it, and re-anchoring needs nothing
// new. A body without any marker (pasted text) has its evident headings
// found instead (EvidentHeading).

// BlockKind is what a line of a body is.
type BlockKind string

const (
	BlockParagraph BlockKind = "paragraph"
	BlockHeading   BlockKind = "heading"
	BlockQuote     BlockKind = "quote"
	BlockBullet    BlockKind = "bullet" // an item of a bulleted list
	BlockNumbered  BlockKind = "numbered"
)

// Block is one line of a body. Start and End are the line in code points,
// its marker included; TextStart is where its text begins after the marker
// (Start for a line without one). Level is a heading's level (2 to 4);
// Number a numbered item's number.
type Block struct {
	Kind      BlockKind `json:"kind"`
	Level     int       `json:"level,omitempty"`
	Number    int       `json:"number,omitempty"`
	Start     int       `json:"start"`
	TextStart int       `json:"text_start"`
	End       int       `json:"end"`
}

// Blocks cuts a body into its lines and says what each is. Empty lines are
// not blocks. Offsets count code points.
func Blocks(body string) []Block {
	var out []Block
	pos := 0
	marked := false
	for line := range strings.SplitSeq(body, "\n") {
		n := utf8.RuneCountInString(line)
		if strings.TrimSpace(line) != "" {
			b := lineBlock(line, pos, n)
			marked = marked || b.Kind != BlockParagraph
			out = append(out, b)
		}
		pos += n + 1
	}
	if marked {
		return out
	}
	lines := strings.Split(body, "\n")
	texts := make([]string, 0, len(out))
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			texts = append(texts, strings.TrimSpace(l))
		}
	}
	for i := range out {
		if i+1 < len(texts) && EvidentHeading(texts[i], texts[i+1]) {
			out[i].Kind, out[i].Level = BlockHeading, 2
		}
	}
	return out
}

func lineBlock(line string, start, n int) Block {
	b := Block{Kind: BlockParagraph, Start: start, TextStart: start, End: start + n}
	marker := func(k BlockKind, width int) Block {
		b.Kind, b.TextStart = k, start+width
		return b
	}
	if strings.HasPrefix(line, "#") {
		level := len(line) - len(strings.TrimLeft(line, "#"))
		if level <= 6 && strings.HasPrefix(line[level:], " ") && strings.TrimSpace(line[level:]) != "" {
			b = marker(BlockHeading, level+1)
			b.Level = min(max(level, 2), 4)
			return b
		}
	}
	switch {
	case strings.HasPrefix(line, "> ") && strings.TrimSpace(line[2:]) != "":
		return marker(BlockQuote, 2)
	case (strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ")) && strings.TrimSpace(line[2:]) != "":
		return marker(BlockBullet, 2)
	}
	digits := len(line) - len(strings.TrimLeft(line, "0123456789"))
	if digits > 0 && digits <= 4 && strings.HasPrefix(line[digits:], ". ") && strings.TrimSpace(line[digits+2:]) != "" {
		b = marker(BlockNumbered, digits+2)
		for _, d := range line[:digits] {
			b.Number = b.Number*10 + int(d-'0')
		}
		return b
	}
	return b
}

// EvidentHeading reports whether a line of pasted text, followed by next,
// reads as a subheading: short (at most 12 words and 100 characters), not
// ending as a sentence does (a question mark is allowed: "A Shared Future or
// a Shattered One?"), in title case (every word of four letters or more
// starts with a capital), and followed by a longer line. "From a Pakistani
// perspective, this is not just diplomatically offensive." is a sentence; "A
// Repeating Pattern of Betrayal" is a heading.
func EvidentHeading(line, next string) bool {
	words := strings.Fields(line)
	if len(words) < 2 || len(words) > 12 || utf8.RuneCountInString(line) > 100 {
		return false
	}
	if utf8.RuneCountInString(next) <= utf8.RuneCountInString(line) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(".,;:!…\"”’)]", last) {
		return false
	}
	for _, w := range words {
		w = strings.TrimLeftFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		first, _ := utf8.DecodeRuneInString(w)
		letters := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters >= 4 && unicode.IsLetter(first) && !unicode.IsUpper(first) {
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	return unicode.IsUpper(first) || unicode.IsDigit(first)
}
