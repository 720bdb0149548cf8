package desk

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// queueSorts are the orders of the claims queue; the store pages through
// every match in each of them.
var queueSorts = []deskview.Option{
	{Value: "", Label: "Oldest first"},
	{Value: "-id", Label: "Newest first"},
	{Value: "-updated", Label: "Recently updated"},
	{Value: "-score", Label: "Most check-worthy"},
	{Value: "status", Label: "Workflow status"},
	{Value: "due", Label: "Due soonest"},
	{Value: "-priority", Label: "Highest priority"},
}

const queuePage = 50

// deskClaims is the claims queue: filtered by status, rating, assignee,
// document and text, sorted, with j/k to move through it. The ID orders
// page with "after" (an ID, as links made before the other orders paged
// do); the others with "cursor", the store's cursor of the sort key and ID.
func (s *Server) deskClaims(c *gin.Context) {
	ctx := c.Request.Context()
	qf := deskview.QueueFilter{Status: c.Query("status"), Rating: c.Query("rating"), Query: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort")}
	// A malformed filter is refused: listing every claim as if it were
	// absent would look like an answer to it.
	var errStatus, errRating, errA, errD, errAfter error
	qf.AssigneeID, errA = web.QueryID(c, "assignee")
	qf.DocumentID, errD = web.QueryID(c, "document")
	if st := models.Status(qf.Status); qf.Status != "" && !st.Valid() {
		errStatus = web.InvalidField("status is not a workflow status", "status", "is not a workflow status")
	}
	scale, err := s.DB.Scale(c.Request.Context())
	if err != nil {
		s.deskError(c, err)
		return
	}
	if _, ok := scale.Find(models.Rating(qf.Rating)); qf.Rating != "" && !ok {
		errRating = web.InvalidField("rating is not a rating", "rating", "is not a rating")
	}
	// An unknown order is not refused: the list is the same claims in the
	// default order, which the menu then shows as chosen.
	if !validSort(qf.Sort) {
		qf.Sort = ""
	}
	f := models.ClaimFilter{Rating: models.Rating(qf.Rating), AssigneeID: qf.AssigneeID, DocumentID: qf.DocumentID, Query: qf.Query,
		Limit: queuePage, Order: qf.Sort}
	if qf.Status != "" {
		f.Statuses = []models.Status{models.Status(qf.Status)}
	}
	byID := qf.Sort == "" || qf.Sort == "-id"
	if byID {
		f.After, errAfter = web.QueryID(c, "after")
	} else {
		f.Cursor = c.Query("cursor")
	}
	if err := cmp.Or(errStatus, errRating, errA, errD, errAfter); err != nil {
		s.deskError(c, err)
		return
	}
	page, err := s.DB.ListClaims(ctx, f)
	if models.ErrorCode(err) == models.EINVALID && f.Cursor != "" {
		// A cursor from an edited or truncated link: start from the top.
		f.Cursor = ""
		page, err = s.DB.ListClaims(ctx, f)
	}
	if err != nil {
		s.deskError(c, err)
		return
	}
	ppl, err := s.allPeople(ctx) // the assignee picker
	if err != nil {
		s.deskError(c, err)
		return
	}
	titles, err := s.DocumentTitles(ctx, page.Claims)
	if err != nil {
		s.deskError(c, err)
		return
	}
	docs, err := s.documentChoices(c, qf.DocumentID)
	if err != nil {
		s.deskError(c, err)
		return
	}
	chrome := s.chrome(c, "Claims", "claims")
	p := &deskview.ClaimsPage{Chrome: chrome, Filter: qf, Rows: rows(&chrome.Scale, page.Claims, ppl, titles),
		Users: ppl.users, Documents: docs, Sorts: queueSorts}
	if page.Next != 0 {
		q := c.Request.URL.Query()
		if byID {
			q.Set("after", strconv.FormatInt(page.Next, 10))
		} else {
			q.Set("cursor", page.Cursor)
		}
		p.NextURL = (&url.URL{Path: "/desk/claims", RawQuery: q.Encode()}).String()
	}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Claims(w, p) })
}

// documentPicker bounds the document filter's menu: the newest documents.
const documentPicker = 200

// documentChoices are the document filter's menu: the newest documents and
// the one filtered by, however old (a link from its page filters by it).
// The rows of the queue name their documents whatever the menu holds.
func (s *Server) documentChoices(c *gin.Context, selected int64) ([]models.Document, error) {
	ctx := c.Request.Context()
	docs, err := s.DB.ListDocuments(ctx, store.DocumentFilter{Limit: documentPicker})
	if err != nil || selected == 0 || slices.ContainsFunc(docs, func(d models.Document) bool { return d.ID == selected }) {
		return docs, err
	}
	more, err := s.DB.DocumentsByID(ctx, []int64{selected})
	if d, ok := more[selected]; ok {
		docs = append(docs, d)
	}
	return docs, err
}

func validSort(v string) bool {
	for _, o := range queueSorts {
		if o.Value == v {
			return true
		}
	}
	return false
}
