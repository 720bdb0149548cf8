package api

// apiRoutes registers the JSON API under /api/v1, one line per route.
// Reads marked "public" answer anonymous readers with the public views;
// everything else needs a session or an API token, and cookie-authenticated
// writes need the CSRF token. openapi.yaml describes each route.
func (s *Server) apiRoutes() {
	// Signing in has no session yet, so no CSRF token to check: a forged
	// cross-site sign-in cannot send a JSON body without a CORS preflight.
	open := s.engine.Group("/api/v1", bodyLimit(maxJSONBody))
	open.POST("/auth/login", s.postLogin)

	v1 := s.engine.Group("/api/v1", bodyLimit(maxJSONBody), s.csrfGuard)
	// A document's JSON carries its body, up to models.MaxDocumentBytes.
	docs := s.engine.Group("/api/v1", bodyLimit(maxDocumentJSONBody), s.csrfGuard)
	v1.GET("/openapi.json", s.getOpenAPI) // public
	v1.POST("/auth/logout", s.postLogout)
	v1.GET("/me", s.needUser, s.getMe)
	v1.PATCH("/me/password", s.needUser, s.patchMyPassword)

	v1.GET("/tokens", s.needUser, s.listTokens)
	v1.POST("/tokens", s.needUser, s.postToken)
	v1.DELETE("/tokens/:id", s.needUser, s.deleteToken)

	v1.GET("/documents", s.listDocuments)   // public
	v1.GET("/documents/:id", s.getDocument) // public
	docs.POST("/documents", s.needUser, s.postDocument)
	docs.PATCH("/documents/:id", s.needUser, s.patchDocument)
	v1.POST("/documents/:id/detect", s.needUser, s.postDetection)
	v1.DELETE("/documents/:id", s.needUser, s.deleteDocument)

	v1.GET("/claims", s.listClaims) // public
	v1.GET("/claims/export", s.needUser, s.exportClaims)
	v1.GET("/claims/:id", s.getClaim)           // public
	v1.GET("/claims/:id/matches", s.getMatches) // public
	v1.POST("/claims", s.needUser, s.postClaim)
	v1.PATCH("/claims/:id", s.needUser, s.patchClaim)
	v1.POST("/claims/:id/transitions", s.needUser, s.postTransition)
	v1.PUT("/claims/:id/anchor", s.needUser, s.putAnchor)
	v1.GET("/claims/:id/revisions", s.needUser, s.getRevisions)
	v1.POST("/claims/:id/evidence", s.needUser, s.postEvidence)
	v1.PATCH("/claims/:id/evidence/:evidence_id", s.needUser, s.patchEvidence)
	v1.DELETE("/claims/:id/evidence/:evidence_id", s.needUser, s.deleteEvidence)
	v1.POST("/claims/:id/appearances", s.needUser, s.postAppearance)
	v1.DELETE("/claims/:id/appearances/:appearance_id", s.needUser, s.deleteAppearance)
	docs.POST("/reviews/import", s.needUser, s.postReviewsImport)

	v1.GET("/sources", s.needUser, s.listSources)
	v1.POST("/sources", s.needUser, s.postSource)
	v1.GET("/sources/:id", s.needUser, s.getSource)
	v1.PATCH("/sources/:id", s.needUser, s.patchSource)
	v1.GET("/sources/:id/snapshots", s.needUser, s.getSnapshots)
	v1.POST("/sources/:id/snapshots", s.needUser, s.postSnapshot)

	v1.GET("/jobs/:id", s.needUser, s.getJob)

	// The desk's own conversation (v1_team.go): never public.
	v1.GET("/notifications", s.needUser, s.listNotifications)
	v1.GET("/notifications/unread", s.needUser, s.getUnreadCount)
	v1.POST("/notifications/read", s.needUser, s.postNotificationsRead)
	v1.GET("/me/preferences", s.needUser, s.getPreferences)
	v1.PUT("/me/preferences", s.needUser, s.putPreferences)
	v1.GET("/claims/:id/comments", s.needUser, s.listComments)
	v1.POST("/claims/:id/comments", s.needUser, s.postComment)
	v1.PATCH("/claims/:id/comments/:comment_id", s.needUser, s.patchComment)
	v1.GET("/reports", s.needUser, s.listReports)
	v1.POST("/reports/:id/moderation", s.needUser, s.postModeration)
	v1.GET("/webhooks", s.needAdmin, s.listWebhooks)
	v1.POST("/webhooks", s.needAdmin, s.postWebhook)
	v1.PATCH("/webhooks/:id", s.needAdmin, s.patchWebhook)
	v1.DELETE("/webhooks/:id", s.needAdmin, s.deleteWebhook)
	v1.GET("/deliveries", s.needAdmin, s.listDeliveries)

	v1.GET("/search", s.getSearch) // public

	v1.GET("/scale", s.getScale)                // public
	v1.GET("/scale/presets", s.getScalePresets) // public
	v1.PUT("/scale", s.needAdmin, s.putScale)

	v1.GET("/users", s.needAdmin, s.listUsers)
	v1.POST("/users", s.needAdmin, s.postUser)
	v1.PATCH("/users/:id", s.needAdmin, s.patchUser)
}
