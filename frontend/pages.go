package frontend

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"factdesk/models"
)

// Evidence is a source as a verdict page cites it.
type Evidence struct {
	models.Evidence
	Source models.Source
	// Archive links the copy Factdesk kept of the source, if any.
	Archive *ArchiveLink
}

// VerdictPage is the data of /claims/{id}/{slug}.
type VerdictPage struct {
	Claim       models.Claim
	Document    *models.Document // nil for a free-standing claim
	Evidence    []Evidence
	Corrections []models.Correction
	Scale       models.Scale
	// Checker proposed the verdict and Reviewer approved it (display
	// names, "" for none); shown when the site has bylines.
	Checker, Reviewer string
	// Appearances are the other places the claim was made, the earliest
	// first.
	Appearances []Appearance
}

type verdictView struct {
	VerdictPage
	// Bylines is set when the site names checkers and reviewers.
	Bylines     bool
	Verdict     Verdict
	Explanation template.HTML
	MarkPath    string     // the claim's place in its document
	Updated     *time.Time // set when the verdict changed after it was published
	// LastCorrection is the newest correction, told near the top.
	LastCorrection *models.Correction
	// ReportForm is the "Report an error" form of a published verdict.
	ReportForm reportView
	// SaidTimes and SaidSince say how often and since when the claim was
	// made, counting its own document; set when it was said again.
	SaidTimes int
	SaidSince time.Time
}

// Verdict renders a verdict page. An unpublished claim is shown as being
// checked: no rating, explanation, sources or JSON-LD.
func (r *Renderer) Verdict(p VerdictPage) ([]byte, error) {
	v := verdictView{VerdictPage: p, Verdict: VerdictOf(&p.Scale, &p.Claim), Bylines: r.site.Bylines}
	if p.Document != nil {
		v.MarkPath = DocumentPath(p.Document.ID) + "#claim-" + strconv.FormatInt(p.Claim.ID, 10)
	}
	if len(p.Appearances) > 0 {
		apps := make([]models.Appearance, len(p.Appearances))
		for i := range p.Appearances {
			apps[i] = p.Appearances[i].Appearance
		}
		var published *time.Time
		if p.Document != nil {
			published = p.Document.PublishedOn
		}
		v.SaidTimes, v.SaidSince = models.SaidTimes(&p.Claim, published, apps)
	}
	m := Meta{Title: p.Claim.Text, Path: VerdictPath(&p.Claim), OGType: "article",
		Image: CardPath(&p.Claim), ImageAlt: CardAlt(&p.Scale, &p.Claim)}
	if v.Verdict.Published {
		v.ReportForm = reportView{ReportPage: ReportPage{Kind: models.ReportError}, Action: ReportAction(p.Claim.ID), Honeypot: HoneypotField, IsError: true}
		v.Explanation = Markdown(p.Claim.Explanation)
		m.Description = "Our rating: " + v.Verdict.Label() + ". " + excerpt(PlainText(p.Claim.Explanation), 200)
		cr := r.ClaimReviewWith(&p.Scale, &p.Claim, p.Document, p.Appearances)
		r.credit(cr, p.Checker, p.Reviewer)
		if n := len(p.Corrections); n > 0 && p.Corrections[n-1].CreatedAt.After(*p.Claim.PublishedAt) {
			// A published verdict changes only through a correction: it
			// last changed with the last one, whatever the desk did since.
			v.LastCorrection = &p.Corrections[n-1]
			at := v.LastCorrection.CreatedAt
			v.Updated, cr.DateModified = &at, at.UTC().Format(time.RFC3339)
		}
		m.JSONLD = cr
	} else {
		v.Evidence = nil
		m.Description = "Being checked by " + r.site.OrgName + ": " + excerpt(p.Claim.Text, 200)
		// Nothing is settled yet: search engines wait for the verdict.
		m.NoIndex = true
	}
	return r.render("verdict", m, v)
}

// DocumentPage is the data of /documents/{id}: the document and its public
// claims, and the public claims checked elsewhere that it makes again, each
// with the anchor of its appearance here (Repeats).
type DocumentPage struct {
	Document models.Document
	Claims   []models.Claim
	Repeats  []models.Claim
	Scale    models.Scale
}

type documentView struct {
	Document *models.Document
	Sections []Section
	Claims   []models.Claim
	Repeats  []models.Claim
	Scale    models.Scale
}

// Document renders the annotated document.
func (r *Renderer) Document(p DocumentPage) ([]byte, error) {
	v := documentView{Document: &p.Document, Sections: Sections(AnnotateWith(&p.Scale, p.Document.Body, p.Claims, p.Repeats)), Claims: p.Claims,
		Repeats: uniqueClaims(p.Repeats), Scale: p.Scale}
	desc := "The text with the claims " + r.site.OrgName + " checks in it marked."
	return r.render("document", Meta{Title: p.Document.DisplayTitle(), Description: desc, Path: DocumentPath(p.Document.ID), OGType: "article"}, v)
}

