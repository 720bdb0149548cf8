// Package frontend is Factdesk's presentation for readers: html/template
// pages, the stylesheet, the ClaimReview JSON-LD and the feeds, all
// embedded in the binary. It knows nothing of HTTP or the database: api
// gathers the data into the typed page structs below and frontend renders
// them to bytes.
package frontend

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"factdesk/models"
)

//go:embed templates
var templateFS embed.FS

// The whole static folder is embedded, so files other parts of the site
// add there (the desk's) are served too.
//
//go:embed static
var staticFS embed.FS

// Site is the configuration pages need.
type Site struct {
	BaseURL string // public URL without a trailing slash
	OrgName string // the organisation that signs the verdicts
	// Bylines name the checker and the reviewer on verdict pages, and
	// the team page lists the newsroom's editors.
	Bylines bool
}

// Renderer renders the reader pages. It is safe for concurrent use.
type Renderer struct {
	site    Site
	pages   map[string]*template.Template
	version string
}

// readerPages are the templates of the reader site, each parsed with the
// layout. New fails if one is missing or does not parse.
var readerPages = []string{"verdict", "document", "home", "search", "error", "archive", "report", "report_sent", "policy", "team"}

// New parses every reader template once.
func New(site Site) (*Renderer, error) {
	site.BaseURL = strings.TrimRight(site.BaseURL, "/")
	if site.OrgName == "" {
		site.OrgName = "Factdesk"
	}
	version, err := assetsVersion()
	if err != nil {
		return nil, err
	}
	r := &Renderer{site: site, pages: map[string]*template.Template{}, version: version}
	for _, name := range readerPages {
		t, err := template.New(name).Funcs(r.funcs()).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("frontend: parse %s: %w", name, err)
		}
		if t.Lookup("main") == nil {
			return nil, fmt.Errorf("frontend: template %s defines no main block", name)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Static is the embedded static folder (CSS and the desk's files), rooted
// at its top, for serving under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the folder is embedded: it exists
	}
	return sub
}

// Version is a hash of every template and static file: part of each ETag,
// so a new release never matches a page cached by an old one, and the
// cache-busting query of the stylesheet's URL.
func (r *Renderer) Version() string { return r.version }

// Site returns the configuration the renderer was built with.
func (r *Renderer) Site() Site { return r.site }

func assetsVersion() (string, error) {
	h := sha256.New()
	var names []string
	for _, root := range []embed.FS{templateFS, staticFS} {
		err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(root, path)
			if err != nil {
				return err
			}
			names = append(names, path)
			h.Write([]byte(path))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("frontend: hash assets: %w", err)
		}
	}
	sort.Strings(names)
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Meta is what the layout puts in <head> and the page frame.
type Meta struct {
	Title       string
	Description string
	Path        string // the canonical path, e.g. /claims/3/slug
	OGType      string // "article" or "website"
	NoIndex     bool
	JSONLD      any // a Go value html/template JSON-encodes inside <script type="application/ld+json">
	// Image is the path of the page's share card (og:image), "" for none.
	Image    string
	ImageAlt string
	Query    string
}

// layoutData is handed to every template: the page and the site around it.
type layoutData struct {
	Meta Meta
	Site Site
	CSS  string
	Page any
	Year int
}

func (r *Renderer) render(name string, m Meta, page any) ([]byte, error) {
	t, ok := r.pages[name]
	if !ok {
		return nil, fmt.Errorf("frontend: no page %q", name)
	}
	if m.OGType == "" {
		m.OGType = "website"
	}
	var b bytes.Buffer
	b.Grow(16 << 10)
	data := layoutData{Meta: m, Site: r.site, CSS: "/static/site.css?v=" + r.version, Page: page, Year: time.Now().Year()}
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		return nil, fmt.Errorf("frontend: render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// VerdictPath is the path of a claim's verdict page.
func VerdictPath(c *models.Claim) string {
	return "/claims/" + strconv.FormatInt(c.ID, 10) + "/" + models.Slug(c.Text)
}

// CardPath is the path of a claim's share card (a PNG).
func CardPath(c *models.Claim) string { return "/claims/" + strconv.FormatInt(c.ID, 10) + "/card.png" }

// DocumentPath is the path of a document's annotated page.
func DocumentPath(id int64) string { return "/documents/" + strconv.FormatInt(id, 10) }

// Verdict is what readers may know of a claim's rating: the rating of a
// published claim, and nothing at all for one still being checked, so no
// template can show an unpublished rating by mistake.
type Verdict struct {
	Published bool
	Rating    models.Rating
	// Step is the rating as the newsroom's scale defines it.
	Step        models.ScaleRating
	best, worst int
}

// VerdictOf applies the visibility rule of DESIGN.md, reading the rating
// on scale s.
func VerdictOf(s *models.Scale, c *models.Claim) Verdict {
	if c.Status == models.StatusPublished && c.Rating.Valid() {
		return verdictOn(s, c.Rating)
	}
	return Verdict{}
}

func verdictOn(s *models.Scale, r models.Rating) Verdict {
	step, ok := s.Find(r)
	if !ok {
		// A rating in use never leaves the scale (models.PlanScale);
		// should one be missing, its key is shown, never another label.
		step = models.ScaleRating{Key: r, Label: strings.ReplaceAll(string(r), "_", " "), Colour: "slate"}
	}
	return Verdict{Published: true, Rating: r, Step: step, best: s.BestRating, worst: s.WorstRating}
}

// Label is the badge text.
func (v Verdict) Label() string {
	if v.Published {
		return v.Step.Label
	}
	return "Being checked"
}

// Class is the CSS class giving the badge its colour; the text says the same.
func (v Verdict) Class() string {
	if v.Published {
		return "r-" + string(v.Step.Colour)
	}
	return "r-checking"
}

// Symbol is a shape that repeats the verdict without colour: a tick in the
// upper third of the scale's values, a cross in the lower, "!" between and
// "?" for a rating without a value.
func (v Verdict) Symbol() string {
	if !v.Published {
		return "…"
	}
	if v.Step.Value == nil || v.best <= v.worst {
		return "?"
	}
	at := float64(*v.Step.Value-v.worst) / float64(v.best-v.worst)
	switch {
	case at >= 0.7:
		return "✓"
	case at < 0.3:
		return "✗"
	}
	return "!"
}

// RatingScale is the "how we check" list.
type RatingScale struct {
	Verdict     Verdict
	Description string
}

// scaleRows lists what "how we check" explains: the ratings on offer.
// Retired ones still show on the verdicts that carry them.
func scaleRows(s models.Scale) []RatingScale {
	var out []RatingScale
	for _, r := range s.Offered() {
		out = append(out, RatingScale{Verdict: verdictOn(&s, r.Key), Description: r.Description})
	}
	return out
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"date": func(t any) string {
			switch t := t.(type) {
			case time.Time:
				return t.UTC().Format("2 January 2006")
			case *time.Time:
				if t != nil {
					return t.UTC().Format("2 January 2006")
				}
			}
			return ""
		},
		"iso": func(t any) string {
			switch t := t.(type) {
			case time.Time:
				return t.UTC().Format(time.RFC3339)
			case *time.Time:
				if t != nil {
					return t.UTC().Format(time.RFC3339)
				}
			}
			return ""
		},
		"verdictPath":  func(c any) string { return VerdictPath(claimOf(c)) },
		"verdictOf":    func(s models.Scale, c any) Verdict { return VerdictOf(&s, claimOf(c)) },
		"stanceLabel":  stanceLabel,
		"docTitle":     docTitle,
		"documentPath": DocumentPath,
		"abs":          func(path string) string { return r.site.BaseURL + path },
		"scaleRows":    scaleRows,
	}
}

// claimOf lets templates pass a claim or a pointer to one.
func claimOf(c any) *models.Claim {
	switch c := c.(type) {
	case *models.Claim:
		return c
	case models.Claim:
		return &c
	}
	return &models.Claim{}
}

func stanceLabel(s models.Stance) string {
	switch s {
	case models.StanceSupports:
		return "Supports the claim"
	case models.StanceRefutes:
		return "Refutes the claim"
	}
	return "Context"
}

// docTitle is the title of a document by ID, "" when it is not in docs.
func docTitle(docs map[int64]models.Document, id any) string {
	var key int64
	switch id := id.(type) {
	case int64:
		key = id
	case *int64:
		if id == nil {
			return ""
		}
		key = *id
	}
	d, ok := docs[key]
	if !ok {
		return ""
	}
	return d.DisplayTitle()
}
