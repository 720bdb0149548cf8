// Package desk renders the editors' pages under /desk: one html/template
// per page on a shared layout, each fed by its own typed page struct. It
// only presents; api/ gathers the data and decides what happens.
package desk

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"time"

	"factdesk/models"
)

//go:embed templates
var files embed.FS

// Page template names, one file each under templates/.
const (
	pageLogin        = "login.html"
	pageDashboard    = "dashboard.html"
	pageDocuments    = "documents.html"
	pageDocumentNew  = "document_new.html"
	pageDocument     = "document.html"
	pageDocumentEdit = "document_edit.html"
	pageClaims       = "claims.html"
	pageClaim        = "claim.html"
	pageUsers        = "users.html"
	pageAccount      = "account.html"
	pageError        = "error.html"
	pageJobs         = "jobs.html"
	pageScale        = "scale.html"
	pageStats        = "stats.html"
)

var pages = []string{pageLogin, pageDashboard, pageDocuments, pageDocumentNew, pageDocument, pageDocumentEdit, pageClaims, pageClaim, pageUsers, pageAccount, pageError, pageJobs, pageScale, pageStats}

// Renderer holds the parsed desk templates.
type Renderer struct {
	tmpl map[string]*template.Template
}

// New parses every desk page on the layout. It fails when a page file is
// missing or a template file exists that no page uses, so a template that
// was never registered is caught at start-up, not on a request.
func New() (*Renderer, error) {
	shared := []string{"templates/layout.html", "templates/parts.html"}
	known := map[string]bool{"layout.html": true, "parts.html": true}
	r := &Renderer{tmpl: map[string]*template.Template{}}
	for _, p := range pages {
		t, err := template.New(p).Funcs(funcs).ParseFS(files, append(shared, "templates/"+p)...)
		if err != nil {
			return nil, fmt.Errorf("desk: parse %s: %w", p, err)
		}
		r.tmpl[p] = t
		known[p] = true
	}
	entries, err := fs.ReadDir(files, "templates")
	if err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	for _, e := range entries {
		if !known[e.Name()] {
			return nil, fmt.Errorf("desk: template %s is not registered as a page", e.Name())
		}
	}
	return r, nil
}

// render executes a page into a buffer first, so a template error never
// leaves half a page on the wire.
func (r *Renderer) render(w io.Writer, page string, data any) error {
	var buf bytes.Buffer
	if err := r.tmpl[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("desk: render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Login renders the sign-in page.
func (r *Renderer) Login(w io.Writer, p *LoginPage) error { return r.render(w, pageLogin, p) }

// Dashboard renders /desk.
func (r *Renderer) Dashboard(w io.Writer, p *DashboardPage) error {
	return r.render(w, pageDashboard, p)
}

// Documents renders the list of documents.
func (r *Renderer) Documents(w io.Writer, p *DocumentsPage) error {
	return r.render(w, pageDocuments, p)
}

// Jobs renders the list of background jobs.
func (r *Renderer) Jobs(w io.Writer, p *JobsPage) error { return r.render(w, pageJobs, p) }

// DocumentNew renders the import form.
func (r *Renderer) DocumentNew(w io.Writer, p *DocumentNewPage) error {
	return r.render(w, pageDocumentNew, p)
}

// Document renders the triage view of one document.
func (r *Renderer) Document(w io.Writer, p *DocumentPage) error {
	p.Sections, p.Tail = TextSections(p.Document.Body, p.Text)
	return r.render(w, pageDocument, p)
}

// DocumentEdit renders the editor of a document's text and metadata.
func (r *Renderer) DocumentEdit(w io.Writer, p *DocumentEditPage) error {
	return r.render(w, pageDocumentEdit, p)
}

// Claims renders the claims queue.
func (r *Renderer) Claims(w io.Writer, p *ClaimsPage) error { return r.render(w, pageClaims, p) }

// Claim renders the claim editor.
func (r *Renderer) Claim(w io.Writer, p *ClaimPage) error { return r.render(w, pageClaim, p) }

// Account renders the signed-in user's own page: the password form.
func (r *Renderer) Account(w io.Writer, p *AccountPage) error { return r.render(w, pageAccount, p) }

// Users renders the admin's user list.
func (r *Renderer) Users(w io.Writer, p *UsersPage) error { return r.render(w, pageUsers, p) }

// Error renders an error page.
func (r *Renderer) Error(w io.Writer, p *ErrorPage) error { return r.render(w, pageError, p) }

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006 15:04 UTC")
	},
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"int":     func(p models.Priority) int { return int(p) },
	"day": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"statusClass": func(s models.Status) string { return "status-" + strings.ReplaceAll(string(s), "_", "-") },
	"short": func(s string, n int) string {
		r := []rune(s)
		if len(r) <= n {
			return s
		}
		return strings.TrimSpace(string(r[:n])) + "…"
	},
	"fieldLabel": fieldLabel,
	"rated":      rated,
	"fe":         fieldError,
	"invalid":    invalid,
	"span":       span,
}

// FieldError is one message shown under its field; ID is the field's element ID.
type FieldError struct {
	ID, Msg string
}

// fieldError returns the message of field, nil when it has none. Fields are
// rendered with the element ID "f-" + field.
func fieldError(errs Errors, field string) *FieldError {
	if m, ok := errs[field]; ok {
		return &FieldError{ID: "f-" + field, Msg: m}
	}
	return nil
}

// invalid marks a field at fault for assistive technology and ties it to its message.
func invalid(errs Errors, field string) template.HTMLAttr {
	if _, ok := errs[field]; !ok {
		return ""
	}
	// field is a fixed form field name chosen by the template, never user input.
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="f-` + field + `-error"`)
}

// fieldLabel names a stored field for the history and the conflict table.
func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return strings.ReplaceAll(f, "_", " ")
}

var fieldLabels = map[string]string{
	"text":           "Claim as stated",
	"exact":          "Quote",
	"claimant":       "Claimant",
	"kind":           "Kind",
	"assignee_id":    "Assignee",
	"rating":         "Rating",
	"explanation":    "Explanation",
	"status":         "Status",
	"dismiss_reason": "Dismissal reason",
	"submitter_id":   "Submitted by",
	"reviewer_id":    "Reviewed by",
	"published_at":   "Published",
	"source_id":      "Source",
	"stance":         "Stance",
	"excerpt":        "Excerpt",
}

// rated is rating r as scale s names it; a key the scale does not hold
// (none should be: a rating in use is never removed) shows as itself.
func rated(s models.Scale, r models.Rating) models.ScaleRating {
	if step, ok := s.Find(r); ok {
		return step
	}
	return models.ScaleRating{Key: r, Label: string(r)}
}
