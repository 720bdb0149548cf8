package models

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDocumentBytes is the largest document body accepted (2 MB).
const MaxDocumentBytes = 2 << 20

// Document is a text whose claims are checked: an op-ed, a speech, an article.
// Title, author, publisher, URL and date are empty where the text does not
// state them: Factdesk never invents them.
type Document struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Author      string     `json:"author"`
	Publisher   string     `json:"publisher"`
	URL         string     `json:"url"`
	PublishedOn *time.Time `json:"published_on"`
	Language    string     `json:"language"`
	Body        string     `json:"body"`
	ContentHash string     `json:"content_hash"`
	// MoreCandidates is how many more sentences detection scored above its
	// threshold than the cap on proposals let in: the desk offers to run
	// detection again once the proposals are triaged.
	MoreCandidates int       `json:"-"`
	Version        int       `json:"version"`
	CreatedBy      *int64    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ContentHash is the SHA-256 of a body, to recognise the same text imported twice.
func ContentHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// Normalize trims the metadata and fills the derived fields.
func (d *Document) Normalize() {
	trimSpace(&d.Title, &d.Author, &d.Publisher, &d.URL, &d.Language)
	if d.Language == "" {
		d.Language = "en"
	}
	d.Body = strings.ReplaceAll(d.Body, "\r\n", "\n")
	d.ContentHash = ContentHash(d.Body)
}

// DisplayTitle is the title, or a plain statement that the document has none.
func (d *Document) DisplayTitle() string {
	if d.Title != "" {
		return d.Title
	}
	return "Untitled document"
}

// Validate checks a document before it is stored.
func (d *Document) Validate() error {
	f := FieldErrors{}
	switch {
	case !utf8.ValidString(d.Body):
		f.Add("body", "must be valid UTF-8 text")
	case strings.TrimSpace(d.Body) == "":
		f.Add("body", "is required")
	case len(d.Body) > MaxDocumentBytes:
		f.Add("body", "must be at most 2 MB")
	case strings.ContainsRune(d.Body, 0):
		f.Add("body", "must not contain NUL characters")
	}
	checkText(f, "title", d.Title, 500)
	checkText(f, "author", d.Author, 200)
	checkText(f, "publisher", d.Publisher, 200)
	checkText(f, "language", d.Language, 35)
	if d.URL != "" && !validURL(d.URL) {
		f.Add("url", "must be an http or https URL")
	}
	return f.Err()
}

// oneOf checks that v is one of the values a form offers, and names them
// all when it is not, so the message cannot fall behind the list.
func oneOf[T ~string](f FieldErrors, field string, v T, values []T) {
	if slices.Contains(values, v) {
		return
	}
	names := make([]string, len(values))
	for i, x := range values {
		names[i] = string(x)
	}
	f.Add(field, "must be one of "+strings.Join(names, ", "))
}

// trimSpace drops the white space a form or a paste leaves around what
// a person typed, so that it is not stored, compared or shown.
func trimSpace(fields ...*string) {
	for _, s := range fields {
		*s = strings.TrimSpace(*s)
	}
}

func checkText(f FieldErrors, field, s string, maxRunes int) {
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "must be valid UTF-8 text")
	case strings.ContainsAny(s, "\x00"):
		f.Add(field, "must not contain NUL characters")
	case strings.ContainsFunc(s, hostileControl):
		f.Add(field, "must not contain control characters (other than tab and line breaks)")
	case utf8.RuneCountInString(s) > maxRunes:
		f.Add(field, "is too long")
	}
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// hostileControl reports the control characters no text of a newsroom
// needs and a terminal or a log viewer may obey: C0 controls but tab, line
// feed and carriage return, and DEL.
func hostileControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
}
