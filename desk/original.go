package desk

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// originalCSP serves a fetched page as an inert copy: sandboxed (no script,
// no form, no plugin, a unique origin), nothing loaded from anywhere but
// inline styles and data: images, so opening it tells the publisher
// nothing and runs nothing of theirs.
const originalCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// deskOriginal serves the page a document was imported from, as fetched,
// to editors.
func (s *Server) deskOriginal(c *gin.Context, id int64) {
	o, page, err := s.DB.GetOriginal(c.Request.Context(), id)
	if err != nil {
		s.deskError(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", originalCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("X-Factdesk-Fetched", o.FetchedAt.UTC().Format(http.TimeFormat))
	h.Set("Content-Disposition", "inline; filename=\"document-"+strconv.FormatInt(id, 10)+"-original.html\"")
	ct := o.ContentType
	if o.Charset != "" {
		ct += "; charset=" + o.Charset
	}
	c.Data(http.StatusOK, ct, page)
}
