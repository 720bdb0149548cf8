package reader

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// Home and search pages depend on every claim and document: they are
// validated against the site's stamp, which any write changes.

const (
	homePageSize   = 20
	searchPageSize = 20
	maxQueryRunes  = 200
)

// homePage serves /: the latest verdicts, filtered by rating and document.
func (s *Server) homePage(c *gin.Context) {
	f := store.VerdictFilter{Limit: homePageSize, Rating: models.Rating(c.Query("rating"))}
	var err error
	if f.Rating != "" && !f.Rating.Valid() {
		err = web.InvalidField("There is no rating "+strconv.Quote(string(f.Rating))+".", "rating", "is not a rating")
	}
	if err == nil {
		f.DocumentID, err = web.QueryID(c, "document")
	}
	if err == nil {
		f.After, err = web.QueryID(c, "after")
	}
	if err != nil {
		s.pageError(c, err)
		return
	}
	ctx := c.Request.Context()
	key := "home:" + url.Values{"r": {string(f.Rating)}, "d": {web.Itoa(f.DocumentID)}, "a": {web.Itoa(f.After)}}.Encode()
	st, etag, err := s.SiteStamp(ctx, key)
	if err != nil {
		s.pageError(c, err)
		return
	}
	err = s.Reader.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		return s.buildHomePage(ctx, f, etag, st)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

func (s *Server) buildHomePage(ctx context.Context, f store.VerdictFilter, etag string, st store.SiteStamp) (*web.CachedPage, error) {
	page, err := s.DB.LatestVerdicts(ctx, f)
	if err != nil {
		return nil, err
	}
	docs, err := s.DB.ListDocuments(ctx, store.DocumentFilter{Limit: 200})
	if err != nil {
		return nil, err
	}
	byID := map[int64]models.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	var missing []int64
	for _, c := range page.Claims {
		if c.DocumentID != nil {
			if _, ok := byID[*c.DocumentID]; !ok {
				missing = append(missing, *c.DocumentID)
			}
		}
	}
	more, err := s.DB.DocumentsByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	for id, d := range more {
		byID[id] = d
	}
	// Only documents readers can open are offered in the filter.
	var filterable []models.Document
	for _, d := range docs {
		ds, err := s.DB.DocumentStamp(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if ds.Public() {
			filterable = append(filterable, d)
		}
	}
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, err
	}
	body, err := s.Reader.Render.Home(frontend.HomePage{
		Verdicts: page.Claims, Documents: byID, Filterable: filterable,
		Rating: f.Rating, DocumentID: f.DocumentID, Next: page.Next, First: f.After == 0, Scale: scale,
	})
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "text/html; charset=utf-8", Body: body}, nil
}

// searchPage serves /search?q=: claims readers may see and documents,
// ranked, with the matching words highlighted.
func (s *Server) searchPage(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	page, err := web.QueryID(c, "page")
	if err != nil {
		s.pageError(c, err)
		return
	}
	n := max(1, min(int(page), 50))
	if len(strings.Fields(q)) > web.MaxPublicSearchTerms {
		s.pageError(c, web.InvalidField("A search takes at most "+strconv.Itoa(web.MaxPublicSearchTerms)+" words.", "q", "has too many words"))
		return
	}
	ctx := c.Request.Context()
	key := "search:" + url.Values{"q": {q}, "p": {strconv.Itoa(n)}}.Encode()
	st, etag, err := s.SiteStamp(ctx, key)
	if err != nil {
		s.pageError(c, err)
		return
	}
	err = s.Reader.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		if q != "" && web.CurrentUser(c) == nil {
			if err := s.AllowSearch(c); err != nil {
				return nil, err
			}
		}
		sctx, cancel := context.WithTimeout(ctx, web.SearchTimeout)
		defer cancel()
		return s.buildSearchPage(sctx, q, n, etag, st)
	})
	if err != nil {
		s.pageError(c, err)
	}
}

func (s *Server) buildSearchPage(ctx context.Context, q string, n int, etag string, st store.SiteStamp) (*web.CachedPage, error) {
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, err
	}
	p := frontend.SearchPage{Query: q, Page: n, Scale: scale}
	if q != "" {
		hits, err := s.DB.Search(ctx, q, store.SearchOptions{PublicOnly: true, Limit: searchPageSize + 1, Offset: (n - 1) * searchPageSize})
		if err != nil {
			return nil, err
		}
		if len(hits) > searchPageSize {
			hits, p.HasNext = hits[:searchPageSize], true
		}
		var docIDs []int64
		for _, h := range hits {
			if h.DocumentID != nil {
				docIDs = append(docIDs, *h.DocumentID)
			}
		}
		docs, err := s.DB.DocumentsByID(ctx, docIDs)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			hit := frontend.SearchHit{Kind: h.Kind, Title: h.Title, Snippet: frontend.SnippetParts(h.Snippet, store.MarkStart, store.MarkEnd)}
			if h.Kind == "claim" {
				c := models.Claim{ID: h.ID, Text: h.Title, Status: h.Status, Rating: h.Rating}
				hit.Path, hit.Verdict = frontend.VerdictPath(&c), frontend.VerdictOf(&scale, &c)
				if h.DocumentID != nil {
					if d, ok := docs[*h.DocumentID]; ok {
						hit.Document = d.DisplayTitle()
					}
				}
			} else {
				// A document is public only through a public claim.
				ds, err := s.DB.DocumentStamp(ctx, h.ID)
				if err != nil {
					return nil, err
				}
				if !ds.Public() {
					continue
				}
				hit.Path = frontend.DocumentPath(h.ID)
				if hit.Title == "" {
					hit.Title = (&models.Document{}).DisplayTitle()
				}
			}
			p.Hits = append(p.Hits, hit)
		}
		p.TooShort = len(hits) == 0 && !hasWord(q)
	}
	body, err := s.Reader.Render.Search(p)
	if err != nil {
		return nil, err
	}
	return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "text/html; charset=utf-8", Body: body}, nil
}

func hasWord(q string) bool {
	for _, r := range q {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 {
			return true
		}
	}
	return false
}
