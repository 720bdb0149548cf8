package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/frontend/desk"
)

// deskDocumentFetch starts the import of an article by its address, as a
// job, and shows the job; a malformed address is shown on the form again.
func (s *Server) deskDocumentFetch(c *gin.Context) {
	raw := strings.TrimSpace(c.PostForm("import_url"))
	job, err := s.startArticleImport(c.Request.Context(), raw, currentUser(c))
	if err != nil {
		errs := invalidFields(err)
		if errs == nil {
			s.deskError(c, err)
			return
		}
		if msg, ok := errs["url"]; ok {
			errs = desk.Errors{"import_url": msg}
		}
		p := &desk.DocumentNewPage{Chrome: s.chrome(c, "Import a document", "documents"), ImportURL: raw, Errors: errs}
		s.deskRender(c, http.StatusBadRequest, func(w gin.ResponseWriter) error { return deskPages.DocumentNew(w, p) })
		return
	}
	deskRedirect(c, s.jobDeskPath(job), "", "")
}
