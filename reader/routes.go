// Package reader is the public site: verdict pages, annotated documents,
// search, feeds, the sitemap, archived copies and readers' reports. Every
// page goes through the cache of package web, validated by its stamp.
package reader

import (
	"factdesk/web"

	"github.com/gin-gonic/gin"
)

// Server is the reader pages' handlers over the shared engine.
type Server struct{ *web.Server }

// Routes registers the public reader pages, feeds and static files.
// Every page and feed goes through the page cache, validated against the
// database on each request (web/cache.go).
func Routes(core *web.Server) {
	s := &Server{core}
	defer s.archiveRoutes()
	s.NotFoundPage = s.readerNotFound

	g := s.Engine.Group("/", web.SecurityHeaders, web.BodyLimit(web.MaxJSONBody))
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
	// Readers' reports (reports.go): forms that work without
	// JavaScript, limited per address, with a honeypot field.
	get("/suggest", s.suggestPage)
	g.POST("/suggest", s.postSuggestion)
	g.POST("/claims/:id/report", s.postErrorReport)
	get("/reports/thanks", s.reportThanks)
	get("/corrections-policy", s.correctionsPolicy)
}
