package server_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
)

var readerJSONLDPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// readerJSONLD returns the ClaimReview objects of a page.
func readerJSONLD(t *testing.T, page string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range readerJSONLDPattern.FindAllStringSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		out = append(out, v)
	}
	return out
}

func TestReaderVerdictJSONLD(t *testing.T) {
	f := newReaderFixture(t)
	ctx := context.Background()
	published := time.Date(2025, 10, 30, 0, 0, 0, 0, time.UTC)
	doc := &models.Document{Title: "Kabul’s choice", Author: "A. Writer", Publisher: "The Daily", URL: "https://news.example.org/oped", PublishedOn: &published,
		Body: "The minister said 4,000 fighters crossed in 2024. Nobody counted them."}
	cl := []models.Claim{{Anchor: models.Anchor{Start: 18, End: 48}, Claimant: "The minister", Kind: models.KindStatistic}, {Anchor: models.Anchor{Start: 50, End: 70}, Kind: models.KindOther}}
	if err := f.db.CreateDocument(ctx, doc, cl, f.ed1); err != nil {
		t.Fatal(err)
	}
	page, err := f.db.ListClaims(ctx, models.ClaimFilter{DocumentID: doc.ID, Statuses: []models.Status{models.StatusOpen}})
	if err != nil || len(page.Claims) != 2 {
		t.Fatalf("claims of the new document: %v %v", page.Claims, err)
	}
	rated := f.publish(t, page.Claims[0].ID, models.RatingFalse, "No count supports it.")
	unproven := f.publish(t, page.Claims[1].ID, models.RatingUnproven, "Nobody knows.")

	t.Run("OK", func(t *testing.T) {
		body := f.mustGet(t, frontend.VerdictPath(rated), http.StatusOK)
		lds := readerJSONLD(t, body)
		if len(lds) != 1 {
			t.Fatalf("%d JSON-LD blocks, want 1", len(lds))
		}
		ld := lds[0]
		want := map[string]any{
			"@context":      "https://schema.org",
			"@type":         "ClaimReview",
			"url":           f.url + frontend.VerdictPath(rated),
			"claimReviewed": rated.Text,
			"datePublished": rated.PublishedAt.UTC().Format(time.RFC3339),
		}
		for k, v := range want {
			if ld[k] != v {
				t.Errorf("%s = %v, want %v", k, ld[k], v)
			}
		}
		author, _ := ld["author"].(map[string]any)
		if author["@type"] != "Organization" || author["name"] != readerOrg {
			t.Errorf("author = %v, want the organisation %q", author, readerOrg)
		}
		rr, _ := ld["reviewRating"].(map[string]any)
		if rr["@type"] != "Rating" || rr["ratingValue"] != 1.0 || rr["bestRating"] != 5.0 || rr["worstRating"] != 1.0 || rr["alternateName"] != "False" {
			t.Errorf("reviewRating = %v", rr)
		}
		item, _ := ld["itemReviewed"].(map[string]any)
		if item["@type"] != "Claim" || item["datePublished"] != "2025-10-30" {
			t.Errorf("itemReviewed = %v", item)
		}
		ia, _ := item["author"].(map[string]any)
		if ia["name"] != "The minister" || ia["@type"] == nil {
			t.Errorf("itemReviewed.author = %v", ia)
		}
		apps, _ := item["appearance"].([]any)
		var app map[string]any
		if len(apps) == 1 {
			app, _ = apps[0].(map[string]any)
		}
		if app["url"] != doc.URL || app["@type"] != "CreativeWork" || app["headline"] != doc.Title || app["datePublished"] != "2025-10-30" {
			t.Errorf("itemReviewed.appearance = %v, want the document's URL %s", apps, doc.URL)
		}
		if first, _ := item["firstAppearance"].(map[string]any); first["url"] != doc.URL {
			t.Errorf("itemReviewed.firstAppearance = %v, want the document", first)
		}
		for _, meta := range []string{`<link rel="canonical" href="` + f.url + frontend.VerdictPath(rated) + `">`, `property="og:title"`, `name="twitter:card"`, `property="og:description" content="Our rating: False.`} {
			if !strings.Contains(body, meta) {
				t.Errorf("the page lacks %s", meta)
			}
		}
	})
	t.Run("UnprovenCarriesTheLabelAlone", func(t *testing.T) {
		ld := readerJSONLD(t, f.mustGet(t, frontend.VerdictPath(unproven), http.StatusOK))[0]
		rr, _ := ld["reviewRating"].(map[string]any)
		if rr["alternateName"] != "Unproven" {
			t.Errorf("alternateName = %v", rr["alternateName"])
		}
		for _, k := range []string{"ratingValue", "bestRating", "worstRating"} {
			if _, ok := rr[k]; ok {
				t.Errorf("unproven has %s: %v", k, rr)
			}
		}
		// Nobody is credited by default: not the document's author either.
		item, _ := ld["itemReviewed"].(map[string]any)
		if ia, ok := item["author"]; ok {
			t.Errorf("a claim without claimant is credited to %v", ia)
		}
		page := f.mustGet(t, frontend.VerdictPath(unproven), http.StatusOK)
		if !strings.Contains(page, "Claimant not identified") || strings.Contains(page, "A. Writer</strong>") {
			t.Error("the page of a claim without claimant credits someone")
		}
	})
	t.Run("BeingCheckedIsNotIndexed", func(t *testing.T) {
		for i := range f.claims {
			c := f.claims[i]
			if c.Status == models.StatusPublished {
				continue
			}
			page := f.mustGet(t, frontend.VerdictPath(&c), http.StatusOK)
			if !strings.Contains(page, `<meta name="robots" content="noindex">`) {
				t.Errorf("claim %d being checked has no noindex", c.ID)
			}
			break
		}
		if strings.Contains(f.mustGet(t, frontend.VerdictPath(f.verdict), http.StatusOK), "noindex") {
			t.Error("a published verdict is not indexed")
		}
	})
	t.Run("DemoWithoutURLHasNoAppearance", func(t *testing.T) {
		ld := readerJSONLD(t, f.mustGet(t, frontend.VerdictPath(f.verdict), http.StatusOK))[0]
		item, _ := ld["itemReviewed"].(map[string]any)
		if _, ok := item["appearance"]; ok {
			t.Errorf("the demo document has no URL, yet appearance = %v", item["appearance"])
		}
		if ia, _ := item["author"].(map[string]any); ia["name"] != "Russia" {
			t.Errorf("author = %v, want the claimant Russia", ia)
		}
	})
}

