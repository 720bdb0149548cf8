package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/store"
)

// getSearch finds claims and documents, best first. Readers search what
// they may see; a claim's rating shows only once it is published. Matched
// words in a snippet stand between U+E000 and U+E001.
func (s *Server) getSearch(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if q == "" {
		s.respondError(c, invalidField("say what to search for in q", "q", "is required"))
		return
	}
	limit, err := pageLimit(c, 20)
	if err != nil {
		s.respondError(c, err)
		return
	}
	offset, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		s.respondError(c, err)
		return
	}
	if offset > 10000 {
		s.respondError(c, invalidField("search pages end after 10,000 results", "cursor", "is past the last page"))
		return
	}
	hits, err := s.db.Search(c.Request.Context(), q, store.SearchOptions{PublicOnly: currentUser(c) == nil, Limit: limit + 1, Offset: int(offset)})
	if err != nil {
		s.respondError(c, err)
		return
	}
	var next int64
	if len(hits) > limit {
		hits, next = hits[:limit], offset+int64(limit)
	}
	out := make([]searchHit, len(hits))
	for i, h := range hits {
		out[i] = newSearchHit(c, h)
	}
	c.JSON(http.StatusOK, gin.H{"results": out, "next_cursor": nextCursor(next)})
}
