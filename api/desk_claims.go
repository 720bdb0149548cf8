package api

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/frontend/desk"
	"factdesk/models"
)

// queueSorts are the orders of the claims queue. The store pages by ID;
// the other orders sort the first queueSortWindow matches.
var queueSorts = []desk.Option{
	{Value: "", Label: "Oldest first"},
	{Value: "-id", Label: "Newest first"},
	{Value: "-updated", Label: "Recently updated"},
	{Value: "-score", Label: "Most check-worthy"},
	{Value: "status", Label: "Workflow status"},
}

const (
	queuePage       = 50
	queueSortWindow = 200
)

// deskClaims is the claims queue: filtered by status, rating, assignee,
// document and text, sorted, with j/k to move through it.
func (s *Server) deskClaims(c *gin.Context) {
	ctx := c.Request.Context()
	qf := desk.QueueFilter{Status: c.Query("status"), Rating: c.Query("rating"), Query: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort")}
	qf.AssigneeID, _ = strconv.ParseInt(c.Query("assignee"), 10, 64)
	qf.DocumentID, _ = strconv.ParseInt(c.Query("document"), 10, 64)
	if !validSort(qf.Sort) {
		qf.Sort = ""
	}
	f := models.ClaimFilter{Rating: models.Rating(qf.Rating), AssigneeID: qf.AssigneeID, DocumentID: qf.DocumentID, Query: qf.Query, Limit: queuePage}
	if st := models.Status(qf.Status); st.Valid() {
		f.Statuses = []models.Status{st}
	}
	byID := qf.Sort == "" || qf.Sort == "-id"
	if byID {
		f.Order = qf.Sort
		f.After, _ = strconv.ParseInt(c.Query("after"), 10, 64)
	} else {
		f.Limit = queueSortWindow
	}
	page, err := s.db.ListClaims(ctx, f)
	if err != nil {
		s.deskError(c, err)
		return
	}
	ppl, err := s.people(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	docs, titles, err := s.documentTitles(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	claims := page.Claims
	sortQueue(claims, qf.Sort)
	p := &desk.ClaimsPage{Chrome: s.chrome(c, "Claims", "claims"), Filter: qf, Rows: rows(claims, ppl, titles),
		Users: ppl.users, Documents: docs, Sorts: queueSorts}
	if page.Next != 0 {
		if byID {
			q := c.Request.URL.Query()
			q.Set("after", strconv.FormatInt(page.Next, 10))
			p.NextURL = (&url.URL{Path: "/desk/claims", RawQuery: q.Encode()}).String()
		} else {
			p.Limited = true
		}
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Claims(w, p) })
}

func validSort(v string) bool {
	for _, o := range queueSorts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// sortQueue orders claims for the orders the store does not page by.
func sortQueue(claims []models.Claim, by string) {
	rank := map[models.Status]int{}
	for i, st := range models.Statuses {
		rank[st] = i
	}
	less := map[string]func(a, b models.Claim) bool{
		"-updated": func(a, b models.Claim) bool { return a.UpdatedAt.After(b.UpdatedAt) },
		"-score":   func(a, b models.Claim) bool { return a.Score > b.Score },
		"status":   func(a, b models.Claim) bool { return rank[a.Status] < rank[b.Status] },
	}[by]
	if less != nil {
		sort.SliceStable(claims, func(i, j int) bool { return less(claims[i], claims[j]) })
	}
}
