package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// getJob answers one background job: its state, progress, error and result.
func (s *Server) getJob(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		f := models.FieldErrors{}
		f.Add("id", "must be a positive whole number")
		s.RespondError(c, f.Err())
		return
	}
	j, err := s.Config.Jobs.Get(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, j)
}
