package web

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store"
)

// What the JSON API shows of each record, by caller. Editors see records as
// the models hold them; anonymous readers get the public views below, built
// field by field so that nothing private can slip in by being added to a model.

// PublicClaim is a claim as readers may see it: the verdict only once it is
// published; never the assignee, submitter, reviewer, dismissal reason,
// check-worthiness score or version.
type PublicClaim struct {
	ID          int64         `json:"id"`
	DocumentID  *int64        `json:"document_id"`
	Start       int           `json:"start"`
	End         int           `json:"end"`
	Exact       string        `json:"exact"`
	Prefix      string        `json:"prefix"`
	Suffix      string        `json:"suffix"`
	Text        string        `json:"text"`
	Claimant    string        `json:"claimant"`
	Kind        models.Kind   `json:"kind"`
	Status      models.Status `json:"status"`
	Rating      models.Rating `json:"rating,omitempty"`
	Explanation string        `json:"explanation,omitempty"`
	PublishedAt *time.Time    `json:"published_at"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func NewPublicClaim(c *models.Claim) PublicClaim {
	p := PublicClaim{
		ID: c.ID, DocumentID: c.DocumentID, Start: c.Start, End: c.End, Exact: c.Exact, Prefix: c.Prefix, Suffix: c.Suffix,
		Text: c.Text, Claimant: c.Claimant, Kind: c.Kind, Status: c.Status, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
	if c.Status == models.StatusPublished {
		p.Rating, p.Explanation, p.PublishedAt = c.Rating, c.Explanation, c.PublishedAt
	}
	return p
}

// ClaimView is a claim as the caller may see it. Callers must check
// visibleClaim first: this only chooses the fields.
func ClaimView(c *gin.Context, cl *models.Claim) any {
	if CurrentUser(c) == nil {
		return NewPublicClaim(cl)
	}
	return cl
}

// VisibleClaim reports whether the caller may see the claim at all
// (models.Claim.VisibleTo).
func VisibleClaim(c *gin.Context, cl *models.Claim) bool { return cl.VisibleTo(CurrentUser(c)) }

// publicSource is a source without the editors' notes.
type publicSource struct {
	ID          int64             `json:"id"`
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Publisher   string            `json:"publisher"`
	Author      string            `json:"author"`
	PublishedOn *time.Time        `json:"published_on"`
	AccessedOn  *time.Time        `json:"accessed_on"`
	ArchiveURL  string            `json:"archive_url"`
	Kind        models.SourceKind `json:"kind"`
}

func newPublicSource(s *models.Source) publicSource {
	return publicSource{ID: s.ID, URL: s.URL, Title: s.Title, Publisher: s.Publisher, Author: s.Author,
		PublishedOn: s.PublishedOn, AccessedOn: s.AccessedOn, ArchiveURL: s.ArchiveURL, Kind: s.Kind}
}

func SourceView(c *gin.Context, s *models.Source) any {
	if CurrentUser(c) == nil {
		return newPublicSource(s)
	}
	return s
}

// DocumentSummary is a document without its body, for lists.
type DocumentSummary struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Author      string     `json:"author"`
	Publisher   string     `json:"publisher"`
	URL         string     `json:"url"`
	PublishedOn *time.Time `json:"published_on"`
	Language    string     `json:"language"`
	ContentHash string     `json:"content_hash"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func NewDocumentSummary(d *models.Document) DocumentSummary {
	return DocumentSummary{ID: d.ID, Title: d.Title, Author: d.Author, Publisher: d.Publisher, URL: d.URL,
		PublishedOn: d.PublishedOn, Language: d.Language, ContentHash: d.ContentHash, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// DocumentView is a document with its body, for editors: only their writes
// conflict on a document.
func DocumentView(d *models.Document) any { return d }

// DocumentDetail is a document with the claims the caller may see, anchored in its body.
type DocumentDetail struct {
	*models.Document
	Claims []any `json:"claims"`
	// Detection is the job storing the proposals of a large body, in the
	// answer to its import.
	Detection *jobs.Job `json:"detection,omitempty"`
}

// EditorEvidence is an evidence link with its source, for editors.
type EditorEvidence struct {
	models.Evidence
	Source models.Source `json:"source"`
}

// publicEvidence is what readers see of the sources of a published verdict.
type publicEvidence struct {
	ID         int64         `json:"id"`
	Stance     models.Stance `json:"stance"`
	Excerpt    string        `json:"excerpt"`
	PublicNote string        `json:"public_note"`
	Source     publicSource  `json:"source"`
}

// claimDetail is a claim with its document, evidence and corrections. For
// editors it also lists the actions they may take now.
type claimDetail struct {
	Document       *DocumentSummary    `json:"document"`
	Evidence       []any               `json:"evidence"`
	Corrections    []models.Correction `json:"corrections"`
	AllowedActions []models.Action     `json:"allowed_actions,omitempty"`
	// For editors: the correction of a published claim waiting for a
	// second editor, and who wrote what waits for approval.
	PendingCorrection *models.PendingCorrection `json:"pending_correction,omitempty"`
	Authors           []int64                   `json:"authors,omitempty"`
}

func NewClaimDetail(c *gin.Context, d *store.ClaimDetail) any {
	out := claimDetail{Evidence: []any{}, Corrections: d.Corrections}
	if out.Corrections == nil {
		out.Corrections = []models.Correction{}
	}
	if d.Document != nil {
		s := NewDocumentSummary(d.Document)
		out.Document = &s
	}
	u := CurrentUser(c)
	for _, e := range d.Evidence {
		switch {
		case u != nil:
			out.Evidence = append(out.Evidence, EditorEvidence{Evidence: e.Evidence, Source: e.Source})
		case d.Claim.Status == models.StatusPublished:
			// Readers see the sources of a verdict, not the research in progress.
			out.Evidence = append(out.Evidence, publicEvidence{ID: e.ID, Stance: e.Stance, Excerpt: e.Excerpt, PublicNote: e.PublicNote, Source: newPublicSource(&e.Source)})
		}
	}
	if u == nil {
		return struct {
			PublicClaim
			claimDetail
		}{NewPublicClaim(&d.Claim), out}
	}
	out.AllowedActions = models.AllowedActions(&d.Claim, u, d.Review)
	out.PendingCorrection, out.Authors = d.Review.Pending, d.Review.Authors
	if out.AllowedActions == nil {
		out.AllowedActions = []models.Action{}
	}
	return struct {
		models.Claim
		claimDetail
	}{d.Claim, out}
}

// RevisionView is one change with the fields it changed.
type RevisionView struct {
	models.Revision
	Changes []models.FieldChange `json:"changes"`
}

func NewRevisionView(r models.Revision) RevisionView {
	ch := r.Changes()
	if ch == nil {
		ch = []models.FieldChange{}
	}
	return RevisionView{Revision: r, Changes: ch}
}

// SearchHit is one search result; a claim's rating shows only once published.
type SearchHit struct {
	Kind       string        `json:"kind"`
	ID         int64         `json:"id"`
	DocumentID *int64        `json:"document_id,omitempty"`
	Title      string        `json:"title"`
	Snippet    string        `json:"snippet"`
	Status     models.Status `json:"status,omitempty"`
	Rating     models.Rating `json:"rating,omitempty"`
	Rank       float64       `json:"rank"`
}

func NewSearchHit(public bool, h store.SearchHit) SearchHit {
	out := SearchHit{Kind: h.Kind, ID: h.ID, DocumentID: h.DocumentID, Title: h.Title, Snippet: h.Snippet, Status: h.Status, Rating: h.Rating, Rank: h.Rank}
	if public && h.Status != models.StatusPublished {
		out.Rating = ""
	}
	return out
}

// DocumentTitles names the documents of claims, by their IDs: however
// many documents there are, each claim of the page has its title.
func (s *Server) DocumentTitles(ctx context.Context, lists ...[]models.Claim) (map[int64]string, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, claims := range lists {
		for _, cl := range claims {
			if cl.DocumentID != nil && !seen[*cl.DocumentID] {
				seen[*cl.DocumentID] = true
				ids = append(ids, *cl.DocumentID)
			}
		}
	}
	docs, err := s.DB.DocumentsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	titles := make(map[int64]string, len(docs))
	for id, d := range docs {
		titles[id] = d.DisplayTitle()
	}
	return titles, nil
}
