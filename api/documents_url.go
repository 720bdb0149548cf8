package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/web"
)

// postDocumentURL queues the import of the article at in.URL (a create
// with a url and no body) and answers 202 with the job. Its metadata comes
// from the page, so a title or claims given with it are refused.
func (s *Server) postDocumentURL(c *gin.Context, in *documentCreate) {
	f := models.FieldErrors{}
	for field, given := range map[string]bool{"title": in.Title != "", "author": in.Author != "", "publisher": in.Publisher != "",
		"published_on": in.PublishedOn != nil, "language": in.Language != "", "claims": len(in.Claims) > 0} {
		if given {
			f.Add(field, "comes from the page of an import by URL: edit the document once it is imported")
		}
	}
	if err := f.Err(); err != nil {
		s.RespondError(c, err)
		return
	}
	job, err := s.StartArticleImport(c.Request.Context(), in.URL, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Location", "/api/v1/jobs/"+web.Itoa(job.ID))
	c.JSON(http.StatusAccepted, gin.H{"job": job})
}
