// Package api is the JSON API under /api/v1: one handler per route, each
// reading its request, calling the store and answering through package web
// (RespondError, RespondRecord, the views). openapi.yaml describes it.
package api

import (
	"github.com/gin-gonic/gin"

	"factdesk/web"
)

// Server is the JSON API's handlers over the shared engine.
type Server struct {
	*web.Server
	// openAPI is the OpenAPI document of /api/v1, as JSON.
	openAPI []byte
}

// Routes registers the JSON API under /api/v1, one line per route.
// Reads marked "public" answer anonymous readers with the public views;
// everything else needs a session or an API token, and cookie-authenticated
// writes need the CSRF token. openapi.yaml describes each route.
// A handler is given what its route reads before it runs, each fault
// answered the same way: the record's ID (withID, withPart), the JSON body
// (body, idBody), a store's update (update), or a versioned edit (edit).
func Routes(core *web.Server) error {
	doc, err := openAPIJSON()
	if err != nil {
		return err
	}
	s := &Server{Server: core, openAPI: doc}
	// Signing in has no session yet, so no CSRF token to check: a forged
	// cross-site sign-in cannot send a JSON body without a CORS preflight.
	open := s.Engine.Group("/api/v1", web.BodyLimit(web.MaxJSONBody))
	open.POST("/auth/login", s.postLogin)

	v1 := s.Engine.Group("/api/v1", web.BodyLimit(web.MaxJSONBody), s.CSRFGuard)
	// A document's JSON carries its body, up to models.MaxDocumentBytes.
	docs := s.Engine.Group("/api/v1", web.BodyLimit(web.MaxDocumentJSONBody), s.CSRFGuard)
	v1.GET("/openapi.json", s.getOpenAPI) // public
	v1.POST("/auth/logout", s.postLogout)
	v1.GET("/me", s.NeedUser, s.getMe)
	v1.PATCH("/me/password", s.NeedUser, body(s, s.patchMyPassword))

	v1.GET("/tokens", s.NeedUser, s.listTokens)
	v1.POST("/tokens", s.NeedUser, body(s, s.postToken))
	v1.DELETE("/tokens/:id", s.NeedUser, s.withID(s.deleteToken))

	v1.GET("/documents", s.listDocuments)             // public
	v1.GET("/documents/:id", s.withID(s.getDocument)) // public
	docs.POST("/documents", s.NeedUser, body(s, s.postDocument))
	docs.PATCH("/documents/:id", s.NeedUser, update(s, s.patchDocument))
	v1.POST("/documents/:id/detect", s.NeedUser, s.withID(s.postDetection))
	v1.DELETE("/documents/:id", s.NeedUser, s.withID(s.deleteDocument))

	v1.GET("/claims", s.listClaims) // public
	v1.GET("/claims/export", s.NeedUser, s.exportClaims)
	v1.GET("/claims/:id", s.withID(s.getClaim))           // public
	v1.GET("/claims/:id/matches", s.withID(s.getMatches)) // public
	v1.POST("/claims", s.NeedUser, body(s, s.postClaim))
	v1.PATCH("/claims/:id", s.NeedUser, update(s, s.patchClaim))
	v1.POST("/claims/:id/transitions", s.NeedUser, edit(s, s.postTransition))
	v1.PUT("/claims/:id/anchor", s.NeedUser, edit(s, s.putAnchor))
	v1.GET("/claims/:id/revisions", s.NeedUser, s.withID(s.getRevisions))
	v1.POST("/claims/:id/evidence", s.NeedUser, idBody(s, s.postEvidence))
	v1.PATCH("/claims/:id/evidence/:evidence_id", s.NeedUser, s.withPart("evidence_id", s.patchEvidence))
	v1.DELETE("/claims/:id/evidence/:evidence_id", s.NeedUser, s.withPart("evidence_id", s.deleteEvidence))
	v1.POST("/claims/:id/appearances", s.NeedUser, edit(s, s.postAppearance))
	v1.DELETE("/claims/:id/appearances/:appearance_id", s.NeedUser, s.withPart("appearance_id", s.deleteAppearance))
	docs.POST("/reviews/import", s.NeedUser, s.postReviewsImport)

	v1.GET("/sources", s.NeedUser, s.listSources)
	v1.POST("/sources", s.NeedUser, body(s, s.postSource))
	v1.GET("/sources/:id", s.NeedUser, s.withID(s.getSource))
	v1.PATCH("/sources/:id", s.NeedUser, update(s, s.patchSource))
	v1.GET("/sources/:id/snapshots", s.NeedUser, s.withID(s.getSnapshots))
	v1.POST("/sources/:id/snapshots", s.NeedUser, s.withID(s.postSnapshot))

	v1.GET("/jobs/:id", s.NeedUser, s.getJob)

	// The desk's own conversation (team.go): never public.
	v1.GET("/notifications", s.NeedUser, s.listNotifications)
	v1.GET("/notifications/unread", s.NeedUser, s.getUnreadCount)
	v1.POST("/notifications/read", s.NeedUser, body(s, s.postNotificationsRead))
	v1.GET("/me/preferences", s.NeedUser, s.getPreferences)
	v1.PUT("/me/preferences", s.NeedUser, body(s, s.putPreferences))
	v1.GET("/claims/:id/comments", s.NeedUser, s.withID(s.listComments))
	v1.POST("/claims/:id/comments", s.NeedUser, idBody(s, s.postComment))
	v1.PATCH("/claims/:id/comments/:comment_id", s.NeedUser, s.withPart("comment_id", s.patchComment))
	v1.GET("/reports", s.NeedUser, s.listReports)
	v1.POST("/reports/:id/moderation", s.NeedUser, idBody(s, s.postModeration))
	v1.GET("/webhooks", s.NeedAdmin, s.listWebhooks)
	v1.POST("/webhooks", s.NeedAdmin, body(s, s.postWebhook))
	v1.PATCH("/webhooks/:id", s.NeedAdmin, idBody(s, s.patchWebhook))
	v1.DELETE("/webhooks/:id", s.NeedAdmin, s.withID(s.deleteWebhook))
	v1.GET("/deliveries", s.NeedAdmin, s.listDeliveries)

	v1.GET("/search", s.getSearch) // public

	v1.GET("/scale", s.getScale)                // public
	v1.GET("/scale/presets", s.getScalePresets) // public
	v1.PUT("/scale", s.NeedAdmin, body(s, s.putScale))

	v1.GET("/users", s.NeedAdmin, s.listUsers)
	v1.POST("/users", s.NeedAdmin, body(s, s.postUser))
	v1.PATCH("/users/:id", s.NeedAdmin, update(s, s.patchUser))
	return nil
}

