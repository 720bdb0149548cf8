package server_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"factdesk/frontend"
	"factdesk/models"
)

type readerAtom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Entries []struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
		Summary string `xml:"summary"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

type readerClaimReviewFeed struct {
	Context  string           `json:"@context"`
	Type     string           `json:"@type"`
	Elements []map[string]any `json:"dataFeedElement"`
}

func TestReaderFeeds(t *testing.T) {
	f := newReaderFixture(t)
	verdictURL := f.url + frontend.VerdictPath(f.verdict)

	t.Run("Atom", func(t *testing.T) {
		resp, body := f.get(t, "/feeds/verdicts.atom")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var feed readerAtom
		if err := xml.Unmarshal([]byte(body), &feed); err != nil {
			t.Fatalf("the Atom feed does not parse: %v", err)
		}
		if feed.ID == "" || feed.Updated == "" || len(feed.Entries) != 1 {
			t.Fatalf("feed id %q, updated %q, %d entries, want 1 (only published verdicts)", feed.ID, feed.Updated, len(feed.Entries))
		}
		e := feed.Entries[0]
		if e.Link.Href != verdictURL || e.ID != verdictURL || e.Category.Term != "mostly_false" || e.Title != "Mostly false: "+f.verdict.Text || e.Published == "" {
			t.Errorf("entry %+v", e)
		}
		if !strings.Contains(e.Content, "<strong>not supported</strong>") {
			t.Errorf("the entry's content is not the explanation as HTML: %q", e.Content)
		}
	})
	t.Run("ClaimReview", func(t *testing.T) {
		var feed readerClaimReviewFeed
		if err := json.Unmarshal([]byte(f.mustGet(t, "/feeds/claimreview.json", http.StatusOK)), &feed); err != nil {
			t.Fatal(err)
		}
		if feed.Context != "https://schema.org" || feed.Type != "DataFeed" || len(feed.Elements) != 1 {
			t.Fatalf("feed %+v", feed)
		}
		cr := feed.Elements[0]
		if cr["@type"] != "ClaimReview" || cr["url"] != verdictURL || cr["claimReviewed"] != f.verdict.Text {
			t.Errorf("element %v", cr)
		}
		// The same object as on the page, less the context given once.
		page := readerJSONLD(t, f.mustGet(t, frontend.VerdictPath(f.verdict), http.StatusOK))[0]
		delete(page, "@context")
		a, _ := json.Marshal(page)
		b, _ := json.Marshal(cr)
		if string(a) != string(b) {
			t.Errorf("the feed's ClaimReview differs from the page's:\n%s\n%s", b, a)
		}
	})
	t.Run("Sitemap", func(t *testing.T) {
		var set struct {
			XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
			URLs    []struct {
				Loc     string `xml:"loc"`
				LastMod string `xml:"lastmod"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(f.mustGet(t, "/sitemap.xml", http.StatusOK)), &set); err != nil {
			t.Fatal(err)
		}
		locs := map[string]bool{}
		for _, u := range set.URLs {
			locs[u.Loc] = true
		}
		// Of the 16 listed claims one is published: its page is listed with
		// the home page, the team page and the document; the 15 being checked
		// wait for their verdict (their pages carry noindex), candidates are
		// not public.
		if !locs[f.url+"/"] || !locs[f.url+"/team"] || !locs[verdictURL] || !locs[f.url+frontend.DocumentPath(f.doc.ID)] || len(set.URLs) != 4 {
			t.Errorf("%d URLs: %v", len(set.URLs), locs)
		}
	})
	t.Run("Robots", func(t *testing.T) {
		body := f.mustGet(t, "/robots.txt", http.StatusOK)
		for _, want := range []string{"User-agent: *", "Disallow: /desk/", "Disallow: /api/", "Sitemap: " + f.url + "/sitemap.xml"} {
			if !strings.Contains(body, want) {
				t.Errorf("robots.txt lacks %q", want)
			}
		}
	})
}

// A claim whose text is markup renders as text everywhere.
func TestReaderInertText(t *testing.T) {
	f := newReaderFixture(t)
	ctx := context.Background()
	nasty := `The minister said <script>alert("x")</script> and 'it’s' "safe" & </script><b>bold</b>`
	doc := &models.Document{Title: `<img src=x onerror=alert(1)> “Report”`, Body: "Intro. " + nasty + " Outro."}
	if err := f.db.CreateDocument(ctx, doc, []models.Claim{{Anchor: models.Anchor{Start: 7, End: 7 + len([]rune(nasty))}, Claimant: `<i>Someone</i> "quoted"`, Kind: models.KindQuote}}, f.ed1); err != nil {
		t.Fatal(err)
	}
	page, err := f.db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}})
	if err != nil || len(page.Claims) != 1 || page.Claims[0].Text != nasty {
		t.Fatalf("claim: %v %v", page.Claims, err)
	}
	c := f.publish(t, page.Claims[0].ID, models.RatingFalse, "<script>alert(2)</script> See [this](javascript:alert(3)) and <img src=x onerror=alert(4)>.")

	pages := map[string]string{}
	for _, p := range []string{frontend.VerdictPath(c), frontend.DocumentPath(doc.ID), "/", "/search?q=minister", "/feeds/verdicts.atom", "/feeds/claimreview.json"} {
		pages[p] = f.mustGet(t, p, http.StatusOK)
	}
	for p, body := range pages {
		for _, live := range []string{"<script>alert", "<b>bold</b>", "<i>Someone</i>", "<img src=x", "javascript:alert", "onerror=alert(4)>"} {
			if strings.Contains(body, live) {
				t.Errorf("%s contains %q unescaped", p, live)
			}
		}
	}
	// The text survives every encoding intact.
	ld := readerJSONLD(t, pages[frontend.VerdictPath(c)])
	if len(ld) != 1 || ld[0]["claimReviewed"] != nasty {
		t.Errorf("JSON-LD claimReviewed = %v, want the text as written", ld)
	}
	if item, _ := ld[0]["itemReviewed"].(map[string]any); item != nil {
		if a, _ := item["author"].(map[string]any); a["name"] != `<i>Someone</i> "quoted"` {
			t.Errorf("JSON-LD claimant = %v", a)
		}
	}
	var feed readerAtom
	if err := xml.Unmarshal([]byte(pages["/feeds/verdicts.atom"]), &feed); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range feed.Entries {
		if e.Title == "False: "+nasty {
			found = true
			if strings.Contains(e.Content, "<script") || strings.Contains(e.Content, "javascript:") || strings.Contains(e.Content, "onerror") {
				t.Errorf("the Atom content keeps active markup: %q", e.Content)
			}
		}
	}
	if !found {
		t.Error("the Atom feed lacks the verdict with its exact title")
	}
	var crf readerClaimReviewFeed
	if err := json.Unmarshal([]byte(pages["/feeds/claimreview.json"]), &crf); err != nil {
		t.Fatal(err)
	}
	found = false
	for _, e := range crf.Elements {
		found = found || e["claimReviewed"] == nasty
	}
	if !found {
		t.Error("the ClaimReview feed lacks the claim's exact text")
	}
	if !strings.Contains(pages[frontend.VerdictPath(c)], "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the verdict page does not show the claim's markup as text")
	}
}
