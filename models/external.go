package models

import (
	"net/url"
	"strings"
	"time"
)

// ExternalReview is another fact-checker's published verdict, imported from
// its ClaimReview markup or a fact-check search service. It is never
// Factdesk's verdict: it lives apart from claims, only editors see it
// ("checked by <publisher>"), and no reader page or feed shows it.
type ExternalReview struct {
	ID int64 `json:"id"`
	// URL is the review's own address, the key of a review: importing it
	// again updates it.
	URL           string     `json:"url"`
	ClaimText     string     `json:"claim_text"`
	Claimant      string     `json:"claimant"`
	ClaimDate     *time.Time `json:"claim_date"`
	Title         string     `json:"title"`
	Publisher     string     `json:"publisher"`
	PublisherSite string     `json:"publisher_site"`
	// Rating is the publisher's own words for its verdict ("False",
	// "Pants on Fire"); RatingValue its number on its own scale, 0 for none.
	Rating      string     `json:"rating"`
	RatingValue float64    `json:"rating_value"`
	Language    string     `json:"language"`
	ReviewDate  *time.Time `json:"review_date"`
	ImportedAt  time.Time  `json:"imported_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// MaxReviewRunes bounds each text field of an imported review.
const MaxReviewRunes = 5000

// Normalize trims the review's text fields.
func (r *ExternalReview) Normalize() {
	for _, p := range []*string{&r.URL, &r.ClaimText, &r.Claimant, &r.Title, &r.Publisher, &r.PublisherSite, &r.Rating, &r.Language} {
		*p = strings.Join(strings.Fields(*p), " ")
	}
}

// Validate checks what a review needs to be shown and matched: its address,
// the claim it reviewed and who published it.
func (r *ExternalReview) Validate() error {
	f := FieldErrors{}
	if u, err := url.Parse(r.URL); r.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.Add("url", "the review needs its http(s) address")
	}
	if r.ClaimText == "" {
		f.Add("claim_text", "the review needs the claim it reviewed (claimReviewed or text)")
	}
	if r.Publisher == "" {
		f.Add("publisher", "the review needs its publisher (author or publisher name)")
	}
	for name, v := range map[string]string{"url": r.URL, "claim_text": r.ClaimText, "claimant": r.Claimant, "title": r.Title,
		"publisher": r.Publisher, "publisher_site": r.PublisherSite, "rating": r.Rating, "language": r.Language} {
		if len([]rune(v)) > MaxReviewRunes {
			f.Add(name, "is too long")
		}
	}
	return f.Err()
}
