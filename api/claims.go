package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/extract"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

type claimCreate struct {
	DocumentID *int64      `json:"document_id"`
	Start      int         `json:"start"`
	End        int         `json:"end"`
	Text       string      `json:"text"`
	Claimant   string      `json:"claimant"`
	Kind       models.Kind `json:"kind"`
}

type transitionRequest struct {
	Action      models.Action  `json:"action"`
	Note        string         `json:"note"`
	Rating      *models.Rating `json:"rating"`
	Explanation *string        `json:"explanation"`
	Version     *int           `json:"version"`
	// OverrideReason is why an admin approves what they wrote themselves.
	OverrideReason string `json:"override_reason"`
}

func (in *transitionRequest) BodyVersion() *int { return in.Version }

// listClaims lists claims by filter, a page at a time. Anonymous readers
// see only public claims and cannot filter on what they cannot see.
func (s *Server) listClaims(c *gin.Context) {
	f, err := claimFilter(c)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	page, err := s.DB.ListClaims(c.Request.Context(), f)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	s.writeClaimList(c, page.Claims, web.CurrentUser(c) == nil, web.NextCursor(page.Next))
}

func claimFilter(c *gin.Context) (models.ClaimFilter, error) {
	var f models.ClaimFilter
	errs := models.FieldErrors{}
	var err error
	if f.Limit, err = web.PageLimit(c, 50); err != nil {
		errs.Add("limit", "must be from 1 to 100")
	}
	if f.After, err = web.DecodeCursor(c.Query("cursor")); err != nil {
		errs.Add("cursor", "is not a cursor from a previous page")
	}
	if f.DocumentID, err = web.QueryID(c, "document_id"); err != nil {
		errs.Add("document_id", "must be a positive whole number")
	}
	for _, v := range c.QueryArray("status") {
		for _, st := range strings.Split(v, ",") {
			if st := models.Status(strings.TrimSpace(st)); st.Valid() {
				f.Statuses = append(f.Statuses, st)
			} else {
				errs.Add("status", "must be one of candidate, open, researching, in_review, published, dismissed")
			}
		}
	}
	if v := c.Query("rating"); v != "" {
		if f.Rating = models.Rating(v); !f.Rating.Valid() {
			errs.Add("rating", "must be a rating key of the newsroom's scale")
		}
	}
	if v := c.Query("kind"); v != "" {
		if f.Kind = models.Kind(v); !f.Kind.Valid() {
			errs.Add("kind", "must be one of statistic, attribution, event, causal, comparison, quote, other")
		}
	}
	switch v := c.Query("order"); v {
	case "", "id":
	case "-id":
		f.Order = "-id"
	default:
		errs.Add("order", `must be "id" or "-id"`)
	}
	f.Query = c.Query("q")
	me := web.CurrentUser(c)
	if v := c.Query("assignee"); v != "" {
		if me == nil {
			return f, models.Errorf(models.EUNAUTHORIZED, "sign in to filter claims by assignee")
		}
		if v == "me" {
			f.AssigneeID = me.ID
		} else if f.AssigneeID, err = web.QueryID(c, "assignee"); err != nil {
			errs.Add("assignee", `must be a user ID or "me"`)
		}
	}
	if err := errs.Err(); err != nil {
		return f, err
	}
	if me == nil {
		// Readers see public claims only, and ratings of published ones:
		// a rating filter must not reveal a draft verdict.
		allowed := models.PublicStatuses()
		if f.Rating != "" {
			allowed = []models.Status{models.StatusPublished}
		}
		f.Statuses = keepStatuses(f.Statuses, allowed)
	}
	return f, nil
}

// keepStatuses is the requested statuses that are allowed; none requested
// means all allowed. An empty result matches nothing.
func keepStatuses(want, allowed []models.Status) []models.Status {
	if len(want) == 0 {
		return allowed
	}
	var out []models.Status
	for _, s := range want {
		if slices.Contains(allowed, s) {
			out = append(out, s)
		}
	}
	if out == nil {
		return []models.Status{"none"}
	}
	return out
}

func sortByPosition(claims []models.Claim) {
	slices.SortStableFunc(claims, func(a, b models.Claim) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return int(a.ID - b.ID)
	})
}

