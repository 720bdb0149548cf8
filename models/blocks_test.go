package models_test

import (
	"os"
	"reflect"
	"testing"

	"factdesk/models"
)

func TestBlocks(t *testing.T) {
	type line struct {
		kind   models.BlockKind
		level  int
		number int
		text   string
	}
	tests := []struct {
		name string
		body string
		want []line
	}{
		{"Markers", "## Héading\nA paragraph.\n> A “quote”.\n- one\n* two\n12. twelve\n### Deeper\n#### Deepest\n##### Past four", []line{
			{models.BlockHeading, 2, 0, "Héading"}, {models.BlockParagraph, 0, 0, "A paragraph."}, {models.BlockQuote, 0, 0, "A “quote”."},
			{models.BlockBullet, 0, 0, "one"}, {models.BlockBullet, 0, 0, "two"}, {models.BlockNumbered, 0, 12, "twelve"},
			{models.BlockHeading, 3, 0, "Deeper"}, {models.BlockHeading, 4, 0, "Deepest"}, {models.BlockHeading, 4, 0, "Past four"},
		}},
		{"NotMarkers", "#hashtag and more\n-5 degrees\n1.5 million\n>no space", []line{
			{models.BlockParagraph, 0, 0, "#hashtag and more"}, {models.BlockParagraph, 0, 0, "-5 degrees"},
			{models.BlockParagraph, 0, 0, "1.5 million"}, {models.BlockParagraph, 0, 0, ">no space"},
		}},
		{"EmptyLinesAreNoBlocks", "\n\nOne.\n\n\nTwo.\n", []line{{models.BlockParagraph, 0, 0, "One."}, {models.BlockParagraph, 0, 0, "Two."}}},
		{"EvidentHeadingInPastedText", "A Repeating Pattern of Betrayal\nPakistan’s relationship with Afghanistan has always been marked by betrayal.\nLooking Ahead: A Shared Future or a Shattered One?\nPakistan and Afghanistan share more than a border, they share history.", []line{
			{models.BlockHeading, 2, 0, "A Repeating Pattern of Betrayal"}, {models.BlockParagraph, 0, 0, "Pakistan’s relationship with Afghanistan has always been marked by betrayal."},
			{models.BlockHeading, 2, 0, "Looking Ahead: A Shared Future or a Shattered One?"}, {models.BlockParagraph, 0, 0, "Pakistan and Afghanistan share more than a border, they share history."},
		}},
		{"NoEvidentHeadingWhenMarked", "A Repeating Pattern of Betrayal\n## Marked\nPakistan’s relationship with Afghanistan has always been marked by betrayal.", []line{
			{models.BlockParagraph, 0, 0, "A Repeating Pattern of Betrayal"}, {models.BlockHeading, 2, 0, "Marked"},
			{models.BlockParagraph, 0, 0, "Pakistan’s relationship with Afghanistan has always been marked by betrayal."},
		}},
		{"SentencesAreNotHeadings", "It raises critical questions about everything?\nFrom a Pakistani perspective, this is alarming.\nThe clock is ticking\nshort", []line{
			{models.BlockParagraph, 0, 0, "It raises critical questions about everything?"}, {models.BlockParagraph, 0, 0, "From a Pakistani perspective, this is alarming."},
			{models.BlockParagraph, 0, 0, "The clock is ticking"}, {models.BlockParagraph, 0, 0, "short"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runes := []rune(tc.body)
			var got []line
			for _, b := range models.Blocks(tc.body) {
				if b.Start > b.TextStart || b.TextStart > b.End || b.End > len(runes) {
					t.Fatalf("block %+v out of order or past the body", b)
				}
				got = append(got, line{b.Kind, b.Level, b.Number, string(runes[b.TextStart:b.End])})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestBlocksDemo: the demo op-ed's subheadings, and only they, are headings.
func TestBlocksDemo(t *testing.T) {
	body, err := os.ReadFile("../demo/oped-pakistan-afghanistan.txt")
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(string(body))
	var got []string
	for _, b := range models.Blocks(string(body)) {
		if b.Kind == models.BlockHeading {
			got = append(got, string(runes[b.TextStart:b.End]))
		}
	}
	want := []string{"A Repeating Pattern of Betrayal", "Global Forums, Zero Accountability", "India’s Growing Footprint, and Its Implications",
		"Tribal Resistance and the Fight Within", "The Human Cost of Insecurity", "Looking Ahead: A Shared Future or a Shattered One?"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("headings %q\nwant %q", got, want)
	}
}