func TestReaderVisibility(t *testing.T) {
	f := newReaderFixture(t)
	ctx := context.Background()
	path := frontend.VerdictPath(f.verdict)

	t.Run("WrongSlugRedirects", func(t *testing.T) {
		id := strconv.FormatInt(f.verdict.ID, 10)
		// The last is a slug as the hand-made Slug kept accented letters: old links still land.
		for _, p := range []string{"/claims/" + id + "/wrong-words", "/claims/" + id, "/claims/" + id + "/it-is-na%C3%AFve"} {
			resp, _ := f.get(t, p)
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != path {
				t.Errorf("GET %s: %d to %q, want 301 to %s", p, resp.StatusCode, resp.Header.Get("Location"), path)
			}
		}
	})
	t.Run("Published", func(t *testing.T) {
		body := f.mustGet(t, path, http.StatusOK)
		for _, want := range []string{"Mostly false", "<strong>not supported</strong>", "UN Monitoring Team report", "How we check", `href="/documents/` + strconv.FormatInt(f.doc.ID, 10) + `#claim-`} {
			if !strings.Contains(body, want) {
				t.Errorf("the verdict page lacks %q", want)
			}
		}
	})
	t.Run("BeingCheckedShowsNoRating", func(t *testing.T) {
		c := f.claims[0]
		f.transition(t, c.ID, f.ed1, models.TransitionInput{Action: models.ActionStart})
		r := models.RatingFalse
		expl := "SECRET-DRAFT explanation"
		f.transition(t, c.ID, f.ed1, models.TransitionInput{Action: models.ActionSubmit, Rating: &r, Explanation: &expl})
		body := f.mustGet(t, frontend.VerdictPath(&c), http.StatusOK)
		// "How we check" lists every rating; the claim's part must name none.
		body, _, _ = strings.Cut(body, `id="how-we-check"`)
		if !strings.Contains(body, "Being checked") {
			t.Error("an in-review claim is not shown as being checked")
		}
		for _, leak := range []string{"SECRET-DRAFT", "application/ld+json", "Our rating", ">False<", "r-false", `content="Our rating`} {
			if strings.Contains(body, leak) {
				t.Errorf("an unpublished claim's page shows %q", leak)
			}
		}
		for _, feed := range []string{"/feeds/verdicts.atom", "/feeds/claimreview.json", "/"} {
			if b := f.mustGet(t, feed, http.StatusOK); strings.Contains(b, "SECRET-DRAFT") || strings.Contains(b, c.Text) && feed != "/" {
				t.Errorf("%s shows the unpublished claim", feed)
			}
		}
		doc := f.mustGet(t, frontend.DocumentPath(f.doc.ID), http.StatusOK)
		if !strings.Contains(doc, `class="mark r-checking" href="`+frontend.VerdictPath(&c)) {
			t.Error("the document does not mark the claim as being checked")
		}
	})
	t.Run("CandidateAndDismissedAreNotFound", func(t *testing.T) {
		page, err := f.db.ListClaims(ctx, models.ClaimFilter{DocumentID: f.doc.ID, Statuses: []models.Status{models.StatusCandidate}})
		if err != nil || len(page.Claims) < 2 {
			t.Fatalf("the demo import has no detected candidates: %v", err)
		}
		cand, dis := page.Claims[0], page.Claims[1]
		f.transition(t, dis.ID, f.ed1, models.TransitionInput{Action: models.ActionDismiss, Note: "opinion"})
		for _, c := range []models.Claim{cand, dis} {
			resp, body := f.get(t, frontend.VerdictPath(&c))
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
				t.Errorf("claim %d (%s): %d, want the 404 page", c.ID, c.Status, resp.StatusCode)
			}
			if strings.Contains(body, c.Text) {
				t.Errorf("the 404 of claim %d shows its text", c.ID)
			}
		}
		if doc := f.mustGet(t, frontend.DocumentPath(f.doc.ID), http.StatusOK); strings.Contains(doc, frontend.VerdictPath(&cand)) {
			t.Error("the document links to a candidate")
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/claims/999999/x", "/claims/abc/x", "/documents/999999", "/no/such/page"} {
			resp, body := f.get(t, p)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || resp.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s: %d, want the 404 page with security headers", p, resp.StatusCode)
			}
		}
	})
}

