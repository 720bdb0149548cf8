package frontend

import (
	"fmt"
	"strconv"
	"strings"

	"factdesk/models"
)

// ArchivePage is the data of /archive/{id}: a copy Factdesk kept of a
// source, shown under a banner that says what it is.
type ArchivePage struct {
	Snapshot models.Snapshot
	Source   models.Source
}

type archiveView struct {
	ArchivePage
	RawPath  string
	Size     string
	Captured string // the fetch time for people, in UTC
	OrgName  string
	// Kind is how the copy is shown: "page" in a sandboxed frame, "image"
	// or "file" (a link only).
	Kind string
}

// ArchiveLink is a link to a kept copy.
type ArchiveLink struct {
	Path string
}

// ArchivePath is the path of a snapshot's page; ArchiveRawPath of its bytes.
func ArchivePath(id int64) string    { return "/archive/" + strconv.FormatInt(id, 10) }
func ArchiveRawPath(id int64) string { return ArchivePath(id) + "/raw" }

// Archive renders the page around an archived copy.
func (r *Renderer) Archive(p ArchivePage) ([]byte, error) {
	v := archiveView{ArchivePage: p, RawPath: ArchiveRawPath(p.Snapshot.ID), Size: byteSize(p.Snapshot.Size), Kind: "file",
		Captured: p.Snapshot.FetchedAt.UTC().Format("2 January 2006 at 15:04 UTC"), OrgName: r.site.OrgName}
	switch t := p.Snapshot.ContentType; {
	case strings.HasPrefix(t, "image/"):
		v.Kind = "image"
	case t == "text/html" || t == "application/xhtml+xml" || strings.HasPrefix(t, "text/"):
		v.Kind = "page"
	}
	title := p.Source.Title
	if title == "" {
		title = p.Snapshot.URL
	}
	m := Meta{Title: "Archived copy: " + title, Path: ArchivePath(p.Snapshot.ID), NoIndex: true,
		Description: "The copy " + r.site.OrgName + " kept of " + p.Snapshot.URL + " on " + p.Snapshot.FetchedAt.UTC().Format("2 January 2006")}
	return r.render("archive", m, v)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
