package reader

import (
	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/web"
)

// teamPage serves /team: the display names and roles of the active
// editors, never their emails. It is cached under the users' stamp, so a
// new, renamed or disabled editor shows at once.
func (s *Server) teamPage(c *gin.Context) {
	ctx := c.Request.Context()
	rd := s.Reader
	st, err := s.DB.TeamStamp(ctx)
	if err != nil {
		s.pageError(c, err)
		return
	}
	etag := rd.ETagOf("team", st.Key())
	err = rd.ServePage(c, "team", etag, st.LastModified, func() (*web.CachedPage, error) {
		team, err := s.DB.Team(ctx)
		if err != nil {
			return nil, err
		}
		p := frontend.TeamPage{}
		for _, m := range team {
			p.Members = append(p.Members, frontend.TeamMember{Name: m.Name, Role: m.Role})
		}
		body, err := rd.Render.Team(p)
		if err != nil {
			return nil, err
		}
		return &web.CachedPage{ETag: etag, Modified: st.LastModified, ContentType: "text/html; charset=utf-8", Body: body}, nil
	})
	if err != nil {
		s.pageError(c, err)
	}
}
