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
		return s.buildDocumentPage(ctx, key, id)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

// buildDocumentPage reads the document whole and renders its page; the
// ETag comes from the data rendered, so if the document changed since its
// stamp was read, the page is kept under its own, newer state.
func (s *Server) buildDocumentPage(ctx context.Context, key string, id int64) (*web.CachedPage, error) {
	d, err := s.DB.GetDocumentDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	page, st := documentOf(d)
	if !models.DocumentPublicWith(page.Claims, page.Repeats) {
		return nil, models.Errorf(models.ENOTFOUND, "document %d has no public claim", id)
	}
	body, err := s.Reader.Render.Document(page)
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: s.Reader.ETagOf(key, st.Key()), Modified: st.LastModified, ContentType: "text/html; charset=utf-8", Body: body}, nil
}

// documentOf is the one place an annotated document page's data and its
// stamp come from, both from the same read: the claims readers may see,
// and the public claims said again here, each marked at the words of its
// appearance. TestStampCoversThePage holds the stamp to it.
func documentOf(d *store.DocumentDetail) (frontend.DocumentPage, store.DocumentStamp) {
	claims, repeats := d.Public()
	return frontend.DocumentPage{Document: d.Document, Claims: claims, Repeats: repeats, Scale: d.Scale}, store.DocumentStampOf(d)
}
