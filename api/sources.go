package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// sourceInput is a new source, on its own or inline with evidence.
type sourceInput struct {
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Publisher   string            `json:"publisher"`
	Author      string            `json:"author"`
	PublishedOn *web.JSONDate     `json:"published_on"`
	AccessedOn  *web.JSONDate     `json:"accessed_on"`
	ArchiveURL  string            `json:"archive_url"`
	Kind        models.SourceKind `json:"kind"`
	Notes       string            `json:"notes"`
}

func (in *sourceInput) source() *models.Source {
	return &models.Source{URL: in.URL, Title: in.Title, Publisher: in.Publisher, Author: in.Author,
		PublishedOn: web.TimePtr(in.PublishedOn), AccessedOn: web.TimePtr(in.AccessedOn), ArchiveURL: in.ArchiveURL,
		Kind: in.Kind, Notes: in.Notes}
}

// listSources lists sources newest first, with how many claims cite each.
func (s *Server) listSources(c *gin.Context) {
	web.RespondPage(s.Server, c, "sources", func(after int64, limit int) ([]store.SourceWithUse, error) {
		return s.DB.ListSources(c.Request.Context(), store.SourceFilter{Query: c.Query("q"), After: after, Limit: limit})
	}, func(s *store.SourceWithUse) int64 { return s.ID })
}

// postSource adds a source.
func (s *Server) postSource(c *gin.Context, in *sourceInput) {
	src := in.source()
	if err := s.DB.CreateSource(c.Request.Context(), src, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	s.ArchiveSoon()
	c.Header("Location", "/api/v1/sources/"+web.Itoa(src.ID))
	web.RespondRecord(c, http.StatusCreated, src.Version, src)
}

// getSource returns one source.
func (s *Server) getSource(c *gin.Context, id int64) {
	src, err := s.DB.GetSource(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	web.RespondRecord(c, http.StatusOK, src.Version, src)
}

// patchSource edits a source based on a version.
func (s *Server) patchSource(c *gin.Context, id int64, u *store.SourceUpdate) {
	src, err := s.DB.UpdateSource(c.Request.Context(), id, *u, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if u.URL != nil {
		s.ArchiveSoon()
	}
	web.RespondRecord(c, http.StatusOK, src.Version, src)
}
