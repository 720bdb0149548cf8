package desk

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// matchesShown bounds the matches shown beside each proposal and claim.
const matchesShown = 5

// deskMatches turns the store's matches of claim cl into what the desk
// shows: ours rated on the scale, theirs as "checked by", and on a
// proposal the one-click "same claim" link to each of our claims that can
// take an appearance. back is where the link form returns.
func deskMatches(c *gin.Context, cl *models.Claim, doc *models.Document, matches []store.Match, scale *models.Scale, back string) []deskview.Match {
	out := make([]deskview.Match, 0, len(matches))
	for _, m := range matches {
		dm := deskview.Match{Claim: m.Claim, Review: m.Review, Score: m.Score, Figures: m.Why.Figures, Actors: m.Why.Actors, Words: m.Why.Words}
		if m.Claim != nil {
			dm.Rated = scaleRated(scale, m.Claim.Rating)
			dm.Link = linkForm(c, cl, doc, m.Claim, back)
		}
		out = append(out, dm)
	}
	return out
}

// linkForm is the "same claim" form linking proposal p's words to claim
// to, nil when p is not a proposal anchored in doc.
func linkForm(c *gin.Context, p *models.Claim, doc *models.Document, to *models.Claim, back string) *deskview.LinkForm {
	if p.Status != models.StatusCandidate || p.DocumentID == nil || doc == nil || p.Orphaned || p.End <= p.Start {
		return nil
	}
	if to.Status == models.StatusCandidate || to.Status == models.StatusDismissed {
		return nil
	}
	f := &deskview.LinkForm{ClaimID: to.ID, FromClaimID: p.ID, DocumentID: doc.ID, Version: to.Version, Start: p.Start, End: p.End,
		Return: back, CSRF: web.CSRFToken(c)}
	if to.Status == models.StatusPublished {
		f.NeedNote, f.Note = true, "Said again in “"+doc.DisplayTitle()+"”."
	}
	return f
}

// scaleRated is rating r as the scale names it, itself when it holds none.
func scaleRated(scale *models.Scale, r models.Rating) models.ScaleRating {
	if step, ok := scale.Find(r); ok {
		return step
	}
	return models.ScaleRating{Key: r, Label: string(r)}
}

// deskAppearanceLink is the "same claim: link as appearance" button: the
// proposal's words become an appearance of claim :id (based on its
// version), and the proposal is dismissed as its duplicate. On a
// published claim the link waits in its correction for a second editor.
func (s *Server) deskAppearanceLink(c *gin.Context, id int64) {
	var err error
	link := store.AppearanceLink{Note: c.PostForm("note")}
	link.Version, err = formVersion(c)
	if err == nil {
		link.DocumentID, err = formNumber(c, "document_id", 1)
	}
	if err == nil {
		link.FromClaimID, err = formOptionalID(c, "from_claim_id")
	}
	if err == nil {
		link.Start, err = formInt(c, "start", 0)
	}
	if err == nil {
		link.End, err = formInt(c, "end", 0)
	}
	var res *store.AppearanceResult
	if err == nil {
		res, err = s.DB.LinkAppearance(c.Request.Context(), id, link, web.CurrentUser(c))
	}
	if err != nil {
		s.claimRefused(c, err, "action", "The link as an appearance did not go through: ")
		return
	}
	done := "linked"
	if res.Pending {
		done = "link_pending"
	}
	back, ok := safeReturn(c.PostForm("return"))
	if !ok {
		deskRedirect(c, claimPath(id), done, "")
		return
	}
	u, _ := url.Parse(back)
	u.RawQuery = url.Values{"done": {done}}.Encode()
	c.Redirect(http.StatusSeeOther, u.String())
}

// deskAppearanceUnlink removes an appearance of claim :id from the claim
// page, based on its version; on a published claim it waits in the
// correction, with its public note.
func (s *Server) deskAppearanceUnlink(c *gin.Context, id, aid int64) {
	version, err := formVersion(c)
	var res *store.AppearanceResult
	if err == nil {
		res, err = s.DB.UnlinkAppearance(c.Request.Context(), id, aid, version, c.PostForm("note"), web.CurrentUser(c))
	}
	if err != nil {
		s.claimRefused(c, err, "action", "The appearance was not unlinked: ")
		return
	}
	done := "unlinked"
	if res.Pending {
		done = "unlink_pending"
	}
	deskRedirect(c, claimPath(id), done, "appearances")
}
