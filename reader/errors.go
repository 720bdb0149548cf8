package reader

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/web"
)

// pageError answers a page request with a friendly HTML error page: the
// status of the error's code (the one table in errors.go) and a message for
// people. Internal errors are logged by errorResponse and shown only as
// "something went wrong" with the request ID, never their text.
func (s *Server) pageError(c *gin.Context, err error) {
	status, body := s.ErrorResponse(c, err)
	p := frontend.ErrorPage{Status: status, Title: "Something went wrong", Message: body.Error.Message}
	switch {
	case status == http.StatusNotFound:
		p.Title = "Page not found"
		p.Message = "There is no public page at this address. The claim may not have been published, or the link may be wrong."
	case status >= 500:
		p.Message = "We could not show this page. Please try again in a moment. If it keeps happening, tell us the request number " + web.RequestID(c) + "."
	case status == http.StatusTooManyRequests:
		p.Title = "Too many requests"
	default:
		p.Title = "This request cannot be answered"
	}
	s.writeErrorPage(c, p)
}

// readerNotFound is the page of an unknown path outside the API.
func (s *Server) readerNotFound(c *gin.Context) {
	s.pageError(c, models.Errorf(models.ENOTFOUND, "there is nothing at %s", c.Request.URL.Path))
}

func (s *Server) writeErrorPage(c *gin.Context, p frontend.ErrorPage) {
	h := c.Writer.Header()
	web.SetSecurityHeaders(h)
	h.Set("Cache-Control", "no-store")
	// Validators set for a page that turned out to fail must not stay.
	h.Del("ETag")
	h.Del("Last-Modified")
	body, err := s.Reader.Render.Error(p)
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render error page", "error", err)
		c.Data(p.Status, "text/plain; charset=utf-8", []byte(http.StatusText(p.Status)+"\n"))
		c.Abort()
		return
	}
	c.Data(p.Status, "text/html; charset=utf-8", body)
	c.Abort()
}
