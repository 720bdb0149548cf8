package desk

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// documentsPage is how many documents the list shows at a time.
const documentsPage = 100

// deskDocuments lists the documents, newest first, a page at a time
// (?after= the last ID of the page before).
func (s *Server) deskDocuments(c *gin.Context) {
	ctx := c.Request.Context()
	after, err := web.QueryID(c, "after")
	if err != nil {
		s.deskError(c, err)
		return
	}
	docs, err := s.DB.ListDocuments(ctx, store.DocumentFilter{After: after, Limit: documentsPage + 1})
	if err != nil {
		s.deskError(c, err)
		return
	}
	next := ""
	if len(docs) > documentsPage {
		docs = docs[:documentsPage]
		next = "/desk/documents?" + url.Values{"after": {strconv.FormatInt(docs[len(docs)-1].ID, 10)}}.Encode()
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	work, err := s.DB.WorkByDocument(ctx, ids)
	if err != nil {
		s.deskError(c, err)
		return
	}
	rows := make([]deskview.DocumentRow, len(docs))
	for i, d := range docs {
		w := work[d.ID]
		rows[i] = deskview.DocumentRow{Document: d, Candidates: w.Candidates, Orphaned: w.Orphaned}
	}
	p := &deskview.DocumentsPage{Chrome: s.chrome(c, "Documents", "documents"), Documents: rows, NextURL: next}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Documents(w, p) })
}

// deskDocumentNew shows the import form.
func (s *Server) deskDocumentNew(c *gin.Context) {
	p := &deskview.DocumentNewPage{Chrome: s.chrome(c, "Import a document", "documents")}
	if raw := c.Query("job"); raw != "" {
		job, err := s.importJob(c, raw)
		if err != nil {
			s.deskError(c, err)
			return
		}
		p.Job = job
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.DocumentNew(w, p) })
}

// deskDocumentCreate imports a pasted or uploaded text with its metadata;
// detection proposes its claims in the same transaction, or in a job for a
// large text (importText).
func (s *Server) deskDocumentCreate(c *gin.Context) {
	form, published, errs := readDocumentForm(c)
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		body, msg := readUpload(fh)
		if msg != "" {
			errs["file"] = msg
		} else {
			form.Body = body
		}
	}
	d := &models.Document{Title: form.Title, Author: form.Author, Publisher: form.Publisher, URL: form.URL, PublishedOn: published,
		Language: form.Language, Body: form.Body}
	if len(errs) == 0 {
		imp, err := s.ImportText(c.Request.Context(), d, nil, "", web.CurrentUser(c))
		if err == nil {
			path := "/desk/documents/" + strconv.FormatInt(d.ID, 10)
			switch {
			case !imp.Created: // the form sent twice
				deskRedirect(c, path, "repeat", "")
			case imp.Detect != nil:
				c.Redirect(http.StatusSeeOther, path+"?done=detecting&job="+strconv.FormatInt(imp.Detect.ID, 10))
			default:
				deskRedirect(c, path, "imported", "")
			}
			return
		}
		if errs = invalidFields(err); errs == nil {
			s.deskError(c, err)
			return
		}
	}
	p := &deskview.DocumentNewPage{Chrome: s.chrome(c, "Import a document", "documents"), Form: form, Errors: errs}
	s.deskRender(c, http.StatusBadRequest, func(w gin.ResponseWriter) error { return deskPages.DocumentNew(w, p) })
}

// readUpload reads an uploaded .txt or .md file as UTF-8 text; msg says
// what is wrong with it.
func readUpload(fh *multipart.FileHeader) (body, msg string) {
	switch strings.ToLower(path.Ext(fh.Filename)) {
	case ".txt", ".md", ".markdown":
	default:
		return "", "must be a .txt or .md file"
	}
	f, err := fh.Open()
	if err != nil {
		return "", "could not be read"
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, models.MaxDocumentBytes+1))
	switch {
	case err != nil:
		return "", "could not be read"
	case len(b) > models.MaxDocumentBytes:
		return "", "must be at most 2 MB"
	case !utf8.Valid(b):
		return "", "must be UTF-8 text"
	}
	return strings.TrimPrefix(string(b), "\ufeff"), ""
}

// readDocumentForm reads the fields the import form and the document editor
// share, with the publication date parsed (nil when none was given).
func readDocumentForm(c *gin.Context) (deskview.DocumentForm, *time.Time, deskview.Errors) {
	form := deskview.DocumentForm{
		Title: c.PostForm("title"), Author: c.PostForm("author"), Publisher: c.PostForm("publisher"),
		URL: c.PostForm("url"), PublishedOn: c.PostForm("published_on"), Language: c.PostForm("language"), Body: c.PostForm("body"),
	}
	errs := deskview.Errors{}
	if form.PublishedOn == "" {
		return form, nil, errs
	}
	t, err := time.Parse(time.DateOnly, form.PublishedOn)
	if err != nil {
		errs["published_on"] = "must be a date such as 2025-10-14"
		return form, nil, errs
	}
	return form, &t, errs
}

// deskDetect queues claim detection again on a document, to propose what
// the cap on untriaged proposals left out, and comes back to the document
// with the job's state.
func (s *Server) deskDetect(c *gin.Context) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		s.deskError(c, err)
		return
	}
	job, err := s.StartDetection(c.Request.Context(), id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/desk/documents/"+strconv.FormatInt(id, 10)+"?job="+strconv.FormatInt(job.ID, 10))
}