// postClaim creates a claim from a span of a document, or free-standing.
func (s *Server) postClaim(c *gin.Context, in *claimCreate) {
	cl := &models.Claim{DocumentID: in.DocumentID, Anchor: models.Anchor{Start: in.Start, End: in.End},
		Text: in.Text, Claimant: in.Claimant, Kind: in.Kind}
	if err := s.DB.CreateClaim(c.Request.Context(), cl, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Location", "/api/v1/claims/"+web.Itoa(cl.ID))
	s.respondClaim(c, http.StatusCreated, cl.ID)
}

// getClaim returns a claim with its evidence and corrections; claims that
// are not public do not exist for readers.
func (s *Server) getClaim(c *gin.Context, id int64) {
	s.respondClaim(c, http.StatusOK, id)
}

// respondClaim answers with the claim as stored now, with its document,
// evidence and review as the caller may see them, under status.
func (s *Server) respondClaim(c *gin.Context, status int, id int64) {
	d, err := s.DB.GetClaimDetail(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if !web.VisibleClaim(c, &d.Claim) {
		s.RespondError(c, models.Errorf(models.ENOTFOUND, "claim %d not found", id))
		return
	}
	if web.CurrentUser(c) != nil {
		if d.Review, err = s.DB.ReviewOf(c.Request.Context(), &d.Claim); err != nil {
			s.RespondError(c, err)
			return
		}
	} else if d.Document != nil && !d.Claim.ShowsDocument() {
		// An orphaned claim may be all a document had: then readers are
		// not told the document exists.
		public, err := s.DB.PublicDocumentIDs(c.Request.Context(), []int64{d.Document.ID})
		if err != nil {
			s.RespondError(c, err)
			return
		}
		if !public[d.Document.ID] {
			d.Document = nil
		}
	}
	web.RespondRecord(c, status, d.Claim.Version, web.NewClaimDetail(c, d))
}

// patchClaim edits a claim based on a version; a stale one is a conflict
// carrying the claim as it stands.
func (s *Server) patchClaim(c *gin.Context, id int64, u *models.ClaimUpdate) {
	if _, err := s.DB.UpdateClaim(c.Request.Context(), id, *u, web.CurrentUser(c)); err != nil {
		s.RespondError(c, err)
		return
	}
	s.respondClaim(c, http.StatusOK, id)
}

// postTransition moves a claim through the workflow. Like every edit it
// names the version it was based on: an approval publishes what was read.
func (s *Server) postTransition(c *gin.Context, id int64, version int, in *transitionRequest) {
	ctx := c.Request.Context()
	if !in.Action.Valid() {
		s.RespondError(c, web.InvalidField("unknown action", "action", "must be one of accept, dismiss, reopen, start, submit, send_back, approve, correct, retract"))
		return
	}
	_, err := s.DB.TransitionClaim(ctx, id, version, models.TransitionInput{Action: in.Action, Note: in.Note, Rating: in.Rating, Explanation: in.Explanation, OverrideReason: in.OverrideReason}, web.CurrentUser(c))
	if err != nil {
		// A move from the wrong status: show the claim as it stands.
		s.RespondError(c, web.WithCurrent(err, func() (any, error) { return s.DB.GetClaim(ctx, id) }))
		return
	}
	s.respondClaim(c, http.StatusOK, id)
}

// getRevisions lists every change of a claim and its evidence, newest first.
func (s *Server) getRevisions(c *gin.Context, id int64) {
	ctx := c.Request.Context()
	if _, err := s.DB.GetClaim(ctx, id); err != nil {
		s.RespondError(c, err)
		return
	}
	revs, err := s.DB.ListRevisions(ctx, store.RevisionFilter{ClaimID: id})
	if err != nil {
		s.RespondError(c, err)
		return
	}
	out := make([]web.RevisionView, len(revs))
	for i, r := range revs {
		out[i] = web.NewRevisionView(r)
	}
	c.JSON(http.StatusOK, gin.H{"revisions": out})
}

type claimMatch struct {
	Claim      any             `json:"claim"`
	Similarity float64         `json:"similarity"`
	Reasons    extract.Reasons `json:"reasons"`
}

// getMatches lists claims already checked that say the same thing.
// Readers see only published verdicts among them.
func (s *Server) getMatches(c *gin.Context, id int64) {
	limit, err := web.PageLimit(c, 10)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	ctx := c.Request.Context()
	cl, err := s.DB.GetClaim(ctx, id)
	if err == nil && !web.VisibleClaim(c, cl) {
		err = models.Errorf(models.ENOTFOUND, "claim %d not found", id)
	}
	if err != nil {
		s.RespondError(c, err)
		return
	}
	matches, err := s.DB.MatchesOf(ctx, id, limit)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	out := []claimMatch{}
	var external []externalMatch
	for i := range matches {
		m := &matches[i]
		switch {
		case m.Review != nil:
			// Another fact-checker's verdict is for editors only.
			if web.CurrentUser(c) != nil {
				external = append(external, externalMatch{Review: m.Review, Similarity: m.Score, Reasons: m.Why})
			}
		case web.CurrentUser(c) == nil && m.Claim.Status != models.StatusPublished:
		default:
			out = append(out, claimMatch{Claim: web.ClaimView(c, m.Claim), Similarity: m.Score, Reasons: m.Why})
		}
	}
	body := gin.H{"matches": out}
	if web.CurrentUser(c) != nil {
		if external == nil {
			external = []externalMatch{}
		}
		body["external"] = external
	}
	c.JSON(http.StatusOK, body)
}
