package desk

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// dashboardListSize bounds each list of the dashboard.
const dashboardListSize = 15

// deskDashboard is /desk: claims by status, the editor's own work, what
// waits for their review and what happened lately.
func (s *Server) deskDashboard(c *gin.Context) {
	ctx := c.Request.Context()
	me := web.CurrentUser(c)
	counts, err := s.DB.CountClaimsByStatus(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	mine, err := s.DB.ListClaims(ctx, models.ClaimFilter{AssigneeID: me.ID, Order: "-id", Limit: dashboardListSize,
		Statuses: []models.Status{models.StatusCandidate, models.StatusOpen, models.StatusResearching, models.StatusInReview}})
	if err != nil {
		s.deskError(c, err)
		return
	}
	review, err := s.waitingForReview(c, me)
	if err != nil {
		s.deskError(c, err)
		return
	}
	revs, err := s.DB.ListRevisions(ctx, store.RevisionFilter{Limit: 20})
	if err != nil {
		s.deskError(c, err)
		return
	}
	titles, err := s.DocumentTitles(ctx, mine.Claims, review)
	if err != nil {
		s.deskError(c, err)
		return
	}
	named := assignees(mine.Claims, review)
	for _, r := range revs {
		named = append(named, r.UserID)
	}
	ppl, err := s.peopleByID(ctx, named...)
	if err != nil {
		s.deskError(c, err)
		return
	}
	chrome := s.chrome(c, "Dashboard", "dashboard")
	p := &deskview.DashboardPage{
		Chrome:    chrome,
		Chart:     deskview.NewChart(counts),
		Assigned:  rows(&chrome.Scale, mine.Claims, ppl, titles),
		ForReview: rows(&chrome.Scale, review, ppl, titles),
	}
	marked, err := s.DB.MarkedSources(ctx, dashboardListSize)
	if err != nil {
		s.deskError(c, err)
		return
	}
	for _, m := range marked {
		row := deskview.MarkedSource{Title: m.Title, URL: m.URL, State: m.State, Error: m.Error, CheckedAt: m.CheckedAt}
		if m.ClaimID != nil {
			row.ClaimID = *m.ClaimID
		}
		p.Sources = append(p.Sources, row)
	}
	texts := map[int64]string{}
	for _, r := range revs {
		a := activityOf(r, ppl)
		if a.ClaimID != 0 {
			if _, seen := texts[a.ClaimID]; !seen {
				// At most one look-up per claim of the short list; a deleted
				// claim keeps its number.
				if cl, err := s.DB.GetClaim(ctx, a.ClaimID); err == nil {
					texts[a.ClaimID] = cl.Text
				} else if models.ErrorCode(err) != models.ENOTFOUND {
					s.deskError(c, err)
					return
				} else {
					texts[a.ClaimID] = ""
				}
			}
			a.ClaimText = texts[a.ClaimID]
		}
		p.Activity = append(p.Activity, a)
	}
	if err := s.dashboardRepeats(c, p); err != nil {
		s.deskError(c, err)
		return
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Dashboard(w, p) })
}

// repeatPeriods are the periods the dashboard's repeats are counted over,
// in days; the first is the default.
var repeatPeriods = []int{30, 7, 90, 365}

// dashboardRepeats fills the claims said again most in the chosen period
// (?repeats=days) and those said again after their verdict was published.
func (s *Server) dashboardRepeats(c *gin.Context, p *deskview.DashboardPage) error {
	days := repeatPeriods[0]
	if n, err := strconv.Atoi(c.Query("repeats")); err == nil && slices.Contains(repeatPeriods, n) {
		days = n
	}
	ctx := c.Request.Context()
	to := s.DB.Now()
	from := to.AddDate(0, 0, -days)
	most, err := s.DB.Repeats(ctx, from, to, false, dashboardListSize)
	if err != nil {
		return err
	}
	after, err := s.DB.Repeats(ctx, from, to, true, dashboardListSize)
	if err != nil {
		return err
	}
	p.Repeats = deskview.Repeats{Days: days, Periods: repeatPeriods}
	for _, r := range most {
		p.Repeats.Most = append(p.Repeats.Most, deskview.RepeatRow{Claim: r.Claim, Rated: scaleRated(&p.Scale, r.Claim.Rating), Times: r.Times})
	}
	for _, r := range after {
		p.Repeats.AfterVerdict = append(p.Repeats.AfterVerdict, deskview.RepeatRow{Claim: r.Claim, Rated: scaleRated(&p.Scale, r.Claim.Rating), Times: r.AfterRated})
	}
	return nil
}

// waitingForReview is what me may approve: verdicts in review and
// corrections of published verdicts that someone else wrote (the
// two-person rule, as models.VerdictAuthors tells), oldest first.
func (s *Server) waitingForReview(c *gin.Context, me *models.User) ([]models.Claim, error) {
	ctx := c.Request.Context()
	var out []models.Claim
	mayApprove := func(cl models.Claim) (bool, error) {
		rv, err := s.DB.ReviewOf(ctx, &cl)
		if err != nil {
			return false, err
		}
		return !slices.Contains(rv.Authors, me.ID), nil
	}
	corrections, err := s.DB.ListPendingCorrections(ctx, dashboardListSize)
	if err != nil {
		return nil, err
	}
	for _, cl := range corrections {
		if ok, err := mayApprove(cl); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, cl)
	}
	f := models.ClaimFilter{Statuses: []models.Status{models.StatusInReview}, Limit: 200}
	for {
		page, err := s.DB.ListClaims(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, cl := range page.Claims {
			if len(out) == dashboardListSize {
				return out, nil
			}
			if cl.SubmitterID != nil && *cl.SubmitterID == me.ID {
				continue
			}
			ok, err := mayApprove(cl)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, cl)
			}
		}
		if page.Next == 0 {
			return out, nil
		}
		f.After = page.Next
	}
}

// activityOf tells a revision in words: who did what to which claim or document.
func activityOf(r models.Revision, ppl people) deskview.Activity {
	a := deskview.Activity{When: r.CreatedAt, Who: ppl.name(r.UserID), Action: actionWords(r.Action), Entity: r.Entity, Summary: r.Summary}
	if r.ClaimID != nil {
		a.ClaimID = *r.ClaimID
	}
	switch {
	case r.Entity == models.EntityEvidence && r.Action == "create":
		a.Action = "added evidence to"
	case r.Entity == models.EntityEvidence && r.Action == "delete":
		a.Action = "removed evidence from"
	case r.Entity == models.EntityDocument:
		a.DocumentID = r.EntityID
		if r.Action == "create" {
			a.Action = "imported"
		}
	case r.Entity == models.EntitySource && r.Action == "create":
		a.Action = "added"
	}
	return a
}

// actionWords says what a revision's action did, in a sentence.
func actionWords(action string) string {
	words := map[string]string{
		"create":    "created",
		"update":    "edited",
		"delete":    "deleted",
		"reanchor":  "re-anchored",
		"place":     "re-placed",
		"accept":    "accepted",
		"dismiss":   "dismissed",
		"reopen":    "reopened",
		"start":     "started research on",
		"submit":    "submitted",
		"send_back": "sent back",
		"approve":   "approved",
		"correct":   "corrected",
		"retract":   "retracted",
	}
	if w, ok := words[action]; ok {
		return w
	}
	return action
}
