package desk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/intake"
	"factdesk/models"
	"factdesk/web"
)

// deskDocumentFetch starts the import of an article by its address, as a
// job, and shows the job; a malformed address is shown on the form again.
func (s *Server) deskDocumentFetch(c *gin.Context) {
	raw := strings.TrimSpace(c.PostForm("import_url"))
	job, err := s.StartArticleImport(c.Request.Context(), raw, web.CurrentUser(c))
	if err != nil {
		errs := invalidFields(err)
		if errs == nil {
			s.deskError(c, err)
			return
		}
		if msg, ok := errs["url"]; ok {
			errs = deskview.Errors{"import_url": msg}
		}
		p := &deskview.DocumentNewPage{Chrome: s.chrome(c, "Import a document", "documents"), ImportURL: raw, Errors: errs}
		s.deskRender(c, http.StatusBadRequest, func(w gin.ResponseWriter) error { return deskPages.DocumentNew(w, p) })
		return
	}
	c.Redirect(http.StatusSeeOther, web.ImportJobPath(job.ID))
}

// importJob is where the import job named by raw stands, for the import
// page; a job of another kind is not found there.
func (s *Server) importJob(c *gin.Context, raw string) (*deskview.ImportJob, error) {
	return s.jobOfKind(c, raw, intake.JobKind)
}

// jobOfKind is where the job named by raw (a job ID from the query) stands,
// if it is of kind: the import page shows imports, the document page its
// detection.
func (s *Server) jobOfKind(c *gin.Context, raw, kind string) (*deskview.ImportJob, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return nil, models.Errorf(models.ENOTFOUND, "there is no job %q", raw)
	}
	j, err := s.Config.Jobs.Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if j.Kind != kind {
		return nil, models.Errorf(models.ENOTFOUND, "job %d is not of kind %s", id, kind)
	}
	out := &deskview.ImportJob{ID: j.ID, State: string(j.State), Error: j.Error, Attempts: j.Attempts, DocumentID: j.ResultID("document_id")}
	if j.Progress != nil {
		out.Note = j.Progress.Note
		out.Done, out.Total = j.Progress.Done, j.Progress.Total
	}
	return out, nil
}
