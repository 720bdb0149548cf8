package api

// readerRoutes registers the public reader pages, feeds and static files.
func (s *Server) readerRoutes() {}