// uniqueClaims keeps the first of each claim: a claim said twice in a text
// is listed once.
func uniqueClaims(in []models.Claim) []models.Claim {
	seen := map[int64]bool{}
	var out []models.Claim
	for _, c := range in {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// HomePage is the data of /: the latest verdicts, filtered.
type HomePage struct {
	Verdicts   []models.Claim
	Documents  map[int64]models.Document // the documents the verdicts come from
	Filterable []models.Document         // the documents offered in the filter
	Rating     models.Rating
	DocumentID int64
	Next       int64 // cursor of the next page, 0 on the last
	First      bool  // this is the first page
	Scale      models.Scale
}

type homeView struct {
	HomePage
	NextURL  string
	Filtered bool
}

// Home renders the home page.
func (r *Renderer) Home(p HomePage) ([]byte, error) {
	v := homeView{HomePage: p, Filtered: p.Rating != "" || p.DocumentID != 0}
	q := url.Values{}
	if p.Rating != "" {
		q.Set("rating", string(p.Rating))
	}
	if p.DocumentID != 0 {
		q.Set("document", strconv.FormatInt(p.DocumentID, 10))
	}
	path := "/"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	if p.Next != 0 {
		q.Set("after", strconv.FormatInt(p.Next, 10))
		v.NextURL = "/?" + q.Encode()
	}
	m := Meta{Title: "Latest verdicts", Description: "Fact-checks by " + r.site.OrgName + ": the latest verdicts, the claims being checked and how we rate them.", Path: path}
	m.NoIndex = !p.First
	return r.render("home", m, v)
}

// SearchHit is one search result.
type SearchHit struct {
	Kind     string // "claim" or "document"
	Path     string
	Title    string
	Snippet  []SnippetPart // the matched words marked
	Verdict  Verdict       // claims only
	Document string        // the title of a claim's document, if any
}

// SearchPage is the data of /search.
type SearchPage struct {
	Query    string
	Hits     []SearchHit
	Page     int // 1-based
	HasNext  bool
	TooShort bool // the query had no word to search for
	Scale    models.Scale
}

type searchView struct {
	SearchPage
	PrevURL, NextURL string
}

// Search renders the search results page.
func (r *Renderer) Search(p SearchPage) ([]byte, error) {
	v := searchView{SearchPage: p}
	pageURL := func(n int) string {
		q := url.Values{"q": {p.Query}}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return "/search?" + q.Encode()
	}
	if p.Page > 1 {
		v.PrevURL = pageURL(p.Page - 1)
	}
	if p.HasNext {
		v.NextURL = pageURL(p.Page + 1)
	}
	title := "Search"
	if p.Query != "" {
		title = "Search: " + p.Query
	}
	return r.render("search", Meta{Title: title, Path: "/search", NoIndex: true, Query: p.Query}, v)
}

// ErrorPage is a friendly error: never internals.
type ErrorPage struct {
	Status  int
	Title   string
	Message string
}

// Error renders an error page.
func (r *Renderer) Error(p ErrorPage) ([]byte, error) {
	return r.render("error", Meta{Title: p.Title, NoIndex: true}, p)
}

// SnippetPart is a stretch of a search snippet; Mark is set on the words that
// matched. The template writes each through html/template, so a snippet is
// escaped like any other text of the page.
type SnippetPart struct {
	Text string
	Mark bool
}

// SnippetParts cuts a search snippet at the markers start and end (the
// store's, passed in by the caller) into plain and matched stretches. A
// stray end marker or a start inside a match is dropped; empty stretches
// are left out.
func SnippetParts(snippet, start, end string) []SnippetPart {
	var out []SnippetPart
	add := func(text string, mark bool) {
		if text != "" {
			out = append(out, SnippetPart{Text: text, Mark: mark})
		}
	}
	open := false
	for {
		i := strings.IndexAny(snippet, start+end)
		if i < 0 {
			add(snippet, open)
			return out
		}
		add(snippet[:i], open)
		if strings.HasPrefix(snippet[i:], start) {
			open, snippet = true, snippet[i+len(start):]
		} else {
			open, snippet = false, snippet[i+len(end):]
		}
	}
}

// excerpt cuts s to at most n code points, at a word boundary.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// updatedAfter is the claim's last change when it came after publication;
// the approval itself, a moment after, is no update.
// verdictModified is when a published verdict last changed: a published
// verdict changes only through a correction, so its last correction after
// the publication, or else the publication itself. Other writes (an
// assignee, a research note) change nothing readers see.
func verdictModified(c *models.Claim, corrected *time.Time) *time.Time {
	if corrected != nil && corrected.After(*c.PublishedAt) {
		return corrected
	}
	return c.PublishedAt
}

// TeamPage is the data of /team: the newsroom's active editors.
type TeamPage struct {
	Members []TeamMember
}

// TeamMember is one person of the team: a display name and a role.
type TeamMember struct {
	Name string
	Role models.Role
}

// Team renders the newsroom's team page.
func (r *Renderer) Team(p TeamPage) ([]byte, error) {
	return r.render("team", Meta{Title: "Our team", Description: "The editors of " + r.site.OrgName + " who check claims and review every verdict.", Path: "/team"}, p)
}
