// Package reviews reads other fact-checkers' published verdicts into
// models.ExternalReview: schema.org ClaimReview JSON-LD (one object, an
// array, an @graph, or a DataFeed of them, as Factdesk's own
// /feeds/claimreview.json) and the JSON of the Google Fact Check Tools API
// (claims[].claimReview[]). Pure functions over bytes; imports models only.
package reviews

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"factdesk/models"
)

// Parse reads every review in data. A document that is neither format, or
// a review without its URL, claim or publisher, is an invalid-input error
// naming the review at fault.
func Parse(data []byte) ([]models.ExternalReview, error) {
	var root any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil, invalid("the file is not JSON: %v", err)
	}
	var out []models.ExternalReview
	if obj, ok := root.(map[string]any); ok {
		if claims, ok := obj["claims"].([]any); ok {
			for i, c := range claims {
				rs, err := factCheckTools(c)
				if err != nil {
					return nil, invalid("claims[%d]: %v", i, err)
				}
				out = append(out, rs...)
			}
			return validated(out)
		}
	}
	walk(root, &out, nil)
	if len(out) == 0 {
		return nil, invalid("no ClaimReview found: give ClaimReview JSON-LD (an object, an array, an @graph or a DataFeed) or the claims of the Fact Check Tools API")
	}
	return validated(out)
}

func validated(rs []models.ExternalReview) ([]models.ExternalReview, error) {
	for i := range rs {
		rs[i].Normalize()
		if err := rs[i].Validate(); err != nil {
			return nil, fmt.Errorf("review %d (%s): %w", i+1, rs[i].URL, err)
		}
	}
	return rs, nil
}

func invalid(format string, args ...any) error {
	return &models.Error{Code: models.EINVALID, Message: fmt.Sprintf(format, args...), Fields: map[string]string{"file": "is not a review feed"}}
}

// walk finds ClaimReview objects anywhere in JSON-LD: at the top, in
// arrays, @graph, dataFeedElement and item.
func walk(v any, out *[]models.ExternalReview, parent map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walk(e, out, parent)
		}
	case map[string]any:
		if hasType(x, "ClaimReview") {
			*out = append(*out, claimReview(x))
			return
		}
		for _, k := range []string{"@graph", "dataFeedElement", "item", "mainEntity"} {
			if e, ok := x[k]; ok {
				walk(e, out, x)
			}
		}
	}
}

func hasType(x map[string]any, t string) bool {
	switch v := x["@type"].(type) {
	case string:
		return strings.TrimPrefix(v, "schema:") == t || strings.HasSuffix(v, "/"+t)
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && strings.TrimPrefix(s, "schema:") == t {
				return true
			}
		}
	}
	return false
}

func claimReview(x map[string]any) models.ExternalReview {
	r := models.ExternalReview{
		URL:        str(x["url"]),
		ClaimText:  str(x["claimReviewed"]),
		Title:      str(x["headline"]),
		Language:   str(x["inLanguage"]),
		ReviewDate: date(x["datePublished"]),
	}
	if r.Title == "" {
		r.Title = str(x["name"])
	}
	if r.URL == "" {
		r.URL = str(x["@id"])
	}
	org := obj(x["author"])
	if org == nil {
		org = obj(x["publisher"])
	}
	r.Publisher, r.PublisherSite = str(org["name"]), str(org["url"])
	if rating := obj(x["reviewRating"]); rating != nil {
		r.Rating = str(rating["alternateName"])
		if r.Rating == "" {
			r.Rating = str(rating["name"])
		}
		r.RatingValue = num(rating["ratingValue"])
	}
	if item := obj(x["itemReviewed"]); item != nil {
		if r.ClaimText == "" {
			r.ClaimText = str(item["text"])
		}
		if a := obj(item["author"]); a != nil {
			r.Claimant = str(a["name"])
		}
		r.ClaimDate = date(item["datePublished"])
		if r.ClaimDate == nil {
			if fa := obj(item["firstAppearance"]); fa != nil {
				r.ClaimDate = date(fa["datePublished"])
			}
		}
	}
	return r
}

// factCheckTools reads one entry of the API's claims: each of its
// claimReview is a review of the same claim.
func factCheckTools(v any) ([]models.ExternalReview, error) {
	c := obj(v)
	if c == nil {
		return nil, fmt.Errorf("not an object")
	}
	reviews, _ := c["claimReview"].([]any)
	if len(reviews) == 0 {
		return nil, fmt.Errorf("no claimReview")
	}
	var out []models.ExternalReview
	for _, e := range reviews {
		cr := obj(e)
		if cr == nil {
			return nil, fmt.Errorf("claimReview is not an object")
		}
		pub := obj(cr["publisher"])
		out = append(out, models.ExternalReview{
			URL: str(cr["url"]), ClaimText: str(c["text"]), Claimant: str(c["claimant"]), ClaimDate: date(c["claimDate"]),
			Title: str(cr["title"]), Publisher: str(pub["name"]), PublisherSite: str(pub["site"]),
			Rating: str(cr["textualRating"]), Language: str(cr["languageCode"]), ReviewDate: date(cr["reviewDate"]),
		})
	}
	return out, nil
}

func obj(v any) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return x
	case []any:
		if len(x) > 0 {
			return obj(x[0])
		}
	}
	return nil
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case map[string]any:
		return str(x["@value"])
	}
	return ""
}

func num(v any) float64 {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case string:
		var f float64
		fmt.Sscan(x, &f)
		return f
	}
	return 0
}

func date(v any) *time.Time {
	s := strings.TrimSpace(str(v))
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}
