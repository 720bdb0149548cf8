package desk

import (
	"errors"
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
	docs, next, err := web.ReadPage(c, "after", documentsPage, func(after int64, limit int) ([]models.Document, error) {
		return s.DB.ListDocuments(ctx, store.DocumentFilter{After: after, Limit: limit})
	}, func(d *models.Document) int64 { return d.ID })
	if err != nil {
		s.deskError(c, err)
		return
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
			path := documentPath(d.ID)
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
func (s *Server) deskDetect(c *gin.Context, id int64) {
	job, err := s.StartDetection(c.Request.Context(), id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, documentPath(id)+"?job="+strconv.FormatInt(job.ID, 10))
}

// deskDocumentEdit is the editor of a document's metadata and text.
func (s *Server) deskDocumentEdit(c *gin.Context, id int64) {
	d, err := s.DB.GetDocument(c.Request.Context(), id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	s.documentEditAgain(c, http.StatusOK, d, documentEditForm(d), nil, nil)
}

// deskDocumentSave saves the document editor through the store call the API
// uses, so a changed body re-anchors every claim there too. A save based on
// an old version shows both versions and keeps what was typed; the document
// page then says how many claims the save left without a place.
func (s *Server) deskDocumentSave(c *gin.Context, id int64) {
	var err error
	ctx := c.Request.Context()
	fields, published, errs := readDocumentForm(c)
	form := deskview.DocumentEditForm{DocumentForm: fields, Summary: c.PostForm("summary")}
	if form.Version, err = formInt(c, "version", 1); err != nil {
		if errs == nil {
			errs = deskview.Errors{}
		}
		errs["form"] = "The form does not say which version of the document it was based on: reload the page."
	}
	if len(errs) == 0 {
		u := store.DocumentUpdate{Version: form.Version, Title: &form.Title, Author: &form.Author, Publisher: &form.Publisher,
			URL: &form.URL, PublishedOn: &published, Language: &form.Language, Body: &form.Body, Summary: form.Summary}
		_, lost, err := s.DB.UpdateDocument(ctx, id, u, web.CurrentUser(c))
		var e *models.Error
		switch {
		case err == nil:
			documentSaved(c, id, lost)
			return
		case errors.As(err, &e) && e.Code == models.ECONFLICT:
			if theirs, ok := e.Current.(*models.Document); ok {
				s.documentEditAgain(c, http.StatusConflict, theirs, form, nil, documentConflict(e, theirs, form))
				return
			}
			s.deskError(c, err)
			return
		default:
			if errs = invalidFields(err); errs == nil {
				s.deskError(c, err)
				return
			}
		}
	}
	d, err := s.DB.GetDocument(ctx, id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	s.documentEditAgain(c, http.StatusBadRequest, d, form, errs, nil)
}

// documentSaved goes back to the document, saying how many claims the save
// left without a place.
func documentSaved(c *gin.Context, id int64, lost int) {
	q := url.Values{"edited": {"1"}}
	fragment := ""
	if lost > 0 {
		q.Set("lost", strconv.Itoa(lost))
		fragment = "orphans"
	}
	u := url.URL{Path: documentPath(id), RawQuery: q.Encode(), Fragment: fragment}
	c.Redirect(http.StatusSeeOther, u.String())
}

// documentEditAgain shows the editor with what was typed still in the form.
func (s *Server) documentEditAgain(c *gin.Context, status int, d *models.Document, form deskview.DocumentEditForm, errs deskview.Errors, conflict *deskview.Compare) {
	claims, err := s.documentClaims(c, d.ID)
	if err != nil {
		s.deskError(c, err)
		return
	}
	anchored := 0
	for i := range claims {
		if !claims[i].Orphaned && claims[i].End > claims[i].Start {
			anchored++
		}
	}
	if conflict != nil {
		form.Version = d.Version // the next save is based on what it was shown
	}
	p := &deskview.DocumentEditPage{Chrome: s.chrome(c, "Edit "+d.DisplayTitle(), "documents"), Document: *d, Form: form,
		Errors: errs, Conflict: conflict, Claims: anchored}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.DocumentEdit(w, p) })
}

// documentEditForm fills the editor from a stored document.
func documentEditForm(d *models.Document) deskview.DocumentEditForm {
	f := deskview.DocumentEditForm{Version: d.Version, DocumentForm: deskview.DocumentForm{Title: d.Title, Author: d.Author,
		Publisher: d.Publisher, URL: d.URL, Language: d.Language, Body: d.Body}}
	if d.PublishedOn != nil {
		f.PublishedOn = d.PublishedOn.Format(time.DateOnly)
	}
	return f
}

// documentConflict sets what was typed beside the document as another
// editor saved it.
func documentConflict(e *models.Error, theirs *models.Document, yours deskview.DocumentEditForm) *deskview.Compare {
	t := documentEditForm(theirs)
	return &deskview.Compare{
		Message: models.ErrorMessage(e) + ".", YourVersion: yours.Version, TheirVersion: theirs.Version,
		Rows: []deskview.ConflictRow{
			deskview.CompareRow("Title", yours.Title, t.Title),
			deskview.CompareRow("Author", yours.Author, t.Author),
			deskview.CompareRow("Publisher", yours.Publisher, t.Publisher),
			deskview.CompareRow("URL", yours.URL, t.URL),
			deskview.CompareRow("Published on", yours.PublishedOn, t.PublishedOn),
			deskview.CompareRow("Language", yours.Language, t.Language),
			deskview.CompareRow("Text", yours.Body, t.Body),
		},
	}
}

// deskPlaceClaim places a claim of the document at the words selected in
// its text (code points, as for a new claim). The claim's version and the
// document's version both come from the page, so a placement measured on
// a text someone has since edited is refused, not put on the wrong words.
func (s *Server) deskPlaceClaim(c *gin.Context) {
	docID, err := web.RecordID(c, "id")
	if err != nil {
		s.deskError(c, err)
		return
	}
	ctx := c.Request.Context()
	claimID, err := formNumber(c, "claim_id", 1)
	if err != nil {
		s.renderDocument(c, http.StatusBadRequest, deskview.Errors{"place": "No claim was placed: the form does not say which; reload the page."})
		return
	}
	cl, err := s.DB.GetClaim(ctx, claimID)
	if err == nil && (cl.DocumentID == nil || *cl.DocumentID != docID) {
		err = models.Errorf(models.ENOTFOUND, "claim %d is not a claim of document %d", claimID, docID)
	}
	if err != nil {
		s.deskError(c, err)
		return
	}
	failed := func(status int, why string) {
		s.renderDocument(c, status, deskview.Errors{"place": "Claim " + strconv.FormatInt(claimID, 10) + " was not placed: " + why})
	}
	p := store.Placement{}
	var errStart, errEnd, errVersion, errDocVersion error
	p.Start, errStart = formInt(c, "start", 0)
	p.End, errEnd = formInt(c, "end", 0)
	p.Version, errVersion = formInt(c, "version", 1)
	p.DocumentVersion, errDocVersion = formInt(c, "document_version", 1)
	if errStart != nil || errEnd != nil {
		failed(http.StatusBadRequest, "select its words in the text first.")
		return
	}
	if errVersion != nil || errDocVersion != nil {
		// Offsets without the text they were measured on could land anywhere.
		failed(http.StatusBadRequest, "reload the page and select the words again.")
		return
	}
	_, err = s.DB.PlaceClaim(ctx, claimID, p, web.CurrentUser(c))
	switch models.ErrorCode(err) {
	case "":
		u := url.URL{Path: documentPath(docID), RawQuery: "placed=" + strconv.FormatInt(claimID, 10)}
		c.Redirect(http.StatusSeeOther, u.String())
	case models.ECONFLICT:
		// The page is drawn again from what is stored now: selecting the
		// words again and pressing the button goes through.
		failed(http.StatusConflict, models.ErrorMessage(err)+". The page now shows what is saved: select the words again and place the claim.")
	case models.EINVALID:
		msg := models.ErrorMessage(err)
		for _, m := range models.ErrorFields(err) {
			msg = m
		}
		failed(http.StatusBadRequest, "the selection "+msg+".")
	default:
		s.deskError(c, err)
	}
}

// documentNotice is the confirmation the document page shows after an edit
// or a placement, and how many claims the edit orphaned. Only numbers are
// read from the query string, never text to echo. A malformed number here
// shows no notice rather than an error page: it only confirms what a
// redirect did, and refusing it would hide the document itself.
func documentNotice(c *gin.Context) (notice string, lost int) {
	if id, err := strconv.ParseInt(c.Query("placed"), 10, 64); err == nil && id > 0 {
		return "Claim " + strconv.FormatInt(id, 10) + " placed at the selected words.", 0
	}
	if c.Query("edited") != "1" {
		return "", 0
	}
	if n, err := strconv.Atoi(c.Query("lost")); err == nil && n > 0 {
		return "Document saved.", n
	}
	return "Document saved. No claim lost its place.", 0
}
