package models

import (
	"slices"
	"time"
)

// SourceKind says what a source is.
type SourceKind string

const (
	SourcePrimary  SourceKind = "primary"
	SourceOfficial SourceKind = "official"
	SourceNews     SourceKind = "news"
	SourceDataset  SourceKind = "dataset"
	SourceExpert   SourceKind = "expert"
	SourceOther    SourceKind = "other"
)

// SourceKinds lists the kinds in the order forms show them.
var SourceKinds = []SourceKind{SourcePrimary, SourceOfficial, SourceNews, SourceDataset, SourceExpert, SourceOther}

// Valid reports whether k is a known kind.
func (k SourceKind) Valid() bool { return slices.Contains(SourceKinds, k) }

// Source is something a fact-checker consulted.
type Source struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Title       string     `json:"title"`
	Publisher   string     `json:"publisher"`
	Author      string     `json:"author"`
	PublishedOn *time.Time `json:"published_on"`
	AccessedOn  *time.Time `json:"accessed_on"`
	ArchiveURL  string     `json:"archive_url"`
	Kind        SourceKind `json:"kind"`
	Notes       string     `json:"notes"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Normalize trims the fields and defaults the kind.
func (s *Source) Normalize() {
	trimSpace(&s.URL, &s.Title, &s.Publisher, &s.Author, &s.ArchiveURL)
	if s.Kind == "" {
		s.Kind = SourceOther
	}
}

// Validate checks a source before it is stored.
func (s *Source) Validate() error {
	f := FieldErrors{}
	if s.Title == "" && s.URL == "" {
		f.Add("title", "a source needs a title or a URL")
	}
	if s.URL != "" && !validURL(s.URL) {
		f.Add("url", "must be an http or https URL")
	}
	if s.ArchiveURL != "" && !validURL(s.ArchiveURL) {
		f.Add("archive_url", "must be an http or https URL")
	}
	oneOf(f, "kind", s.Kind, SourceKinds)
	checkText(f, "title", s.Title, 500)
	checkText(f, "publisher", s.Publisher, 200)
	checkText(f, "author", s.Author, 200)
	checkText(f, "notes", s.Notes, 10000)
	return f.Err()
}

// Stance says how a source bears on a claim.
type Stance string

const (
	StanceSupports Stance = "supports"
	StanceRefutes  Stance = "refutes"
	StanceContext  Stance = "context"
)

// Valid reports whether s is a known stance.
func (s Stance) Valid() bool {
	return s == StanceSupports || s == StanceRefutes || s == StanceContext
}

// Evidence links a claim to a source.
type Evidence struct {
	ID       int64  `json:"id"`
	ClaimID  int64  `json:"claim_id"`
	SourceID int64  `json:"source_id"`
	Stance   Stance `json:"stance"`
	Excerpt  string `json:"excerpt"`
	// PublicNote is printed with the source on the verdict page;
	// ResearchNote is the desk's own and never public.
	PublicNote   string    `json:"public_note"`
	ResearchNote string    `json:"research_note"`
	AddedBy      *int64    `json:"added_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate checks an evidence link before it is stored.
func (e *Evidence) Validate() error {
	f := FieldErrors{}
	if !e.Stance.Valid() {
		f.Add("stance", "must be supports, refutes or context")
	}
	checkText(f, "excerpt", e.Excerpt, 5000)
	checkText(f, "public_note", e.PublicNote, 5000)
	checkText(f, "research_note", e.ResearchNote, 5000)
	return f.Err()
}
