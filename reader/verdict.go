package reader

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// publicClaimState reads the claim of a reader path (/claims/{id}/…) and
// its stamp, under the cache key of its verdict page. A claim that does
// not exist or is not public has been answered 404 when ok is false, and a
// failure answered too.
func (s *Server) publicClaimState(c *gin.Context) (id int64, key string, st web.ClaimState, ok bool) {
	id, ok = readerPathID(c)
	if !ok {
		s.readerNotFound(c)
		return 0, "", st, false
	}
	key = "claim:" + strconv.FormatInt(id, 10)
	st, err := s.Reader.Stamps.Claim(c.Request.Context(), key, id)
	if err != nil {
		s.pageError(c, err)
		return 0, "", st, false
	}
	if !st.Status.Public() {
		s.readerNotFound(c)
		return 0, "", st, false
	}
	return id, key, st, true
}

// verdictPage serves /claims/{id}/{slug}: a published verdict, or "being
// checked" for a claim in research. Candidates and dismissed claims are
// not public: 404. A wrong or missing slug redirects to the right one.
func (s *Server) verdictPage(c *gin.Context) {
	id, key, st, ok := s.publicClaimState(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	rd := s.Reader
	var err error
	p, ok := rd.Cache.Get(key, st.ETag)
	if !ok {
		if p, err = s.buildVerdictPage(ctx, id); err != nil {
			s.pageError(c, err)
			return
		}
		rd.Cache.Put(p)
	}
	if c.Param("slug") != lastSegment(p.Location) {
		c.Header("Cache-Control", web.CacheControl)
		c.Redirect(http.StatusMovedPermanently, (&url.URL{Path: p.Location}).EscapedPath())
		return
	}
	web.WritePage(c, p)
}

// buildVerdictPage reads a claim whole and renders its page; the ETag comes
// from the data rendered.
func (s *Server) buildVerdictPage(ctx context.Context, id int64) (*web.CachedPage, error) {
	d, err := s.DB.GetClaimDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.Claim.Status.Public() {
		return nil, models.Errorf(models.ENOTFOUND, "claim %d is not public", id)
	}
	page, st := verdictOf(d)
	body, err := s.Reader.Render.Verdict(page)
	if err != nil {
		return nil, err
	}
	key := "claim:" + strconv.FormatInt(id, 10)
	return &web.CachedPage{
		Key:         key,
		ETag:        s.Reader.ETagOf(key, st.Key()),
		Modified:    st.LastModified,
		ContentType: "text/html; charset=utf-8",
		Body:        body,
		Location:    frontend.VerdictPath(&d.Claim),
	}, nil
}

// verdictOf is the one place a verdict page's data and its stamp come
// from, both from the same read: the page shows only what is in d, and the
// stamp (store.StampOf) must change whenever anything of d the page shows
// does. TestStampCoversThePage holds that rule, field by field.
func verdictOf(d *store.ClaimDetail) (frontend.VerdictPage, store.ClaimStamp) {
	page := frontend.VerdictPage{Claim: d.Claim, Document: d.Document, Corrections: d.Corrections, Scale: d.Scale,
		Checker: d.Bylines.Checker, Reviewer: d.Bylines.Reviewer}
	for _, a := range d.Appearances {
		page.Appearances = append(page.Appearances, frontend.Appearance{Appearance: a, Document: d.AppearanceDocuments[a.DocumentID]})
	}
	for _, e := range d.Evidence {
		a, ok := d.Archives[e.SourceID]
		page.Evidence = append(page.Evidence, frontend.Evidence{Evidence: e.Evidence, Source: e.Source, Archive: archiveLink(a, ok)})
	}
	return page, store.StampOf(d)
}

// readerPathID reads the :id of a path; anything but a positive integer is no page.
func readerPathID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

func lastSegment(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// cardImage serves /claims/{id}/card.png: the verdict's share card, a PNG
// Factdesk draws with its rating and the claim. It is cached and
// validated like the verdict page, under the claim's stamp (the status,
// the claim's version and the scale's cover all the card shows).
func (s *Server) cardImage(c *gin.Context) {
	id, _, st, ok := s.publicClaimState(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	rd := s.Reader
	key := "card:" + strconv.FormatInt(id, 10)
	etag := rd.ETagOf(key, st.Key())
	err := rd.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		return s.buildCard(ctx, id, etag, st.ClaimStamp)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

// buildCard draws the card after the stamp st was read (a newer card may
// be stored under the older ETag, and is replaced on the next request).
func (s *Server) buildCard(ctx context.Context, id int64, etag string, st store.ClaimStamp) (*web.CachedPage, error) {
	cl, err := s.DB.GetClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	if !cl.Status.Public() {
		return nil, models.Errorf(models.ENOTFOUND, "claim %d is not public", id)
	}
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, err
	}
	body, err := s.Reader.Render.Card(&scale, cl)
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "image/png", Body: body}, nil
}
