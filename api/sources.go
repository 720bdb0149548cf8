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

type sourcePatch struct {
	Version     *int                         `json:"version"`
	URL         *string                      `json:"url"`
	Title       *string                      `json:"title"`
	Publisher   *string                      `json:"publisher"`
	Author      *string                      `json:"author"`
	PublishedOn web.PatchField[web.JSONDate] `json:"published_on"`
	AccessedOn  web.PatchField[web.JSONDate] `json:"accessed_on"`
	ArchiveURL  *string                      `json:"archive_url"`
	Kind        *models.SourceKind           `json:"kind"`
	Notes       *string                      `json:"notes"`
	Summary     string                       `json:"summary"`
}

// listSources lists sources newest first, with how many claims cite each.
func (s *Server) listSources(c *gin.Context) {
	limit, after, err := web.PageRequest(c, 50)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	list, err := s.DB.ListSources(c.Request.Context(), store.SourceFilter{Query: c.Query("q"), After: after, Limit: limit + 1})
	if err != nil {
		s.RespondError(c, err)
		return
	}
	list, next := web.CutPage(list, limit, func(s *store.SourceWithUse) int64 { return s.ID })
	if list == nil {
		list = []store.SourceWithUse{}
	}
	c.JSON(http.StatusOK, gin.H{"sources": list, "next_cursor": web.NextCursor(next)})
}

// postSource adds a source.
func (s *Server) postSource(c *gin.Context) {
	var in sourceInput
	if err := web.DecodeJSON(c, &in); err != nil {
		s.RespondError(c, err)
		return
	}
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
func (s *Server) getSource(c *gin.Context) {
	id, err := web.RecordID(c, "id")
	if err != nil {
		s.RespondError(c, err)
		return
	}
	src, err := s.DB.GetSource(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	web.RespondRecord(c, http.StatusOK, src.Version, src)
}

// patchSource edits a source based on a version.
func (s *Server) patchSource(c *gin.Context) {
	var in sourcePatch
	id, version, err := web.EditRequest(c, &in, func() *int { return in.Version })
	if err != nil {
		s.RespondError(c, err)
		return
	}
	u := store.SourceUpdate{Version: version, URL: in.URL, Title: in.Title, Publisher: in.Publisher, Author: in.Author,
		ArchiveURL: in.ArchiveURL, Kind: in.Kind, Notes: in.Notes, Summary: in.Summary}
	if in.PublishedOn.Set {
		p := web.TimePtr(in.PublishedOn.Value)
		u.PublishedOn = &p
	}
	if in.AccessedOn.Set {
		p := web.TimePtr(in.AccessedOn.Value)
		u.AccessedOn = &p
	}
	src, err := s.DB.UpdateSource(c.Request.Context(), id, u, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if in.URL != nil {
		s.ArchiveSoon()
	}
	web.RespondRecord(c, http.StatusOK, src.Version, src)
}