func TestReaderSecurityHeaders(t *testing.T) {
	f := newReaderFixture(t)
	for _, p := range []string{"/", frontend.VerdictPath(f.verdict), frontend.DocumentPath(f.doc.ID), "/search?q=terrorists", "/feeds/verdicts.atom", "/no/such/page"} {
		resp, _ := f.get(t, p)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: X-Content-Type-Options %q, Referrer-Policy %q", p, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
	// No inline script anywhere: the only script elements are JSON-LD data.
	body := f.mustGet(t, frontend.VerdictPath(f.verdict), http.StatusOK)
	if n, ld := strings.Count(body, "<script"), strings.Count(body, `<script type="application/ld+json">`); n != ld {
		t.Errorf("%d script elements, %d of them JSON-LD", n, ld)
	}
}

func TestReaderSearch(t *testing.T) {
	f := newReaderFixture(t)
	body := f.mustGet(t, "/search?q=23%2C000", http.StatusOK)
	if !strings.Contains(body, `href="`+frontend.VerdictPath(f.verdict)+`"`) {
		t.Fatalf("searching 23,000 does not find the verdict\n%s", readerExcerpt(body))
	}
	if !strings.Contains(body, "<mark>23</mark>") && !strings.Contains(body, "<mark>23,000</mark>") && !strings.Contains(body, "<mark>000</mark>") {
		t.Errorf("the matching words are not highlighted\n%s", readerExcerpt(body))
	}
	if !strings.Contains(body, "Mostly false") {
		t.Error("a published hit has no badge")
	}
	empty := f.mustGet(t, "/search?q=zzzxqy", http.StatusOK)
	if !strings.Contains(empty, "Nothing matches") {
		t.Error("no message for a search without results")
	}
}

func TestReaderStaticFiles(t *testing.T) {
	f := newReaderFixture(t)
	body := f.mustGet(t, "/", http.StatusOK)
	m := regexp.MustCompile(`href="(/static/site\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page links no versioned stylesheet")
	}
	resp, css := f.get(t, m[1])
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(css, "@media print") {
		t.Fatalf("GET %s: %d %s", m[1], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("a versioned stylesheet is cached %q", cc)
	}
	if resp, _ := f.get(t, "/static/site.css", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidating the stylesheet: %d, want 304", resp.StatusCode)
	}
	if resp, _ := f.get(t, "/static/nothing.css"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing static file: %d", resp.StatusCode)
	}
}

// A reader page's query that does not parse is a clear 400, never read as
// "no filter".
func TestReaderQueriesThatDoNotParse(t *testing.T) {
	env := servertest.New(t)
	anon := env.Anonymous()
	tests := []struct{ path, says string }{
		{"/?document=abc", "document must be a positive whole number"},
		{"/?document=-3", "document must be a positive whole number"},
		{"/?after=1e3", "after must be a positive whole number"},
		{"/?rating=not%20a%20rating", "There is no rating"},
		{"/search?q=ministry&page=two", "page must be a positive whole number"},
	}
	for _, tt := range tests {
		r := anon.Do("GET", tt.path, nil)
		if r.Status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(string(r.Body)), tt.says) {
			t.Errorf("GET %s: %d, want 400 saying %q", tt.path, r.Status, tt.says)
		}
	}
	for _, ok := range []string{"/", "/?document=1", "/search?q=ministry&page=2"} {
		if r := anon.Do("GET", ok, nil); r.Status != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", ok, r.Status)
		}
	}
}
