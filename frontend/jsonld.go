package frontend

import (
	"sort"
	"time"

	"factdesk/models"
)

// ClaimReview is the schema.org markup of a published verdict, with the
// properties Google's fact-check markup asks for. It is a Go value: the
// verdict page's template JSON-encodes it (escaping <, > and &), and the
// feed encodes it with encoding/json.
type ClaimReview struct {
	Context       string `json:"@context,omitempty"`
	Type          string `json:"@type"`
	URL           string `json:"url"`
	ClaimReviewed string `json:"claimReviewed"`
	DatePublished string `json:"datePublished"`
	DateModified  string `json:"dateModified,omitempty"`
	Author        Thing  `json:"author"`
	// Contributor is the editor who checked the claim and Editor the
	// one who reviewed the verdict, with bylines on.
	Contributor  *Thing        `json:"contributor,omitempty"`
	Editor       *Thing        `json:"editor,omitempty"`
	ReviewRating ReviewRating  `json:"reviewRating"`
	ItemReviewed ClaimReviewed `json:"itemReviewed"`
}

// Thing is a schema.org Organization, Person or CreativeWork, as much as
// Factdesk knows of it.
type Thing struct {
	Type          string `json:"@type"`
	Name          string `json:"name,omitempty"`
	URL           string `json:"url,omitempty"`
	Headline      string `json:"headline,omitempty"`
	DatePublished string `json:"datePublished,omitempty"`
}

// ReviewRating is the verdict on the newsroom's scale. A rating without a
// value (Unproven) carries its label alone.
type ReviewRating struct {
	Type          string `json:"@type"`
	RatingValue   *int   `json:"ratingValue,omitempty"`
	BestRating    *int   `json:"bestRating,omitempty"`
	WorstRating   *int   `json:"worstRating,omitempty"`
	AlternateName string `json:"alternateName"`
	// RatingExplanation is set for a scale without labels (see ClaimReview).
	RatingExplanation string `json:"ratingExplanation,omitempty"`
}

// firstSentence is s up to its first full stop, question or exclamation
// mark followed by a space.
func firstSentence(s string) string {
	for i, r := range s {
		if (r == '.' || r == '?' || r == '!') && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n') {
			return s[:i+1]
		}
	}
	return s
}

// ClaimReviewed is the schema.org Claim the review is about.
type ClaimReviewed struct {
	Type          string `json:"@type"`
	Author        *Thing `json:"author,omitempty"`
	DatePublished string `json:"datePublished,omitempty"`
	// Appearance is every work with a URL the claim was made in: its own
	// document and each appearance linked since, the earliest first;
	// FirstAppearance is the earliest of them.
	Appearance      []Thing `json:"appearance,omitempty"`
	FirstAppearance *Thing  `json:"firstAppearance,omitempty"`
}

// Appearance is one more place a claim was made, with its document
// (without the body), for the verdict page and its ClaimReview.
type Appearance struct {
	models.Appearance
	Document models.Document
}

// ClaimReview builds the markup of claim c (from document d, nil for a
// free-standing claim). It returns nil for a claim that is not published:
// a claim being checked has no review.
func (r *Renderer) ClaimReview(s *models.Scale, c *models.Claim, d *models.Document) *ClaimReview {
	return r.ClaimReviewWith(s, c, d, nil)
}

