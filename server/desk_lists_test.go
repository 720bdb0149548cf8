package server_test

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

// The claims queue pages through every match in each of its orders, ties
// broken by ID, with no claim twice.
func TestDeskClaimsQueuePagesThroughEveryMatch(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	statuses := []models.Status{models.StatusOpen, models.StatusCandidate, models.StatusResearching, models.StatusDismissed}
	const queuePage = 50 // the queue's page size
	for i := 0; i < queuePage+23; i++ {
		c := &models.Claim{Text: fmt.Sprintf("Queue claim %d", i), Kind: models.KindOther, Status: statuses[i%len(statuses)], Score: float64(i%5) / 5}
		if err := e.db.CreateClaim(ctx, c, e.ed1); err != nil {
			t.Fatal(err)
		}
	}
	all := storetest.AllClaims(t, e.db, models.ClaimFilter{Limit: 200})
	rank := func(s models.Status) int { return slices.Index(models.Statuses, s) }
	row := regexp.MustCompile(`<tr data-item data-href="/desk/claims/(\d+)">`)
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	c := e.signIn(t, e.ed2)
	for _, tt := range []struct {
		sort, status string
		cmp          func(a, b models.Claim) int
	}{
		{"", "", func(a, b models.Claim) int { return cmp.Compare(a.ID, b.ID) }},
		{"-id", "", func(a, b models.Claim) int { return cmp.Compare(b.ID, a.ID) }},
		{"-score", "", func(a, b models.Claim) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.ID, a.ID)) }},
		{"-score", "open", func(a, b models.Claim) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.ID, a.ID)) }},
		{"-updated", "", func(a, b models.Claim) int { return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID)) }},
		{"status", "", func(a, b models.Claim) int {
			return cmp.Or(cmp.Compare(rank(a.Status), rank(b.Status)), cmp.Compare(a.ID, b.ID))
		}},
	} {
		t.Run(tt.sort+"/"+tt.status, func(t *testing.T) {
			var want []int64
			for _, cl := range slices.SortedFunc(slices.Values(all), tt.cmp) {
				if tt.status == "" || string(cl.Status) == tt.status {
					want = append(want, cl.ID)
				}
			}
			var got []int64
			path := "/desk/claims?sort=" + tt.sort + "&status=" + tt.status
			for pages := 0; path != "" && pages < 10; pages++ {
				res, page := c.get(path)
				if res.StatusCode != 200 {
					t.Fatalf("GET %s = %d", path, res.StatusCode)
				}
				for _, m := range row.FindAllStringSubmatch(page, -1) {
					id, _ := strconv.ParseInt(m[1], 10, 64)
					got = append(got, id)
				}
				path = ""
				if m := next.FindStringSubmatch(page); m != nil {
					path = html.UnescapeString(m[1])
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("queue gave %v,\nwant %v", got, want)
			}
		})
	}
	t.Run("BadCursor", func(t *testing.T) {
		res, page := c.get("/desk/claims?sort=-score&cursor=bm90LWEtY3Vyc29y")
		if res.StatusCode != 200 || len(row.FindAllString(page, -1)) != queuePage {
			t.Errorf("a bad cursor gave %d with %d rows, want the first page", res.StatusCode, len(row.FindAllString(page, -1)))
		}
	})
}

// TestDeskPagesNameOldDocuments stores more documents than any one list
// holds and a claim of the oldest: the queue, the dashboard and the
// queue's document filter still name it, and the documents list reaches
// it page by page.
func TestDeskPagesNameOldDocuments(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	var oldest *models.Document
	for i := range 205 {
		d := &models.Document{Title: "Briefing number " + strconv.Itoa(i), Body: "Officials said 23,000 fighters crossed the border."}
		if err := e.db.CreateDocument(ctx, d, nil, e.ed1); err != nil {
			t.Fatal(err)
		}
		if oldest == nil {
			oldest = d
		}
	}
	cl := &models.Claim{DocumentID: &oldest.ID, Anchor: models.Anchor{Start: 15, End: 38}, Kind: models.KindStatistic, AssigneeID: &e.ed1.ID}
	if err := e.db.CreateClaim(ctx, cl, e.ed1); err != nil {
		t.Fatal(err)
	}
	c := e.signIn(t, e.ed1)
	title := regexp.MustCompile(`Briefing number 0[^0-9]`) // not 10, 100…
	for _, path := range []string{"/desk/claims", "/desk"} {
		_, page := c.get(path)
		if !title.MatchString(html.UnescapeString(page)) {
			t.Errorf("%s does not name the claim's document %q", path, oldest.Title)
		}
	}
	_, page := c.get("/desk/claims?document=" + strconv.FormatInt(oldest.ID, 10))
	mustContain(t, page, `<option value="`+strconv.FormatInt(oldest.ID, 10)+`" selected>`)

	next := regexp.MustCompile(`href="([^"]+)" rel="next"`)
	path, pages := "/desk/documents", 0
	for ; path != "" && pages < 10; pages++ {
		_, page := c.get(path)
		if strings.Contains(page, `href="/desk/documents/`+strconv.FormatInt(oldest.ID, 10)+`"`) {
			break
		}
		path = ""
		if m := next.FindStringSubmatch(page); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if path == "" || pages != 2 {
		t.Errorf("the documents list reached the oldest document = %v, on page %d, want page 3", path != "", pages+1)
	}
}
