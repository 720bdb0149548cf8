package models

import "time"

// Original is the page a document was imported from, as the site served
// it: kept so an editor can see what the text was taken from, whatever the
// page becomes.
type Original struct {
	DocumentID  int64     `json:"document_id"`
	URL         string    `json:"url"`       // the URL asked for
	FinalURL    string    `json:"final_url"` // the URL answered, after redirects
	Status      int       `json:"status"`
	ContentType string    `json:"content_type"`
	Charset     string    `json:"charset"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	FetchedAt   time.Time `json:"fetched_at"`
}
