package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

type userCreate struct {
	Email    string      `json:"email"`
	Name     string      `json:"name"`
	Role     models.Role `json:"role"`
	Password string      `json:"password"`
}

// listUsers lists every account, for admins.
func (s *Server) listUsers(c *gin.Context) {
	users, err := s.DB.ListUsers(c.Request.Context())
	web.RespondList(s.Server, c, "users", users, err)
}

// postUser creates an account.
func (s *Server) postUser(c *gin.Context, in *userCreate) {
	u := &models.User{Email: in.Email, Name: in.Name, Role: in.Role}
	if err := s.DB.CreateUser(c.Request.Context(), u, in.Password); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+web.Itoa(u.ID))
	c.JSON(http.StatusCreated, u)
}

// patchUser changes an account's name, role, password or disabled flag.
// Admins cannot demote or disable themselves: someone must be left to
// manage the accounts.
func (s *Server) patchUser(c *gin.Context, id int64, in *store.UserUpdate) {
	if id == web.CurrentUser(c).ID {
		f := models.FieldErrors{}
		if in.Role != nil && *in.Role != models.RoleAdmin {
			f.Add("role", "you cannot take away your own admin role: ask another admin")
		}
		if in.Disabled != nil && *in.Disabled {
			f.Add("disabled", "you cannot disable your own account: ask another admin")
		}
		if err := f.Err(); err != nil {
			s.RespondError(c, err)
			return
		}
	}
	u, err := s.DB.UpdateUser(c.Request.Context(), id, *in)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
