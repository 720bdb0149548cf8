package frontend

import (
	"strings"
	"testing"
)

// TestSearchSnippetEscaped renders a snippet through the search template:
// the matched words in <mark>, everything else escaped, markup included.
func TestSearchSnippetEscaped(t *testing.T) {
	r, err := New(Site{BaseURL: "https://example.org"})
	if err != nil {
		t.Fatal(err)
	}
	hit := SearchHit{Kind: "claim", Path: "/verdicts/1-x", Title: "x",
		Snippet: SnippetParts("a <b> \ue00023,000\ue001 & \ue000<i>x</i>\ue001", "\ue000", "\ue001")}
	out, err := r.Search(SearchPage{Query: "23,000", Hits: []SearchHit{hit}, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := `<p class="snippet">a &lt;b&gt; <mark>23,000</mark> &amp; <mark>&lt;i&gt;x&lt;/i&gt;</mark></p>`
	if !strings.Contains(string(out), want) {
		t.Errorf("search page lacks %s", want)
	}
}
