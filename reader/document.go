package reader

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// documentPage serves /documents/{id}: the text with its public claims
// marked. A document none of whose claims is public is not shown.
func (s *Server) documentPage(c *gin.Context) {
	id, ok := readerPathID(c)
	if !ok {
		s.readerNotFound(c)
		return
	}
	ctx := c.Request.Context()
	rd := s.Reader
	key := "document:" + strconv.FormatInt(id, 10)
	st, err := rd.Stamps.Document(ctx, key, id)
	if err != nil {
		s.pageError(c, err)
		return
	}
	if !st.Public() {
		s.readerNotFound(c)
		return
	}
	err = rd.ServePage(c, key, st.ETag, st.LastModified, func() (*web.CachedPage, error) {
		return s.buildDocumentPage(ctx, id, st.ETag, st.DocumentStamp)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

// buildDocumentPage renders the page after its stamp st was read: if the
// document changes meanwhile, the newer page is stored under the older
// ETag and replaced on the next request, never the other way round.
func (s *Server) buildDocumentPage(ctx context.Context, id int64, etag string, st store.DocumentStamp) (*web.CachedPage, error) {
	d, err := s.DB.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	claims, err := s.DB.PublicClaimsOfDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	repeats, err := s.DB.AppearanceMarks(ctx, id)
	if err != nil {
		return nil, err
	}
	if !models.DocumentPublicWith(claims, repeats) {
		return nil, models.Errorf(models.ENOTFOUND, "document %d has no public claim", id)
	}
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, err
	}
	body, err := s.Reader.Render.Document(frontend.DocumentPage{Document: *d, Claims: claims, Repeats: repeats, Scale: scale})
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "text/html; charset=utf-8", Body: body}, nil
}
