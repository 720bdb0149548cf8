package reader

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

const (
	atomEntries    = 50
	maxFeedClaims  = 50000
	maxSitemapURLs = 50000 // the sitemap protocol's limit for one file
)

// atomFeed serves /feeds/verdicts.atom: the latest published verdicts.
func (s *Server) atomFeed(c *gin.Context) {
	s.verdictFeed(c, "atom", "application/atom+xml; charset=utf-8", atomEntries, s.Reader.Render.Atom)
}

// claimReviewFeed serves /feeds/claimreview.json: the ClaimReview of every
// published verdict.
func (s *Server) claimReviewFeed(c *gin.Context) {
	s.verdictFeed(c, "claimreview", "application/json; charset=utf-8", maxFeedClaims, s.Reader.Render.ClaimReviewFeed)
}

// verdictFeed serves a feed of the latest published verdicts, at most
// limit of them, on the newsroom's scale.
func (s *Server) verdictFeed(c *gin.Context, key, ctype string, limit int, render func(*models.Scale, []frontend.FeedItem, time.Time) ([]byte, error)) {
	s.readerFeed(c, key, ctype, func(ctx context.Context, st store.SiteStamp) ([]byte, error) {
		items, err := s.readerFeedItems(ctx, limit)
		if err != nil {
			return nil, err
		}
		scale, err := s.DB.Scale(ctx)
		if err != nil {
			return nil, err
		}
		return render(&scale, items, st.LastModified)
	})
}

// sitemap serves /sitemap.xml: the home page, the team page (with
// bylines), every public verdict page and every public document.
func (s *Server) sitemap(c *gin.Context) {
	s.readerFeed(c, "sitemap", "application/xml; charset=utf-8", func(ctx context.Context, st store.SiteStamp) ([]byte, error) {
		claims, err := s.DB.PublicClaims(ctx, maxSitemapURLs-1)
		if err != nil {
			return nil, err
		}
		urls := []frontend.SitemapURL{{Path: "/", Modified: st.LastModified}}
		if !s.Config.HideBylines {
			urls = append(urls, frontend.SitemapURL{Path: "/team", Modified: st.UsersUpdated})
		}
		docs := map[int64]time.Time{}
		var order []int64
		for _, cl := range claims {
			// Pages of claims still being checked carry noindex: they wait
			// for their verdict to be listed.
			if cl.Status == models.StatusPublished {
				urls = append(urls, frontend.SitemapURL{Path: frontend.VerdictPath(&cl), Modified: cl.UpdatedAt})
			}
			if cl.DocumentID != nil {
				id := *cl.DocumentID
				if _, seen := docs[id]; !seen {
					order = append(order, id)
				}
				if cl.UpdatedAt.After(docs[id]) {
					docs[id] = cl.UpdatedAt
				}
			}
		}
		// Documents public through a claim said again in them alone.
		repeated, err := s.DB.RepeatDocuments(ctx, maxSitemapURLs)
		if err != nil {
			return nil, err
		}
		var extra []int64
		for id, at := range repeated {
			if _, seen := docs[id]; !seen {
				extra = append(extra, id)
			}
			if at.After(docs[id]) {
				docs[id] = at
			}
		}
		slices.Sort(extra)
		order = append(order, extra...)
		for _, id := range order {
			if len(urls) >= maxSitemapURLs {
				break
			}
			urls = append(urls, frontend.SitemapURL{Path: frontend.DocumentPath(id), Modified: docs[id]})
		}
		return s.Reader.Render.Sitemap(urls)
	})
}

// robots serves /robots.txt; it changes only with a release.
func (s *Server) robots(c *gin.Context) {
	rd := s.Reader
	p := &web.CachedPage{Key: "robots", ETag: rd.ETagOf("robots", ""), ContentType: "text/plain; charset=utf-8", Body: rd.Render.Robots()}
	web.WritePage(c, p)
}

// feed serves a document built from the whole site, cached under the
// site's stamp.
func (s *Server) readerFeed(c *gin.Context, key, ctype string, build func(context.Context, store.SiteStamp) ([]byte, error)) {
	ctx := c.Request.Context()
	st, etag, err := s.SiteStamp(ctx, key)
	if err != nil {
		s.readerFeedError(c, err)
		return
	}
	err = s.Reader.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		body, err := build(ctx, st)
		if err != nil {
			return nil, err
		}
		return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: ctype, Body: body}, nil
	})
	if err != nil {
		s.readerFeedError(c, err)
	}
}

// readerFeedError answers a failed feed in plain text: a feed reader shows no page.
func (s *Server) readerFeedError(c *gin.Context, err error) {
	status, body := s.ErrorResponse(c, err)
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/plain; charset=utf-8", []byte(body.Error.Message+"\n"))
	c.Abort()
}

// readerFeedItems returns up to limit published verdicts, newest first, with
// their documents.
func (s *Server) readerFeedItems(ctx context.Context, limit int) ([]frontend.FeedItem, error) {
	var items []frontend.FeedItem
	f := store.VerdictFilter{Limit: min(limit, 1000)}
	for len(items) < limit {
		page, err := s.DB.LatestVerdicts(ctx, f)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, c := range page.Claims {
			if c.DocumentID != nil {
				ids = append(ids, *c.DocumentID)
			}
		}
		claimIDs := make([]int64, len(page.Claims))
		for i, c := range page.Claims {
			claimIDs[i] = c.ID
		}
		apps, err := s.DB.AppearancesOf(ctx, claimIDs)
		if err != nil {
			return nil, err
		}
		for _, list := range apps {
			for _, a := range list {
				ids = append(ids, a.DocumentID)
			}
		}
		docs, err := s.DB.DocumentsByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		corrected, err := s.DB.LastCorrections(ctx, claimIDs)
		if err != nil {
			return nil, err
		}
		var people []int64
		for _, c := range page.Claims {
			for _, id := range []*int64{c.SubmitterID, c.ReviewerID} {
				if id != nil {
					people = append(people, *id)
				}
			}
		}
		names, err := s.DB.UserNames(ctx, people)
		if err != nil {
			return nil, err
		}
		for _, c := range page.Claims {
			b := store.BylinesOf(&c, names)
			it := frontend.FeedItem{Claim: c, Checker: b.Checker, Reviewer: b.Reviewer}
			if at, ok := corrected[c.ID]; ok {
				it.Corrected = &at
			}
			if c.DocumentID != nil {
				if d, ok := docs[*c.DocumentID]; ok {
					it.Document = &d
				}
			}
			for _, a := range apps[c.ID] {
				it.Appearances = append(it.Appearances, frontend.Appearance{Appearance: a, Document: docs[a.DocumentID]})
			}
			items = append(items, it)
		}
		if page.Next == 0 {
			break
		}
		f.After = page.Next
	}
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// static serves the embedded static folder. A URL carrying the current
// release's version (?v=) may be kept for a year; others revalidate.
func (s *Server) readerStatic() gin.HandlerFunc {
	files := http.FileServerFS(frontend.Static())
	version := s.Reader.Render.Version()
	etag := `"` + version + `"`
	return func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("file"), "/")
		if name == "" || strings.HasSuffix(name, "/") {
			s.readerNotFound(c)
			return
		}
		h := c.Writer.Header()
		if c.Query("v") == version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		h.Set("ETag", etag)
		req := c.Request.Clone(c.Request.Context())
		req.URL.Path = "/" + name
		files.ServeHTTP(c.Writer, req)
	}
}
