package api

import (
	"github.com/gin-gonic/gin"

	"factdesk/frontend"
)

// ReaderSite is what the reader pages share: the renderer and the cache
// of rendered pages.
type ReaderSite struct {
	render *frontend.Renderer
	cache  *PageCache
	stamps *Stamps
}

// pageCacheBytes bounds the rendered pages kept in memory.
const pageCacheBytes = 48 << 20

// readerRoutes registers the public reader pages, feeds and static files.
// Every page and feed goes through the page cache, validated against the
// database on each request (reader_cache.go).
func (s *Server) readerRoutes() {
	r, err := frontend.New(frontend.Site{BaseURL: s.Config.BaseURL, OrgName: s.Config.OrgName, Bylines: !s.Config.HideBylines})
	if err != nil {
		// The templates are embedded: this is a broken build, caught by
		// every test that starts a server.
		panic(err)
	}
	s.Reader = &ReaderSite{render: r, cache: NewPageCache(pageCacheBytes)}
	s.Reader.stamps = NewStamps(s.DB, s.Reader.ETagOf)
	s.NotFoundPage = s.readerNotFound

	g := s.Engine.Group("/", SecurityHeaders, BodyLimit(MaxJSONBody))
	get := func(path string, h gin.HandlerFunc) {
		g.GET(path, h)
		g.HEAD(path, h)
	}
	get("/", s.homePage)
	get("/search", s.searchPage)
	get("/claims/:id", s.verdictPage)
	get("/claims/:id/card.png", s.cardImage)
	get("/claims/:id/:slug", s.verdictPage)
	get("/documents/:id", s.documentPage)
	if !s.Config.HideBylines {
		get("/team", s.teamPage)
	}
	get("/feeds/verdicts.atom", s.atomFeed)
	get("/feeds/claimreview.json", s.claimReviewFeed)
	get("/sitemap.xml", s.sitemap)
	get("/robots.txt", s.robots)
	get("/static/*file", s.readerStatic())
	// Readers' reports (reader_reports.go): forms that work without
	// JavaScript, limited per address, with a honeypot field.
	get("/suggest", s.suggestPage)
	g.POST("/suggest", s.postSuggestion)
	g.POST("/claims/:id/report", s.postErrorReport)
	get("/reports/thanks", s.reportThanks)
	get("/corrections-policy", s.correctionsPolicy)
}
