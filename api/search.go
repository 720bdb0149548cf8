package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/store"
	"factdesk/web"
)

// getSearch finds claims and documents, best first. Readers search what
// they may see; a claim's rating shows only once it is published. Matched
// words in a snippet stand between U+E000 and U+E001.
//
// Anonymous searches are bounded (review finding 3): at most
// maxPublicSearchTerms words, answered from the reader cache while nothing
// changed, and otherwise limited per address and stopped after
// searchTimeout with a 503.
func (s *Server) getSearch(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if q == "" {
		s.RespondError(c, web.InvalidField("say what to search for in q", "q", "is required"))
		return
	}
	limit, err := web.PageLimit(c, 20)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	offset, err := web.DecodeCursor(c.Query("cursor"))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if offset > 10000 {
		s.RespondError(c, web.InvalidField("search pages end after 10,000 results", "cursor", "is past the last page"))
		return
	}
	if web.CurrentUser(c) != nil {
		body, err := s.searchJSON(c.Request.Context(), q, false, limit, offset)
		if err != nil {
			s.RespondError(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return
	}
	if len(strings.Fields(q)) > web.MaxPublicSearchTerms {
		s.RespondError(c, web.InvalidField("a search takes at most "+strconv.Itoa(web.MaxPublicSearchTerms)+" words", "q", "has too many words"))
		return
	}
	ctx := c.Request.Context()
	key := "api-search:" + url.Values{"q": {q}, "l": {strconv.Itoa(limit)}, "o": {strconv.FormatInt(offset, 10)}}.Encode()
	st, etag, err := s.SiteStamp(ctx, key)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	err = s.Reader.ServePage(c, key, etag, st.LastModified, func() (*web.CachedPage, error) {
		if err := s.AllowSearch(c); err != nil {
			return nil, err
		}
		sctx, cancel := context.WithTimeout(ctx, web.SearchTimeout)
		defer cancel()
		body, err := s.searchJSON(sctx, q, true, limit, offset)
		if err != nil {
			return nil, err
		}
		return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "application/json; charset=utf-8", Body: body}, nil
	})
	if err != nil {
		s.RespondError(c, err)
	}
}

// searchJSON is one page of results as the API sends it.
func (s *Server) searchJSON(ctx context.Context, q string, public bool, limit int, offset int64) ([]byte, error) {
	hits, err := s.DB.Search(ctx, q, store.SearchOptions{PublicOnly: public, Limit: limit + 1, Offset: int(offset)})
	if err != nil {
		return nil, err
	}
	var next int64
	if len(hits) > limit {
		hits, next = hits[:limit], offset+int64(limit)
	}
	out := make([]web.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = web.NewSearchHit(public, h)
	}
	return json.Marshal(gin.H{"results": out, "next_cursor": web.NextCursor(next)})
}
