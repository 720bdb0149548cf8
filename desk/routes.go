// Package desk is the editors' pages under /desk: triage, the queue, the
// claim editor, documents, sources, the newsroom's own pages. Handlers read
// forms through form.go, call the store and render frontend/desk templates.
package desk

import (
	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/web"
)

// deskPages are the desk's templates, parsed once. They are embedded in the
// binary, so a template that does not parse is a bug of the build: the
// program stops at start-up rather than on the first request.
var deskPages = func() *deskview.Renderer {
	r, err := deskview.New()
	if err != nil {
		panic(err)
	}
	return r
}()

// Server is the desk's handlers over the shared engine.
type Server struct{ *web.Server }

// Routes registers the editors' pages under /desk. Every page but the
// sign-in needs an editor's session, and every POST its CSRF token.
func Routes(core *web.Server) {
	s := &Server{core}
	g := s.Engine.Group("/desk", s.deskHeaders, web.BodyLimit(web.MaxJSONBody))
	// The forms that carry a document's text, percent-encoded.
	docForms := s.Engine.Group("/desk", s.deskHeaders, web.BodyLimit(web.MaxDocumentFormBody), s.deskSignedIn, s.deskCSRF)
	g.GET("/login", s.deskLoginPage)
	g.POST("/login", s.deskLogin)

	in := g.Group("", s.deskSignedIn, s.deskCSRF)
	in.POST("/logout", s.deskLogout)
	in.GET("", s.deskDashboard)
	in.GET("/documents", s.deskDocuments)
	in.GET("/documents/new", s.deskDocumentNew)
	docForms.POST("/documents", s.deskDocumentCreate)
	in.POST("/documents/fetch", s.deskDocumentFetch)
	in.GET("/documents/:id", s.deskDocument)
	in.POST("/documents/:id/claims", s.withID(s.deskClaimFromSelection))
	in.GET("/documents/:id/original", s.withID(s.deskOriginal))
	in.GET("/documents/:id/edit", s.withID(s.deskDocumentEdit))
	docForms.POST("/documents/:id/edit", s.withID(s.deskDocumentSave))
	in.POST("/documents/:id/place", s.deskPlaceClaim)
	in.POST("/documents/:id/detect", s.withID(s.deskDetect))
	in.GET("/jobs", s.deskJobs)
	in.GET("/claims", s.deskClaims)
	in.GET("/claims/:id", s.deskClaim)
	in.POST("/claims/:id", s.withID(s.deskClaimSave))
	in.POST("/claims/:id/claimant", s.withID(s.deskClaimantConfirm))
	in.POST("/claims/:id/evidence", s.withID(s.deskEvidenceAdd))
	in.POST("/claims/:id/evidence/:evidence_id", s.withPart("evidence_id", s.deskEvidenceChange))
	in.POST("/claims/:id/sources/:source_id/archive", s.withPart("source_id", s.deskArchiveAgain))
	in.GET("/claims/:id/preview", s.withID(s.deskVerdictPreview))
	in.POST("/claims/:id/transition", s.withID(s.deskTransition))
	in.POST("/claims/:id/appearances", s.withID(s.deskAppearanceLink))
	in.POST("/claims/:id/appearances/:appearance_id/unlink", s.withPart("appearance_id", s.deskAppearanceUnlink))
	in.POST("/preview", s.deskPreview)
	in.GET("/stats", s.deskStats)
	in.GET("/account", s.deskAccount)
	in.POST("/account", s.deskPasswordChange)
	in.POST("/account/preferences", s.deskPreferencesSave)
	in.GET("/reports", s.deskReports)
	in.POST("/reports/:id", s.withID(s.deskReportModerate))
	in.GET("/notifications", s.deskNotifications)
	in.POST("/notifications/read", s.deskNotificationsRead)
	in.POST("/claims/:id/comments", s.withID(s.deskCommentAdd))
	in.POST("/claims/:id/comments/:comment_id", s.withPart("comment_id", s.deskCommentEdit))

	admin := in.Group("/users", s.deskAdminOnly)
	admin.GET("", s.deskUsers)
	admin.POST("", s.deskUserCreate)
	admin.POST("/:id", s.withID(s.deskUserChange))
	hooks := in.Group("/webhooks", s.deskAdminOnly)
	hooks.GET("", s.deskWebhooks)
	hooks.POST("", s.deskWebhookCreate)
	hooks.POST("/:id/active", s.withID(s.deskWebhookActive))
	hooks.POST("/:id/delete", s.withID(s.deskWebhookDelete))

	scale := in.Group("/scale", s.deskAdminOnlyFor("change the rating scale"))
	scale.GET("", s.deskScale)
	scale.POST("", s.deskScaleSave)
	scale.POST("/preset", s.deskScalePreset)
}

// withID serves a page of the record at :id, given its ID.
func (s *Server) withID(h func(c *gin.Context, id int64)) gin.HandlerFunc {
	return web.WithID(s.deskError, h)
}

// withPart serves a page of one part of the record at :id, given both IDs.
func (s *Server) withPart(part string, h func(c *gin.Context, id, partID int64)) gin.HandlerFunc {
	return web.WithPart(s.deskError, part, h)
}
