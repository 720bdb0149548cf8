package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
)

// deskPreview renders an explanation with the reader pages' sanitising
// Markdown renderer, as an HTML fragment for the editor's preview.
func (s *Server) deskPreview(c *gin.Context) {
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(frontend.Markdown(c.PostForm("explanation"))))
}
