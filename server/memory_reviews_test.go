package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/reviews"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

var reviewFixtures = []string{"claimreview-array.json", "claimreview-graph.json", "claimreview-datafeed.json", "factchecktools.json"}

// importFixtures imports every review fixture through the API as an
// editor and returns what they hold.
func importFixtures(t *testing.T, env *servertest.Env) []models.ExternalReview {
	t.Helper()
	ed := env.SignedIn(env.Editor)
	var all []models.ExternalReview
	for _, name := range reviewFixtures {
		data, err := os.ReadFile("../reviews/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := reviews.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		all = append(all, rs...)
		if r := ed.Do("POST", "/api/v1/reviews/import", data); r.Status != http.StatusOK {
			t.Fatalf("import %s: %d %s", name, r.Status, r.Body)
		}
	}
	if len(all) < 200 {
		t.Fatalf("the fixtures hold %d reviews, want 50 of each format", len(all))
	}
	return all
}

var pageLink = regexp.MustCompile(`(?:href|src)="(/[^"#]*)`)
var sitemapLoc = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// TestExternalReviewsNeverOnReaderPages: with every fixture review
// imported and matching a published verdict, no reader page, feed or
// anonymous API answer carries a review's URL or publisher; editors do see
// them, so the check has something to find.
func TestExternalReviewsNeverOnReaderPages(t *testing.T) {
	f := newMemoryFixture(t)
	all := importFixtures(t, f.Env)
	var marks []string
	seen := map[string]bool{}
	for _, r := range all {
		for _, m := range []string{r.URL, r.Publisher, strings.TrimPrefix(strings.TrimPrefix(r.PublisherSite, "https://"), "http://")} {
			if m != "" && !seen[m] {
				seen[m] = true
				marks = append(marks, m)
			}
		}
	}

	// Editors see the reviews that match the verdict and the repeat.
	_, desk := f.signIn(t, f.ed1).get("/desk/claims/" + strconv.FormatInt(f.repeat.ID, 10))
	mustContain(t, desk, "Checked by <strong>Checkers United</strong>", "https://checkers.example/reviews/0")
	if r := f.SignedIn(f.ed1).Do("GET", fmt.Sprintf("/api/v1/claims/%d/matches", f.verdict.ID), nil); !strings.Contains(string(r.Body), "checkers.example") {
		t.Fatalf("editors get no external match: %s", r.Body)
	}

	anon := f.Anonymous()
	// Every reader page reachable from the home page and the sitemap, the
	// feeds, searches for the reviews' words, and the public API.
	queue := []string{"/", "/sitemap.xml", "/feeds/verdicts.atom", "/feeds/claimreview.json", "/robots.txt",
		"/search?q=terrorists", "/search?q=Afghanistan", "/search?q=clinics", "/search?q=Checkers",
		fmt.Sprintf("/documents/%d", f.first.ID), fmt.Sprintf("/documents/%d", f.second.ID),
		fmt.Sprintf("/api/v1/claims/%d/matches", f.verdict.ID), fmt.Sprintf("/api/v1/claims/%d", f.verdict.ID),
		"/api/v1/claims", "/api/v1/documents", "/api/v1/search?q=terrorists", "/api/v1/search?q=clinics"}
	visited := map[string]bool{}
	pages := 0
	for len(queue) > 0 && pages < 400 {
		p := queue[0]
		queue = queue[1:]
		if visited[p] || strings.HasPrefix(p, "/desk") || strings.HasPrefix(p, "/static/") {
			continue
		}
		visited[p] = true
		r := anon.Do("GET", p, nil)
		pages++
		body := string(r.Body)
		for _, m := range marks {
			if strings.Contains(body, m) {
				t.Errorf("%s (%d) shows the imported review mark %q", p, r.Status, m)
			}
		}
		for _, m := range pageLink.FindAllStringSubmatch(body, -1) {
			queue = append(queue, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
		for _, m := range sitemapLoc.FindAllStringSubmatch(body, -1) {
			if u, err := url.Parse(m[1]); err == nil {
				queue = append(queue, u.RequestURI())
			}
		}
	}
	if pages < 12 || !visited[fmt.Sprintf("/documents/%d", f.second.ID)] {
		t.Fatalf("only %d reader pages checked", pages)
	}
	t.Logf("%d reader pages and feeds checked against %d marks of %d reviews", pages, len(marks), len(all))
}

// TestReviewsRoundTrip: Factdesk's own /feeds/claimreview.json, served by
// one server and imported into a second, gives back every review: its URL,
// the claim, the rating, the date and the publisher. Importing it again
// adds nothing.
func TestReviewsRoundTrip(t *testing.T) {
	// The feed's review URLs are the verdict pages under the public URL.
	one := servertest.NewWith(t, servertest.Options{BaseURL: "https://one.example.org"})
	ctx := context.Background()
	ratings := []models.Rating{models.RatingFalse, models.RatingTrue, models.RatingMostlyFalse, models.RatingUnproven, models.RatingMixed}
	for i := 0; i < 12; i++ {
		c := &models.Claim{Text: fmt.Sprintf("The agency said %d,400 homes were rebuilt in district %d", i+1, i), Claimant: "The agency", Kind: models.KindStatistic}
		if err := one.DB.CreateClaim(ctx, c, one.Editor); err != nil {
			t.Fatal(err)
		}
		storetest.Publish(t, one.DB, c.ID, ratings[i%len(ratings)], "What the records say.", one.Editor, one.Editor2)
	}
	feed := one.Anonymous().Do("GET", "/feeds/claimreview.json", nil)
	if feed.Status != http.StatusOK {
		t.Fatalf("feed: %d", feed.Status)
	}
	var df struct {
		Elements []struct {
			URL           string `json:"url"`
			ClaimReviewed string `json:"claimReviewed"`
			DatePublished string `json:"datePublished"`
			Author        struct {
				Name string `json:"name"`
			} `json:"author"`
			ReviewRating struct {
				AlternateName string `json:"alternateName"`
			} `json:"reviewRating"`
		} `json:"dataFeedElement"`
	}
	if err := json.Unmarshal(feed.Body, &df); err != nil {
		t.Fatal(err)
	}
	if len(df.Elements) < 12 { // ours, and the demo's verdicts if any
		t.Fatalf("the feed holds %d reviews, want at least 12", len(df.Elements))
	}

	two := servertest.New(t)
	ed := two.SignedIn(two.Editor)
	r := ed.Do("POST", "/api/v1/reviews/import", feed.Body)
	var got struct{ Added, Updated, Unchanged int }
	r.Decode(t, &got)
	if r.Status != http.StatusOK || got.Added != len(df.Elements) {
		t.Fatalf("import: %d %+v, want %d added: %s", r.Status, got, len(df.Elements), r.Body)
	}
	stored, err := two.DB.ListReviews(ctx, 5000)
	if err != nil {
		t.Fatal(err)
	}
	key := func(url, claim, rating, publisher, date string) string {
		return strings.Join([]string{url, claim, rating, publisher, date}, " | ")
	}
	var want, have []string
	for _, e := range df.Elements {
		want = append(want, key(e.URL, e.ClaimReviewed, e.ReviewRating.AlternateName, e.Author.Name, e.DatePublished[:10]))
	}
	for _, s := range stored {
		d := ""
		if s.ReviewDate != nil {
			d = s.ReviewDate.UTC().Format("2006-01-02")
		}
		have = append(have, key(s.URL, s.ClaimText, s.Rating, s.Publisher, d))
	}
	sort.Strings(want)
	sort.Strings(have)
	if strings.Join(want, "\n") != strings.Join(have, "\n") {
		t.Fatalf("round trip lost reviews:\nfeed:\n%s\nstored:\n%s", strings.Join(want, "\n"), strings.Join(have, "\n"))
	}
	again := ed.Do("POST", "/api/v1/reviews/import", feed.Body)
	again.Decode(t, &got)
	if got.Added != 0 || got.Unchanged != len(df.Elements) {
		t.Fatalf("reimport: %+v, want all unchanged", got)
	}
}
