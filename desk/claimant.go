package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/extract"
	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/web"
)

// claimantSuggestion reads who the claim's sentence says made it, for an
// editor to confirm: nobody is credited until one does. A claim that has a
// claimant, no document or no place in it gets none.
func claimantSuggestion(cl *models.Claim, doc *models.Document) *deskview.ClaimantSuggestion {
	if doc == nil || cl.Claimant != "" || cl.Orphaned || cl.End <= cl.Start {
		return nil
	}
	var prev string
	for _, s := range extract.Sentences(doc.Body) {
		if cl.Start >= s.End {
			prev = s.Text
			continue
		}
		if cl.Start < s.Start {
			return nil
		}
		got, ok := extract.SuggestClaimant(s.Text, cl.Start-s.Start, min(cl.End, s.End)-s.Start, extract.ClaimantOptions{Previous: prev})
		if !ok {
			return nil
		}
		return &deskview.ClaimantSuggestion{Claimant: got.Claimant, Cue: got.Cue, Reason: got.Reason}
	}
	return nil
}

// keyPhrases are the key spans detection reads in a claim's quote (or its
// text, for a free-standing claim): its figures, actors, quotes and the
// checkable phrase of a claim without figures. Each appears once.
func keyPhrases(cl *models.Claim) []deskview.KeyPhrase {
	text := cl.Exact
	if text == "" {
		text = cl.Text
	}
	var out []deskview.KeyPhrase
	seen := map[string]bool{}
	for _, sp := range extract.KeySpans(text) {
		if !seen[sp.Text] {
			seen[sp.Text] = true
			out = append(out, deskview.KeyPhrase{Text: sp.Text, Role: sp.Role})
		}
	}
	return out
}

// deskClaimantConfirm sets the claimant an editor confirmed from the
// suggestion, based on the version the page showed.
func (s *Server) deskClaimantConfirm(c *gin.Context, id int64) {
	version, err := formVersion(c)
	if err == nil {
		claimant := c.PostForm("claimant")
		_, err = s.DB.UpdateClaim(c.Request.Context(), id, models.ClaimUpdate{Version: version, Claimant: &claimant,
			Summary: "claimant confirmed from the sentence", Note: c.PostForm("note")}, web.CurrentUser(c))
	}
	if err != nil {
		s.claimRefused(c, err, "claimant", "The claimant was not set: ")
		return
	}
	c.Redirect(http.StatusSeeOther, claimPath(id)+"?saved=1&done=claimant")
}
