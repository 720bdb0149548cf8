package frontend

import (
	"reflect"
	"strings"
	"testing"

	"factdesk/models"
)

// claimAt anchors a claim on the first occurrence of quote in body.
func claimAt(t *testing.T, id int64, body, quote string, s models.Status) models.Claim {
	t.Helper()
	a, ok := models.QuoteAnchor(body, quote)
	if !ok {
		t.Fatalf("%q not in body", quote)
	}
	return models.Claim{ID: id, Anchor: a, Text: quote, Status: s, Rating: models.RatingFalse}
}

// marked returns, per claim, the text of the runs that link to it.
func marked(ps []Paragraph) map[int64]string {
	out := map[int64]string{}
	for _, p := range ps {
		for _, s := range p.Segments {
			if s.Claim != nil {
				out[s.Claim.ID] += s.Text
			}
		}
	}
	return out
}

func TestAnnotate(t *testing.T) {
	body := "Moscow’s warning about “23,000 terrorists” is naïve.\nIt’s the “safe havens” that matter, they say."
	tests := []struct {
		name   string
		claims func(t *testing.T) []models.Claim
		want   map[int64]string
	}{
		{"CurlyQuotes", func(t *testing.T) []models.Claim {
			return []models.Claim{claimAt(t, 1, body, "“23,000 terrorists”", models.StatusPublished)}
		}, map[int64]string{1: "“23,000 terrorists”"}},
		{"AfterNonASCII", func(t *testing.T) []models.Claim {
			return []models.Claim{claimAt(t, 1, body, "is naïve", models.StatusOpen), claimAt(t, 2, body, "safe havens", models.StatusPublished)}
		}, map[int64]string{1: "is naïve", 2: "safe havens"}},
		{"Nested", func(t *testing.T) []models.Claim {
			return []models.Claim{claimAt(t, 1, body, "Moscow’s warning about “23,000 terrorists”", models.StatusPublished), claimAt(t, 2, body, "23,000", models.StatusOpen)}
		}, map[int64]string{1: "Moscow’s warning about “ terrorists”", 2: "23,000"}},
		{"Overlapping", func(t *testing.T) []models.Claim {
			return []models.Claim{claimAt(t, 1, body, "warning about “23,000", models.StatusPublished), claimAt(t, 2, body, "23,000 terrorists”", models.StatusOpen)}
		}, map[int64]string{1: "warning about “", 2: "23,000 terrorists”"}},
		{"AcrossALineBreak", func(t *testing.T) []models.Claim {
			return []models.Claim{claimAt(t, 1, body, "naïve.\nIt’s", models.StatusPublished)}
		}, map[int64]string{1: "naïve.It’s"}},
		{"StaleAnchorIsNotMarked", func(t *testing.T) []models.Claim {
			c := claimAt(t, 1, body, "safe havens", models.StatusPublished)
			c.Exact = "something else"
			o := claimAt(t, 2, body, "they say", models.StatusPublished)
			o.Orphaned = true
			return []models.Claim{c, o}
		}, map[int64]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Annotate(&defaultScale, body, tt.claims(t))
			got := marked(ps)
			if len(got) != len(tt.want) {
				t.Errorf("marked %v, want %v", got, tt.want)
			}
			for id, w := range tt.want {
				if got[id] != w {
					t.Errorf("claim %d marks %q, want %q", id, got[id], w)
				}
			}
			// The text itself is never changed by marking.
			var all []string
			for _, p := range ps {
				var b strings.Builder
				for _, s := range p.Segments {
					b.WriteString(s.Text)
				}
				all = append(all, b.String())
			}
			if strings.Join(all, "\n") != body {
				t.Errorf("paragraphs read %q, want the body", strings.Join(all, "\n"))
			}
		})
	}
}

func TestAnnotateTargetsAndTags(t *testing.T) {
	body := "One claim here, and another one there."
	c1, c2 := claimAt(t, 7, body, "One claim here", models.StatusPublished), claimAt(t, 8, body, "another one", models.StatusInReview)
	ps := Annotate(&defaultScale, body, []models.Claim{c1, c2})
	var starts []int64
	tags := map[int64]string{}
	for _, s := range ps[0].Segments {
		starts = append(starts, s.Starts...)
		if s.Tag {
			tags[s.Claim.ID] = s.Verdict.Label()
		}
	}
	if len(starts) != 2 || starts[0] != 7 || starts[1] != 8 {
		t.Errorf("targets %v, want [7 8]", starts)
	}
	// An in-review claim has a rating in the database; readers never see it.
	if tags[7] != "False" || tags[8] != "Being checked" {
		t.Errorf("labels %v", tags)
	}
}

func TestSnippetParts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []SnippetPart
	}{
		{"a <b> \ue00023,000\ue001 & \ue000“x”\ue001", []SnippetPart{{Text: "a <b> "}, {Text: "23,000", Mark: true}, {Text: " & "}, {Text: "“x”", Mark: true}}},
		{"\ue001stray \ue000open", []SnippetPart{{Text: "stray "}, {Text: "open", Mark: true}}},
		{"plain", []SnippetPart{{Text: "plain"}}},
		{"", nil},
	} {
		if got := SnippetParts(tc.in, "\ue000", "\ue001"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SnippetParts(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestAnnotateBlocks: markers are not text of the page, blocks group into
// their elements, and a claim across two blocks is marked in both with its
// label after its last words.
func TestAnnotateBlocks(t *testing.T) {
	body := "## A Heading\nFirst para ends here.\n> Quoted “words”.\n> More.\n- one\n- two\n2. two\nLast."
	c := claimAt(t, 3, body, "ends here.\n> Quoted", models.StatusPublished)
	ps := Annotate(&defaultScale, body, []models.Claim{c})
	var kinds []string
	var texts []string
	tags := 0
	for _, s := range Sections(ps) {
		kinds = append(kinds, string(s.Kind))
		for _, p := range s.Items {
			var b strings.Builder
			for _, seg := range p.Segments {
				b.WriteString(seg.Text)
				if seg.Tag {
					tags++
					if !strings.HasSuffix(b.String(), "Quoted") {
						t.Errorf("label after %q, want after the claim's last word", b.String())
					}
				}
			}
			texts = append(texts, b.String())
		}
	}
	wantKinds := []string{"heading", "paragraph", "quote", "bullet", "numbered", "paragraph"}
	wantTexts := []string{"A Heading", "First para ends here.", "Quoted “words”.", "More.", "one", "two", "two", "Last."}
	if !reflect.DeepEqual(kinds, wantKinds) || !reflect.DeepEqual(texts, wantTexts) {
		t.Errorf("sections %v %q\nwant %v %q", kinds, texts, wantKinds, wantTexts)
	}
	if got := marked(ps)[3]; got != "ends here.Quoted" {
		t.Errorf("claim marks %q", got)
	}
	if tags != 1 {
		t.Errorf("%d labels, want 1", tags)
	}
}

var defaultScale = models.DefaultScale()