// ClaimReviewWith is ClaimReview with the claim's appearances apps: every
// one whose document has a URL is an itemReviewed.appearance, and the
// earliest of them, the claim's own document included, its firstAppearance.
func (r *Renderer) ClaimReviewWith(s *models.Scale, c *models.Claim, d *models.Document, apps []Appearance) *ClaimReview {
	v := VerdictOf(s, c)
	if !v.Published || c.PublishedAt == nil {
		return nil
	}
	cr := &ClaimReview{
		Context:       "https://schema.org",
		Type:          "ClaimReview",
		URL:           r.site.BaseURL + VerdictPath(c),
		ClaimReviewed: c.Text,
		DatePublished: c.PublishedAt.UTC().Format(time.RFC3339),
		Author:        Thing{Type: "Organization", Name: r.site.OrgName, URL: r.site.BaseURL + "/"},
		ReviewRating:  ReviewRating{Type: "Rating", AlternateName: v.Label()},
		ItemReviewed:  ClaimReviewed{Type: "Claim"},
	}
	if v.Step.Value != nil {
		value, best, worst := *v.Step.Value, s.BestRating, s.WorstRating
		cr.ReviewRating.RatingValue, cr.ReviewRating.BestRating, cr.ReviewRating.WorstRating = &value, &best, &worst
	}
	if s.Labelless() {
		// A scale without labels publishes its conclusion in words.
		// schema.org's Rating has ratingExplanation, "a short explanation
		// (e.g. one to two sentences) ... particularly applicable to fact
		// check markup using ClaimReview", and Google's Fact Check Tools
		// read alternateName as the textual rating, "a short word or
		// phrase": both come from the explanation, and no ratingValue is
		// given, since there is no scale to place it on.
		plain := PlainText(c.Explanation)
		cr.ReviewRating.AlternateName = excerpt(firstSentence(plain), 100)
		cr.ReviewRating.RatingExplanation = excerpt(plain, 300)
	}
	// Who made the claim: the claimant an editor named, or nobody. A
	// claim without a claimant is credited to no one, not to the
	// document's author: that would put words in someone's mouth.
	if c.Claimant != "" {
		cr.ItemReviewed.Author = &Thing{Type: "Organization", Name: c.Claimant}
		if d != nil && c.Claimant == d.Author {
			cr.ItemReviewed.Author.Type = "Person"
		}
	}
	if d != nil {
		if d.PublishedOn != nil {
			cr.ItemReviewed.DatePublished = d.PublishedOn.UTC().Format("2006-01-02")
		}
	}
	cr.ItemReviewed.Appearance, cr.ItemReviewed.FirstAppearance = appearancesOf(c, d, apps)
	return cr
}

// credit names, with bylines on, the checker as the review's contributor
// and the reviewer as its editor, both schema.org Persons; the
// organisation stays its author.
func (r *Renderer) credit(cr *ClaimReview, checker, reviewer string) {
	if !r.site.Bylines {
		return
	}
	if checker != "" {
		cr.Contributor = &Thing{Type: "Person", Name: checker}
	}
	if reviewer != "" {
		cr.Editor = &Thing{Type: "Person", Name: reviewer}
	}
}

// appearancesOf lists the works with a URL that made claim c, by when it
// was said there: its document d (said when d was published, or when the
// claim was created) and its appearances. The same URL is listed once.
func appearancesOf(c *models.Claim, d *models.Document, apps []Appearance) ([]Thing, *Thing) {
	type said struct {
		at    time.Time
		dated bool
		work  Thing
	}
	var all []said
	work := func(doc *models.Document, at time.Time, dated bool) {
		if doc.URL == "" {
			return
		}
		t := Thing{Type: "CreativeWork", URL: doc.URL, Headline: doc.Title}
		if dated {
			t.DatePublished = at.UTC().Format("2006-01-02")
		}
		all = append(all, said{at: at, dated: dated, work: t})
	}
	if d != nil {
		if d.PublishedOn != nil && !d.PublishedOn.IsZero() {
			work(d, *d.PublishedOn, true)
		} else {
			work(d, c.CreatedAt, false)
		}
	}
	for i := range apps {
		a := &apps[i]
		dated := a.Document.PublishedOn != nil && !a.Document.PublishedOn.IsZero()
		work(&a.Document, a.SaidAt, dated)
	}
	if len(all) == 0 {
		return nil, nil
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	seen := map[string]bool{}
	var out []Thing
	for _, s := range all {
		if !seen[s.work.URL] {
			seen[s.work.URL] = true
			out = append(out, s.work)
		}
	}
	first := out[0]
	return out, &first
}
