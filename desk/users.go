package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
)

// deskUsers lists the users for an admin.
func (s *Server) deskUsers(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, deskview.NewUserForm{Role: models.RoleEditor}, nil)
}

func (s *Server) renderUsers(c *gin.Context, status int, form deskview.NewUserForm, errs deskview.Errors) {
	users, err := s.DB.ListUsers(c.Request.Context())
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.UsersPage{Chrome: s.chrome(c, "Users", "users"), Users: users, Form: form, Errors: errs}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Users(w, p) })
}

// deskUserCreate adds a user with a first password.
func (s *Server) deskUserCreate(c *gin.Context) {
	form := deskview.NewUserForm{Email: c.PostForm("email"), Name: c.PostForm("name"), Role: models.Role(c.PostForm("role"))}
	u := &models.User{Email: form.Email, Name: form.Name, Role: form.Role}
	err := s.DB.CreateUser(c.Request.Context(), u, c.PostForm("password"))
	if err == nil {
		deskRedirect(c, "/desk/users", "user_added", "")
		return
	}
	status, _ := s.ErrorResponse(c, err)
	errs := deskview.Errors{}
	for k, v := range models.ErrorFields(err) {
		errs[k] = v
	}
	if len(errs) == 0 {
		s.deskError(c, err)
		return
	}
	s.renderUsers(c, status, form, errs)
}

// deskUserChange changes a user's role, or disables or enables them. A
// disabled user's sessions and tokens end at once (store.UpdateUser).
func (s *Server) deskUserChange(c *gin.Context, id int64) {
	var u store.UserUpdate
	switch c.PostForm("op") {
	case "role":
		r := models.Role(c.PostForm("role"))
		u.Role = &r
	case "disable", "enable":
		off := c.PostForm("op") == "disable"
		u.Disabled = &off
	default:
		s.deskError(c, &models.Error{Code: models.EINVALID, Message: "choose a change: role, disable or enable"})
		return
	}
	if _, err := s.DB.UpdateUser(c.Request.Context(), id, u); err != nil {
		s.deskError(c, err)
		return
	}
	deskRedirect(c, "/desk/users", "user_saved", "")
}
