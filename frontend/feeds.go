package frontend

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"factdesk/models"
)

// FeedItem is a published verdict with its document, for the feeds.
type FeedItem struct {
	Claim    models.Claim
	Document *models.Document
	// Corrected is when the verdict's last correction was published, nil
	// for none: the entry's update time.
	Corrected *time.Time
	// Checker and Reviewer name who proposed and who approved it.
	Checker, Reviewer string
	// Appearances are the other places the claim was made, for the
	// ClaimReview's appearance and firstAppearance.
	Appearances []Appearance
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Category  *atomCat   `xml:"category,omitempty"`
	Summary   atomText   `xml:"summary"`
	Content   *atomText  `xml:"content,omitempty"`
	Author    atomPerson `xml:"author"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// Atom renders the verdicts feed (Atom 1.0). encoding/xml escapes every
// text; the explanation goes in as HTML text (type="html"), sanitised.
func (r *Renderer) Atom(s *models.Scale, items []FeedItem, updated time.Time) ([]byte, error) {
	base := r.site.BaseURL
	f := atomFeed{
		Title:   r.site.OrgName + ": latest verdicts",
		ID:      base + "/feeds/verdicts.atom",
		Updated: stamp(updated),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/feeds/verdicts.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/"},
		},
		Author: atomPerson{Name: r.site.OrgName, URI: base + "/"},
	}
	for _, it := range items {
		c := it.Claim
		v := VerdictOf(s, &c)
		if !v.Published || c.PublishedAt == nil {
			continue // the feed carries verdicts only
		}
		url := base + VerdictPath(&c)
		e := atomEntry{
			Title:     v.Label() + ": " + c.Text,
			ID:        url,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: url},
			Published: stamp(*c.PublishedAt),
			Updated:   stamp(*verdictModified(&c, it.Corrected)),
			Category:  &atomCat{Term: string(v.Rating), Label: v.Label()},
			Summary:   atomText{Type: "text", Body: excerpt(PlainText(c.Explanation), 300)},
			Content:   &atomText{Type: "html", Body: string(Markdown(c.Explanation))},
			Author:    atomPerson{Name: r.site.OrgName},
		}
		f.Entries = append(f.Entries, e)
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("frontend: atom: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

// dataFeed is the schema.org DataFeed of every ClaimReview.
type dataFeed struct {
	Context      string         `json:"@context"`
	Type         string         `json:"@type"`
	Name         string         `json:"name"`
	URL          string         `json:"url"`
	DateModified string         `json:"dateModified"`
	Elements     []*ClaimReview `json:"dataFeedElement"`
}

// ClaimReviewFeed renders /feeds/claimreview.json: the ClaimReview of
// every published verdict, as a schema.org DataFeed.
func (r *Renderer) ClaimReviewFeed(s *models.Scale, items []FeedItem, updated time.Time) ([]byte, error) {
	f := dataFeed{
		Context:      "https://schema.org",
		Type:         "DataFeed",
		Name:         r.site.OrgName + " ClaimReview feed",
		URL:          r.site.BaseURL + "/feeds/claimreview.json",
		DateModified: stamp(updated),
		Elements:     []*ClaimReview{},
	}
	for _, it := range items {
		if cr := r.ClaimReviewWith(s, &it.Claim, it.Document, it.Appearances); cr != nil {
			r.credit(cr, it.Checker, it.Reviewer)
			cr.Context = "" // given once, on the feed
			if m := verdictModified(&it.Claim, it.Corrected); !m.Equal(*it.Claim.PublishedAt) {
				cr.DateModified = m.UTC().Format(time.RFC3339)
			}
			f.Elements = append(f.Elements, cr)
		}
	}
	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("frontend: claimreview feed: %w", err)
	}
	return out, nil
}

// SitemapURL is one page of the sitemap.
type SitemapURL struct {
	Path     string
	Modified time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap renders /sitemap.xml.
func (r *Renderer) Sitemap(urls []SitemapURL) ([]byte, error) {
	var s urlset
	for _, u := range urls {
		su := sitemapURL{Loc: r.site.BaseURL + u.Path}
		if !u.Modified.IsZero() {
			su.LastMod = stamp(u.Modified)
		}
		s.URLs = append(s.URLs, su)
	}
	out, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("frontend: sitemap: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

// Robots renders /robots.txt: readers' pages are open to crawlers, the
// desk and the API are not, and the sitemap is named.
func (r *Renderer) Robots() []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /desk/\nDisallow: /api/\nDisallow: /search\nAllow: /\n\n")
	b.WriteString("Sitemap: " + r.site.BaseURL + "/sitemap.xml\n")
	return []byte(b.String())
}

func stamp(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}
