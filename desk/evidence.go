package desk

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// deskEvidenceAdd cites a source for a claim: an existing one picked from
// the search, or a new one entered in the same form.
func (s *Server) deskEvidenceAdd(c *gin.Context, id int64) {
	var err error
	f := deskview.EvidenceForm{
		URL: c.PostForm("url"), Title: c.PostForm("title"), Publisher: c.PostForm("publisher"), Author: c.PostForm("author"),
		PublishedOn: c.PostForm("published_on"), AccessedOn: c.PostForm("accessed_on"), ArchiveURL: c.PostForm("archive_url"),
		Kind: models.SourceKind(c.PostForm("source_kind")), Stance: models.Stance(c.PostForm("stance")),
		Excerpt: c.PostForm("excerpt"), PublicNote: c.PostForm("public_note"), ResearchNote: c.PostForm("research_note"),
	}
	errs := deskview.Errors{}
	if f.SourceID, err = formOptionalID(c, "source_id"); err != nil {
		errs["source_id"] = "pick a source from the search, or a new source"
	}
	e := &models.Evidence{ClaimID: id, SourceID: f.SourceID, Stance: f.Stance, Excerpt: f.Excerpt, PublicNote: f.PublicNote, ResearchNote: f.ResearchNote}
	var src *models.Source
	if f.SourceID == 0 && len(errs) == 0 {
		src = &models.Source{URL: f.URL, Title: f.Title, Publisher: f.Publisher, Author: f.Author, ArchiveURL: f.ArchiveURL, Kind: f.Kind}
		src.PublishedOn = dateField(errs, "published_on", f.PublishedOn)
		src.AccessedOn = dateField(errs, "accessed_on", f.AccessedOn)
	}
	if len(errs) == 0 {
		var pub bool
		if pub, err = s.Published(c, id); err == nil && pub {
			// A published verdict's sources change through a correction.
			_, err = s.DB.CorrectEvidence(c.Request.Context(), id, models.EvidenceChange{Op: models.EvidenceAdd, SourceID: e.SourceID, Stance: e.Stance,
				Excerpt: e.Excerpt, PublicNote: e.PublicNote, ResearchNote: e.ResearchNote}, src, c.PostForm("correction_note"), web.CurrentUser(c))
		} else if err == nil {
			_, err = s.DB.AddEvidence(c.Request.Context(), e, src, web.CurrentUser(c))
		}
		if err == nil {
			if src != nil {
				s.ArchiveSoon()
			}
			deskRedirect(c, claimPath(id), "evidence", "evidence")
			return
		}
		if errs = invalidFields(err); errs == nil {
			s.deskError(c, err)
			return
		}
		if m, ok := errs["kind"]; ok { // the source's kind; the claim's has the name "kind" on this page
			errs["source_kind"] = m
			delete(errs, "kind")
		}
	}
	p, err := s.claimPage(c)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p.EvidenceForm, p.Errors = f, errs
	s.deskRender(c, http.StatusBadRequest, func(w gin.ResponseWriter) error { return deskPages.Claim(w, p) })
}

// deskEvidenceChange saves an edit of one evidence link (op=save) or
// removes it (op=remove). The form names the claim's version: evidence is
// part of the verdict a reviewer approves.
func (s *Server) deskEvidenceChange(c *gin.Context, id, eid int64) {
	ctx := c.Request.Context()
	version, err := formVersion(c)
	if err == nil {
		var cl *models.Claim
		if cl, err = s.DB.GetClaim(ctx, id); err == nil && cl.Version != version {
			err = models.Conflict(cl, "the claim was changed by someone else since you opened it: its evidence is shown as it stands now")
		}
	}
	var pub bool
	if err == nil {
		pub, err = s.Published(c, id)
	}
	if err == nil && pub {
		err = s.deskCorrectEvidence(c, id, eid)
	} else if err == nil {
		if c.PostForm("op") == "remove" {
			err = s.DB.DeleteEvidence(ctx, id, eid, web.CurrentUser(c))
		} else {
			stance, excerpt, public, research := models.Stance(c.PostForm("stance")), c.PostForm("excerpt"), c.PostForm("public_note"), c.PostForm("research_note")
			_, err = s.DB.UpdateEvidence(ctx, id, eid, store.EvidenceUpdate{Stance: &stance, Excerpt: &excerpt, PublicNote: &public, ResearchNote: &research}, web.CurrentUser(c))
		}
	}
	if err != nil {
		s.claimRefused(c, err, "action", "The evidence was not changed: ")
		return
	}
	deskRedirect(c, claimPath(id), "evidence", "evidence")
}

// deskCorrectEvidence proposes the desk's edit or removal of a published
// verdict's source as a correction; the research note changes at once.
func (s *Server) deskCorrectEvidence(c *gin.Context, id, eid int64) error {
	ctx, note := c.Request.Context(), c.PostForm("correction_note")
	if c.PostForm("op") == "remove" {
		_, err := s.DB.CorrectEvidence(ctx, id, models.EvidenceChange{Op: models.EvidenceRemove, EvidenceID: eid}, nil, note, web.CurrentUser(c))
		return err
	}
	research := c.PostForm("research_note")
	cur, err := s.DB.UpdateEvidence(ctx, id, eid, store.EvidenceUpdate{ResearchNote: &research}, web.CurrentUser(c))
	if err != nil {
		return err
	}
	ch := models.EvidenceChange{Op: models.EvidenceEdit, EvidenceID: eid, Stance: models.Stance(c.PostForm("stance")),
		Excerpt: c.PostForm("excerpt"), PublicNote: c.PostForm("public_note")}
	if ch.Stance == cur.Stance && ch.Excerpt == cur.Excerpt && ch.PublicNote == cur.PublicNote {
		return nil
	}
	_, err = s.DB.CorrectEvidence(ctx, id, ch, nil, note, web.CurrentUser(c))
	return err
}

// dateField parses an optional date of a form, recording a bad one in errs.
func dateField(errs deskview.Errors, field, v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		errs[field] = "must be a date such as 2025-10-14"
		return nil
	}
	return &t
}

// deskArchiveAgain asks for a new copy of a cited source's page and goes
// back to the claim.
func (s *Server) deskArchiveAgain(c *gin.Context, id, sid int64) {
	if _, err := s.DB.RequestSnapshot(c.Request.Context(), sid, web.CurrentUser(c)); err != nil {
		s.deskError(c, err)
		return
	}
	s.ArchiveSoon()
	deskRedirect(c, claimPath(id), "archive", "evidence")
}