// withID serves a route of the record at :id, given its ID.
func (s *Server) withID(h func(c *gin.Context, id int64)) gin.HandlerFunc {
	return web.WithID(s.RespondError, h)
}

// withPart serves a route of one part of the record at :id, given both IDs.
func (s *Server) withPart(part string, h func(c *gin.Context, id, partID int64)) gin.HandlerFunc {
	return web.WithPart(s.RespondError, part, h)
}

// edit serves a versioned edit of the record at :id, given the ID, the
// version it is based on and the body (web.WithEdit).
func edit[In any, P interface {
	*In
	web.Versioned
}](s *Server, h func(c *gin.Context, id int64, version int, in P)) gin.HandlerFunc {
	return web.WithEdit(s.RespondError, h)
}

// body serves a route whose request is a JSON body, given it decoded
// (web.WithBody).
func body[In any](s *Server, h func(c *gin.Context, in *In)) gin.HandlerFunc {
	return web.WithBody(s.RespondError, h)
}

// idBody serves a route of the record at :id whose request is a JSON
// body, given both (web.WithIDBody).
func idBody[In any](s *Server, h func(c *gin.Context, id int64, in *In)) gin.HandlerFunc {
	return web.WithIDBody(s.RespondError, h)
}

// update serves a partial update of the record at :id, given the ID and
// the update (web.WithUpdate).
func update[U any](s *Server, h func(c *gin.Context, id int64, u *U)) gin.HandlerFunc {
	return web.WithUpdate(s.RespondError, h)
}
