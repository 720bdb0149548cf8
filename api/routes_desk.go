package api

// deskRoutes registers the editors' pages under /desk.
func (s *Server) deskRoutes() {}
