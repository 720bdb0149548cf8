package server_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
)

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
