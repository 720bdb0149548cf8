package reader

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// archivePageCSP is the reader policy with one addition: the page may frame
// the archived copy, which is served from this site under its own policy.
const archivePageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// archiveRawCSP runs nothing of the archived bytes: a sandbox without
// allow-scripts (and so without forms, pop-ups or same-origin access), no
// script source, and nothing fetched from anywhere (the copy's own styles
// only; images only when inlined as data), so a reader's visit tells the
// original site nothing.
const archiveRawCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

// archiveRoutes serves the copies Factdesk kept of sources.
func (s *Server) archiveRoutes() {
	g := s.Engine.Group("/archive", web.SecurityHeaders, web.BodyLimit(web.MaxJSONBody))
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		g.Handle(method, "/:id", s.archivePage)
		g.Handle(method, "/:id/raw", s.archiveRaw)
	}
}

// snapshotFor loads the snapshot of the request's path: readers see the
// copies of sources a published verdict cites, editors every copy.
func (s *Server) snapshotFor(c *gin.Context, withBody bool) (*store.SnapshotContent, bool) {
	id, ok := readerPathID(c)
	if !ok {
		s.readerNotFound(c)
		return nil, false
	}
	snap, err := s.DB.GetSnapshot(c.Request.Context(), id, withBody)
	if err != nil {
		s.pageError(c, err)
		return nil, false
	}
	if !snap.Public && web.CurrentUser(c) == nil {
		s.readerNotFound(c)
		return nil, false
	}
	return snap, true
}

func archiveCacheControl(snap *store.SnapshotContent) string {
	if snap.Public {
		// The bytes never change; whether they are public may.
		return "public, max-age=300"
	}
	return "private, no-store"
}

// archivePage serves /archive/{id}: the banner and the copy under it.
func (s *Server) archivePage(c *gin.Context) {
	snap, ok := s.snapshotFor(c, false)
	if !ok {
		return
	}
	src, err := s.DB.GetSource(c.Request.Context(), snap.SourceID)
	if err != nil {
		s.pageError(c, err)
		return
	}
	body, err := s.Reader.Render.Archive(frontend.ArchivePage{Snapshot: snap.Snapshot, Source: *src})
	if err != nil {
		s.pageError(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", archivePageCSP)
	h.Set("Cache-Control", archiveCacheControl(snap))
	h.Set("Referrer-Policy", "no-referrer")
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}

// archiveRaw serves /archive/{id}/raw: the bytes as the site answered them,
// with their own type, never sniffed, and a policy that runs none of them.
// What is neither a page nor an image (a PDF, a data file) is a download.
func (s *Server) archiveRaw(c *gin.Context) {
	snap, ok := s.snapshotFor(c, true)
	if !ok {
		return
	}
	h := c.Writer.Header()
	web.DropSecurityHeaders(h)
	typ := snap.ContentType
	if snap.Charset != "" && (strings.HasPrefix(typ, "text/") || strings.HasSuffix(typ, "+xml")) {
		typ += "; charset=" + snap.Charset
	}
	h.Set("Content-Security-Policy", archiveRawCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", archiveCacheControl(snap))
	h.Set("ETag", `"`+snap.SHA256+`"`)
	disposition := "attachment"
	if inlineArchive(snap.ContentType) {
		disposition = "inline"
	}
	h.Set("Content-Disposition", disposition+`; filename="snapshot-`+strconv.FormatInt(snap.ID, 10)+archiveExt(snap.ContentType)+`"`)
	if c.GetHeader("If-None-Match") == `"`+snap.SHA256+`"` {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, typ, snap.Body)
}

// inlineArchive says which copies a browser shows itself: pages and text in
// the sandbox, images.
func inlineArchive(typ string) bool {
	return strings.HasPrefix(typ, "text/") || strings.HasPrefix(typ, "image/") || typ == "application/xhtml+xml" || typ == "application/json"
}

func archiveExt(typ string) string {
	switch typ {
	case "text/html", "application/xhtml+xml":
		return ".html"
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	case "text/csv":
		return ".csv"
	case "application/json":
		return ".json"
	}
	if strings.HasPrefix(typ, "image/") {
		return "." + strings.TrimSuffix(strings.TrimPrefix(typ, "image/"), "+xml")
	}
	return ""
}

// archiveLink is the archive link of a source for the pages, nil without a
// copy.
func archiveLink(a models.Archive, ok bool) *frontend.ArchiveLink {
	if !ok || a.SnapshotID == nil {
		return nil
	}
	return &frontend.ArchiveLink{Path: frontend.ArchivePath(*a.SnapshotID)}
}
