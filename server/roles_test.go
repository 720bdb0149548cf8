package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/jobs"
	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

// The callers of the route table.
const (
	anon   = "anonymous"
	editor = "editor"
	admin  = "admin"
	token  = "token" // the editor's API token, no cookie, no CSRF token
)

var roles = []string{anon, editor, admin, token}

// fixture makes, for one cell of the table, the records its request needs.
type fixture struct {
	t   *testing.T
	env *servertest.Env
	as  *models.User // who will send the request (the editor for anonymous cells)
}

func (f *fixture) ctx() context.Context { return context.Background() }

func (f *fixture) doc() *models.Document {
	return storetest.Document(f.t, f.env.DB, body, f.env.Editor)
}

// claim makes a claim of a new document and moves it to status.
func (f *fixture) claim(status models.Status) *models.Claim {
	f.t.Helper()
	d := f.doc()
	start, end := span(f.t, body, "unemployment fell by 4 per cent")
	c := storetest.Claim(f.t, f.env.DB, d, start, end, f.env.Editor)
	path := map[models.Status][]models.Action{
		models.StatusCandidate:   nil,
		models.StatusOpen:        nil,
		models.StatusResearching: {models.ActionStart},
		models.StatusInReview:    {models.ActionStart, models.ActionSubmit},
		models.StatusPublished:   {models.ActionStart, models.ActionSubmit, models.ActionApprove},
		models.StatusDismissed:   {models.ActionDismiss},
	}[status]
	for _, a := range path {
		in := models.TransitionInput{Action: a, Note: "because"}
		actor := f.env.Editor
		switch a {
		case models.ActionSubmit:
			r, e := models.RatingFalse, "The figure is wrong."
			in.Rating, in.Explanation = &r, &e
			actor = f.as
		case models.ActionApprove:
			actor = f.env.Editor2
			if f.as.ID == f.env.Editor2.ID {
				actor = f.env.Admin
			}
		}
		var err error
		if c, err = storetest.Transition(f.ctx(), f.env.DB, c.ID, in, actor); err != nil {
			f.t.Fatalf("%s: %v", a, err)
		}
	}
	if status == models.StatusCandidate {
		// Candidates come from detection; make one by hand in the store.
		cand := &models.Claim{DocumentID: c.DocumentID, Anchor: models.Anchor{Start: 0, End: 8}, Status: models.StatusCandidate, Origin: models.OriginDetected, Kind: models.KindOther}
		if err := f.env.DB.CreateClaim(f.ctx(), cand, nil); err != nil {
			f.t.Fatal(err)
		}
		return cand
	}
	return c
}

// orphaned makes a claim in status whose quote an edit of the document then
// removed; it returns the claim as it stands and the edited body.
func (f *fixture) orphaned(status models.Status) (*models.Claim, string) {
	f.t.Helper()
	c := f.claim(status)
	edited := strings.Replace(body, "unemployment fell by 4 per cent", "joblessness dropped a little", 1)
	d, err := f.env.DB.GetDocument(f.ctx(), *c.DocumentID)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, _, err := f.env.DB.UpdateDocument(f.ctx(), d.ID, store.DocumentUpdate{Version: d.Version, Body: &edited}, f.env.Editor); err != nil {
		f.t.Fatal(err)
	}
	if c, err = f.env.DB.GetClaim(f.ctx(), c.ID); err != nil || !c.Orphaned {
		f.t.Fatalf("claim not orphaned by the edit: %+v, %v", c, err)
	}
	return c, edited
}

// roleJob is a kind of job only the route table enqueues (nothing runs it).
type roleJob struct{}

func (roleJob) Kind() string { return "role_test" }

func (f *fixture) job() *jobs.Job {
	f.t.Helper()
	j, err := f.env.Jobs.Enqueue(f.ctx(), roleJob{}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

func (f *fixture) source() *models.Source {
	s := &models.Source{Title: "A report", URL: "https://example.org/r", Kind: models.SourceOfficial, Notes: "private notes"}
	if err := f.env.DB.CreateSource(f.ctx(), s, f.env.Editor); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) evidence(c *models.Claim) *store.EvidenceDetail {
	e, err := f.env.DB.AddEvidence(f.ctx(), &models.Evidence{ClaimID: c.ID, Stance: models.StanceSupports, ResearchNote: "private"}, f.source(), f.env.Editor)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// notification makes a notification for u.
func (f *fixture) notification(u *models.User) *models.Notification {
	f.t.Helper()
	if err := f.env.DB.Notify(f.ctx(), models.Notification{UserID: u.ID, Event: models.EventAssigned, Summary: "role table"}); err != nil {
		f.t.Fatal(err)
	}
	ns, err := f.env.DB.ListNotifications(f.ctx(), store.NotificationFilter{UserID: u.ID, Limit: 1})
	if err != nil || len(ns) == 0 {
		f.t.Fatalf("no notification: %v", err)
	}
	return &ns[0]
}

// comment makes a comment by u on a new claim.
func (f *fixture) comment(u *models.User) *models.Comment {
	f.t.Helper()
	cm := &models.Comment{ClaimID: f.claim(models.StatusOpen).ID, Body: "A note for the desk."}
	if err := f.env.DB.CreateComment(f.ctx(), cm, u); err != nil {
		f.t.Fatal(err)
	}
	return cm
}

// report makes a reader's report: an error on a new published verdict, or a suggestion.
func (f *fixture) report(kind models.ReportKind) *models.Report {
	f.t.Helper()
	r := &models.Report{Kind: kind, Body: "The figure is from another year.", Email: "reader@example.org"}
	if kind == models.ReportError {
		id := f.claim(models.StatusPublished).ID
		r.ClaimID = &id
	}
	if err := f.env.DB.CreateReport(f.ctx(), r); err != nil {
		f.t.Fatal(err)
	}
	return r
}

// scale is the newsroom's scale as it stands.
func (f *fixture) scale() models.Scale {
	f.t.Helper()
	s, err := f.env.DB.Scale(f.ctx())
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

var userSeq atomic.Int64

// route is one row of the table: how to build the request, and the
// expected status for each caller.
type route struct {
	method, pattern string // pattern as gin registers it
	name            string // tells rows of one route apart
	prepare         func(f *fixture) (path string, body any)
	want            map[string]int
}

func all(status int) map[string]int {
	return map[string]int{anon: status, editor: status, admin: status, token: status}
}

func editors(status int) map[string]int {
	return map[string]int{anon: 401, editor: status, admin: status, token: status}
}

func admins(status int) map[string]int {
	return map[string]int{anon: 401, editor: 403, admin: status, token: 403}
}

func fixed(path string) func(*fixture) (string, any) {
	return func(*fixture) (string, any) { return path, nil }
}

func fixedBody(path string, body any) func(*fixture) (string, any) {
	return func(*fixture) (string, any) { return path, body }
}

func claimPath(status models.Status, suffix string) func(*fixture) (string, any) {
	return func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d%s", f.claim(status).ID, suffix), nil
	}
}

var routeTable = []route{
	{"GET", "/api/v1/openapi.json", "", fixed("/api/v1/openapi.json"), all(200)},
	{"POST", "/api/v1/auth/login", "", func(f *fixture) (string, any) {
		return "/api/v1/auth/login", map[string]string{"email": servertest.Editor2Email, "password": storetest.Password}
	}, all(200)},
	{"POST", "/api/v1/auth/logout", "", fixed("/api/v1/auth/logout"), all(204)},
	{"GET", "/api/v1/me", "", fixed("/api/v1/me"), editors(200)},
	{"PATCH", "/api/v1/me/password", "wrong current password", func(f *fixture) (string, any) {
		return "/api/v1/me/password", map[string]any{"current_password": "not the password at all", "new_password": "a long enough new passphrase"}
	}, map[string]int{anon: 401, editor: 403, admin: 403, token: 403}},
	{"GET", "/api/v1/tokens", "", fixed("/api/v1/tokens"), editors(200)},
	{"POST", "/api/v1/tokens", "", func(f *fixture) (string, any) {
		return "/api/v1/tokens", map[string]string{"name": "cms"}
	}, editors(201)},
	{"DELETE", "/api/v1/tokens/:id", "", func(f *fixture) (string, any) {
		_, t, err := f.env.DB.CreateAPIToken(f.ctx(), f.as.ID, "to revoke")
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/tokens/%d", t.ID), nil
	}, editors(204)},
	{"DELETE", "/api/v1/tokens/:id", "someone else's", func(f *fixture) (string, any) {
		_, t, err := f.env.DB.CreateAPIToken(f.ctx(), f.env.Editor2.ID, "not yours")
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/tokens/%d", t.ID), nil
	}, map[string]int{anon: 401, editor: 404, admin: 204, token: 404}},

	{"GET", "/api/v1/documents", "", fixed("/api/v1/documents"), all(200)},
	{"GET", "/api/v1/documents/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d", *f.claim(models.StatusInReview).DocumentID), nil
	}, all(200)},
	// Review finding: a document the reader site hides was public in the API.
	{"GET", "/api/v1/documents/:id", "without a public claim", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d", *f.claim(models.StatusDismissed).DocumentID), nil
	}, map[string]int{anon: 404, editor: 200, admin: 200, token: 200}},
	{"GET", "/api/v1/documents/:id", "whose one public claim an edit orphaned", func(f *fixture) (string, any) {
		c, _ := f.orphaned(models.StatusOpen)
		return fmt.Sprintf("/api/v1/documents/%d", *c.DocumentID), nil
	}, map[string]int{anon: 404, editor: 200, admin: 200, token: 200}},
	{"POST", "/api/v1/documents", "", func(f *fixture) (string, any) {
		return "/api/v1/documents", map[string]any{"title": "New", "body": body}
	}, editors(201)},
	{"POST", "/api/v1/documents", "large, detected by a job", func(f *fixture) (string, any) {
		// Titled apart: the same large text twice would be one import.
		title := fmt.Sprintf("Large %d", time.Now().UnixNano())
		return "/api/v1/documents", map[string]any{"title": title, "body": strings.Repeat(body+"\n\n", 70<<10/len(body))}
	}, editors(201)},
	{"POST", "/api/v1/documents/:id/detect", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d/detect", f.doc().ID), nil
	}, editors(202)},
	{"POST", "/api/v1/documents", "by URL", func(f *fixture) (string, any) {
		return "/api/v1/documents", map[string]any{"url": "https://news.example/2025/an-article"}
	}, editors(202)},
	{"PATCH", "/api/v1/documents/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d", f.doc().ID), map[string]any{"version": 1, "title": "Renamed"}
	}, editors(200)},
	{"DELETE", "/api/v1/documents/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d", f.doc().ID), nil
	}, editors(204)},
	{"DELETE", "/api/v1/documents/:id", "with a published claim", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/documents/%d", *f.claim(models.StatusPublished).DocumentID), nil
	}, editors(409)},

	{"GET", "/api/v1/claims", "", fixed("/api/v1/claims?status=open,published&limit=5"), all(200)},
	{"GET", "/api/v1/claims/export", "csv", fixed("/api/v1/claims/export?format=csv&status=published"), editors(200)},
	{"GET", "/api/v1/claims/export", "json, filtered", fixed("/api/v1/claims/export?format=json&status=open,published&kind=statistic&order=-id"), editors(200)},
	{"GET", "/api/v1/claims/export", "unknown format", fixed("/api/v1/claims/export?format=xlsx"), editors(400)},
	{"GET", "/api/v1/claims/:id", "published", claimPath(models.StatusPublished, ""), all(200)},
	{"GET", "/api/v1/claims/:id", "in review", claimPath(models.StatusInReview, ""), all(200)},
	{"GET", "/api/v1/claims/:id", "candidate", claimPath(models.StatusCandidate, ""), map[string]int{anon: 404, editor: 200, admin: 200, token: 200}},
	{"GET", "/api/v1/claims/:id", "dismissed", claimPath(models.StatusDismissed, ""), map[string]int{anon: 404, editor: 200, admin: 200, token: 200}},
	{"POST", "/api/v1/claims", "", func(f *fixture) (string, any) {
		return "/api/v1/claims", map[string]any{"text": "Free-standing claim", "kind": "other"}
	}, editors(201)},
	{"PATCH", "/api/v1/claims/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d", f.claim(models.StatusOpen).ID), map[string]any{"version": 1, "claimant": "Someone"}
	}, editors(200)},
	{"POST", "/api/v1/claims/:id/transitions", "accept", func(f *fixture) (string, any) {
		c := f.claim(models.StatusCandidate)
		return fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "accept", "version": c.Version}
	}, editors(200)},
	{"POST", "/api/v1/claims/:id/transitions", "approve own submission", func(f *fixture) (string, any) {
		c := f.claim(models.StatusInReview)
		return fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "approve", "version": c.Version}
	}, map[string]int{anon: 401, editor: 403, admin: 400, token: 403}},
	{"POST", "/api/v1/claims/:id/transitions", "approve own submission with a reason", func(f *fixture) (string, any) {
		c := f.claim(models.StatusInReview)
		return fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "approve", "version": c.Version, "override_reason": "no second editor tonight"}
	}, map[string]int{anon: 401, editor: 403, admin: 200, token: 403}},
	{"POST", "/api/v1/claims/:id/transitions", "approve a colleague's correction", func(f *fixture) (string, any) {
		c := f.claim(models.StatusPublished)
		r := models.RatingMostlyFalse
		c, err := storetest.Transition(f.ctx(), f.env.DB, c.ID, models.TransitionInput{Action: models.ActionCorrect, Note: "Figure fixed.", Rating: &r}, f.env.Editor2)
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "approve", "version": c.Version}
	}, map[string]int{anon: 401, editor: 200, admin: 200, token: 200}},
	{"POST", "/api/v1/claims/:id/transitions", "retract", func(f *fixture) (string, any) {
		c := f.claim(models.StatusPublished)
		return fmt.Sprintf("/api/v1/claims/%d/transitions", c.ID), map[string]any{"action": "retract", "note": "wrong report", "version": c.Version}
	}, map[string]int{anon: 401, editor: 403, admin: 200, token: 403}},
	{"PUT", "/api/v1/claims/:id/anchor", "orphaned", func(f *fixture) (string, any) {
		c, edited := f.orphaned(models.StatusResearching)
		start, end := span(f.t, edited, "joblessness dropped")
		return fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID), map[string]any{"start": start, "end": end, "version": c.Version}
	}, editors(200)},
	{"PUT", "/api/v1/claims/:id/anchor", "published, moved", func(f *fixture) (string, any) {
		c := f.claim(models.StatusPublished)
		start, end := span(f.t, body, "23,000 terrorists")
		return fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID), map[string]any{"start": start, "end": end, "version": c.Version, "document_version": 1}
	}, editors(200)},
	{"PUT", "/api/v1/claims/:id/anchor", "stale version", func(f *fixture) (string, any) {
		c, _ := f.orphaned(models.StatusOpen)
		return fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID), map[string]any{"start": 0, "end": 5, "version": c.Version - 1}
	}, editors(409)},
	{"PUT", "/api/v1/claims/:id/anchor", "empty span", func(f *fixture) (string, any) {
		c, _ := f.orphaned(models.StatusDismissed)
		return fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID), map[string]any{"start": 7, "end": 7, "version": c.Version}
	}, editors(400)},
	{"PUT", "/api/v1/claims/:id/anchor", "no such claim", fixedBody("/api/v1/claims/999999/anchor", map[string]any{"start": 0, "end": 5, "version": 1}), editors(404)},
	{"GET", "/api/v1/claims/:id/revisions", "", claimPath(models.StatusPublished, "/revisions"), editors(200)},
	{"GET", "/api/v1/claims/:id/matches", "", claimPath(models.StatusPublished, "/matches"), all(200)},
	{"GET", "/api/v1/claims/:id/matches", "candidate", claimPath(models.StatusCandidate, "/matches"), map[string]int{anon: 404, editor: 200, admin: 200, token: 200}},
	{"POST", "/api/v1/claims/:id/evidence", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d/evidence", f.claim(models.StatusResearching).ID), map[string]any{"source_id": f.source().ID, "stance": "refutes"}
	}, editors(201)},
	{"PATCH", "/api/v1/claims/:id/evidence/:evidence_id", "", func(f *fixture) (string, any) {
		e := f.evidence(f.claim(models.StatusResearching))
		return fmt.Sprintf("/api/v1/claims/%d/evidence/%d", e.ClaimID, e.ID), map[string]any{"stance": "refutes", "public_note": "Table 3."}
	}, editors(200)},
	{"PATCH", "/api/v1/claims/:id/evidence/:evidence_id", "published, stance", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		e := f.evidence(c)
		submitAndApprove(f.t, f.env.DB, c.ID, models.RatingFalse, "The figure is wrong.", f.env.Editor, f.env.Editor2)
		return fmt.Sprintf("/api/v1/claims/%d/evidence/%d", c.ID, e.ID), map[string]any{"stance": "refutes", "correction_note": "The source refutes it."}
	}, map[string]int{anon: 401, editor: 202, admin: 202, token: 202}},
	{"DELETE", "/api/v1/claims/:id/evidence/:evidence_id", "", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		return fmt.Sprintf("/api/v1/claims/%d/evidence/%d", c.ID, f.evidence(c).ID), nil
	}, editors(204)},

	{"POST", "/api/v1/claims/:id/appearances", "being checked", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		d := f.doc()
		return fmt.Sprintf("/api/v1/claims/%d/appearances", c.ID), map[string]any{"document_id": d.ID, "quote": map[string]any{"exact": "unemployment fell by 4 per cent"}, "version": c.Version}
	}, editors(201)},
	{"POST", "/api/v1/claims/:id/appearances", "published", func(f *fixture) (string, any) {
		c := f.claim(models.StatusPublished)
		d := f.doc()
		return fmt.Sprintf("/api/v1/claims/%d/appearances", c.ID), map[string]any{"document_id": d.ID, "quote": map[string]any{"exact": "unemployment fell by 4 per cent"}, "version": c.Version, "correction_note": "Said again."}
	}, editors(202)},
	{"POST", "/api/v1/claims/:id/appearances", "stale version", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		return fmt.Sprintf("/api/v1/claims/%d/appearances", c.ID), map[string]any{"document_id": f.doc().ID, "start": 0, "end": 5, "version": c.Version - 1}
	}, editors(409)},
	{"POST", "/api/v1/claims/:id/appearances", "no span", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		return fmt.Sprintf("/api/v1/claims/%d/appearances", c.ID), map[string]any{"document_id": f.doc().ID, "version": c.Version}
	}, editors(400)},
	{"DELETE", "/api/v1/claims/:id/appearances/:appearance_id", "", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		start, end := span(f.t, body, "unemployment fell by 4 per cent")
		res, err := f.env.DB.LinkAppearance(f.ctx(), c.ID, store.AppearanceLink{Version: c.Version, DocumentID: f.doc().ID, Start: start, End: end}, f.env.Editor)
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/claims/%d/appearances/%d?version=%d", c.ID, res.Appearance.ID, res.Claim.Version), nil
	}, editors(204)},
	{"DELETE", "/api/v1/claims/:id/appearances/:appearance_id", "no such appearance", func(f *fixture) (string, any) {
		c := f.claim(models.StatusResearching)
		return fmt.Sprintf("/api/v1/claims/%d/appearances/999999?version=%d", c.ID, c.Version), nil
	}, editors(404)},
	{"POST", "/api/v1/reviews/import", "", fixedBody("/api/v1/reviews/import", map[string]any{"@type": "ClaimReview", "url": "https://checker.example/r/1",
		"claimReviewed": "Unemployment fell by 4 per cent", "author": map[string]any{"name": "Checker"}, "reviewRating": map[string]any{"alternateName": "False"}}), editors(200)},
	{"POST", "/api/v1/reviews/import", "no review", fixedBody("/api/v1/reviews/import", map[string]any{"@type": "WebPage"}), editors(400)},

	{"GET", "/api/v1/sources", "", fixed("/api/v1/sources"), editors(200)},
	{"POST", "/api/v1/sources", "", func(f *fixture) (string, any) {
		return "/api/v1/sources", map[string]any{"title": "Census 2023", "kind": "dataset"}
	}, editors(201)},
	{"GET", "/api/v1/sources/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/sources/%d", f.source().ID), nil
	}, editors(200)},
	{"PATCH", "/api/v1/sources/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/sources/%d", f.source().ID), map[string]any{"version": 1, "publisher": "Ministry"}
	}, editors(200)},

	{"GET", "/api/v1/jobs/:id", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/jobs/%d", f.job().ID), nil
	}, editors(200)},
	{"GET", "/api/v1/sources/:id/snapshots", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/sources/%d/snapshots", f.source().ID), nil
	}, editors(200)},
	{"GET", "/api/v1/sources/:id/snapshots", "no such source", fixed("/api/v1/sources/999999/snapshots"),
		map[string]int{anon: 401, editor: 404, admin: 404, token: 404}},
	{"POST", "/api/v1/sources/:id/snapshots", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/sources/%d/snapshots", f.source().ID), nil
	}, editors(202)},
	{"POST", "/api/v1/sources/:id/snapshots", "source without URL", func(f *fixture) (string, any) {
		s := &models.Source{Title: "A book", Kind: models.SourceOther}
		if err := f.env.DB.CreateSource(f.ctx(), s, f.env.Editor); err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/sources/%d/snapshots", s.ID), nil
	}, map[string]int{anon: 401, editor: 400, admin: 400, token: 400}},

	{"GET", "/api/v1/search", "", fixed("/api/v1/search?q=unemployment"), all(200)},
	// Review finding 3: an anonymous search is bounded; an editor's is not.
	{"GET", "/api/v1/search", "nine words", fixed("/api/v1/search?q=one+two+three+four+five+six+seven+eight+unemployment"),
		map[string]int{anon: 400, editor: 200, admin: 200, token: 200}},

	// Review finding 4: the operator's figures are not on the public address.
	{"GET", "/metrics", "", fixed("/metrics"), all(404)},

	{"GET", "/api/v1/notifications", "", fixed("/api/v1/notifications?unread=true&limit=5"), editors(200)},
	{"GET", "/api/v1/notifications/unread", "", fixed("/api/v1/notifications/unread"), editors(200)},
	{"POST", "/api/v1/notifications/read", "all", fixedBody("/api/v1/notifications/read", map[string]any{}), editors(204)},
	{"POST", "/api/v1/notifications/read", "someone else's", func(f *fixture) (string, any) {
		return "/api/v1/notifications/read", map[string]any{"ids": []int64{f.notification(f.env.Editor2).ID}}
	}, editors(404)},
	{"GET", "/api/v1/me/preferences", "", fixed("/api/v1/me/preferences"), editors(200)},
	{"PUT", "/api/v1/me/preferences", "", fixedBody("/api/v1/me/preferences", map[string]any{"preferences": map[string]any{"assigned": map[string]bool{"email": false}}}), editors(200)},
	{"PUT", "/api/v1/me/preferences", "unknown channel", fixedBody("/api/v1/me/preferences", map[string]any{"preferences": map[string]any{"assigned": map[string]bool{"pager": true}}}), editors(400)},
	{"GET", "/api/v1/claims/:id/comments", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d/comments", f.comment(f.as).ClaimID), nil
	}, editors(200)},
	// Comments are never public, not even on a published verdict.
	{"GET", "/api/v1/claims/:id/comments", "published", claimPath(models.StatusPublished, "/comments"), editors(200)},
	{"POST", "/api/v1/claims/:id/comments", "", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d/comments", f.claim(models.StatusOpen).ID), map[string]any{"body": "Ask @editor2 about **table 3**."}
	}, editors(201)},
	{"POST", "/api/v1/claims/:id/comments", "empty", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/claims/%d/comments", f.claim(models.StatusOpen).ID), map[string]any{"body": "  "}
	}, editors(400)},
	{"PATCH", "/api/v1/claims/:id/comments/:comment_id", "own", func(f *fixture) (string, any) {
		cm := f.comment(f.as)
		return fmt.Sprintf("/api/v1/claims/%d/comments/%d", cm.ClaimID, cm.ID), map[string]any{"body": "Edited.", "version": cm.Version}
	}, editors(200)},
	{"PATCH", "/api/v1/claims/:id/comments/:comment_id", "someone else's", func(f *fixture) (string, any) {
		cm := f.comment(f.env.Editor2)
		return fmt.Sprintf("/api/v1/claims/%d/comments/%d", cm.ClaimID, cm.ID), map[string]any{"body": "Edited.", "version": cm.Version}
	}, editors(403)},
	{"PATCH", "/api/v1/claims/:id/comments/:comment_id", "stale", func(f *fixture) (string, any) {
		cm := f.comment(f.as)
		return fmt.Sprintf("/api/v1/claims/%d/comments/%d", cm.ClaimID, cm.ID), map[string]any{"body": "Edited.", "version": cm.Version + 1}
	}, editors(409)},
	{"GET", "/api/v1/reports", "", fixed("/api/v1/reports?status=new"), editors(200)},
	{"GET", "/api/v1/reports", "bad status", fixed("/api/v1/reports?status=maybe"), editors(400)},
	{"POST", "/api/v1/reports/:id/moderation", "spam", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/reports/%d/moderation", f.report(models.ReportSuggestion).ID), map[string]any{"status": "spam"}
	}, editors(200)},
	{"POST", "/api/v1/reports/:id/moderation", "accept a suggestion", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/reports/%d/moderation", f.report(models.ReportSuggestion).ID), map[string]any{"status": "accepted", "claimant": "A minister"}
	}, editors(200)},
	{"POST", "/api/v1/reports/:id/moderation", "accept an error with a correction", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/reports/%d/moderation", f.report(models.ReportError).ID), map[string]any{"status": "accepted", "correction_note": "The year was wrong.", "rating": "mostly_false"}
	}, editors(200)},
	{"POST", "/api/v1/reports/:id/moderation", "accept an error without a correction", func(f *fixture) (string, any) {
		return fmt.Sprintf("/api/v1/reports/%d/moderation", f.report(models.ReportError).ID), map[string]any{"status": "accepted"}
	}, editors(400)},
	{"POST", "/api/v1/reports/:id/moderation", "twice", func(f *fixture) (string, any) {
		r := f.report(models.ReportSuggestion)
		if _, err := f.env.DB.ModerateReport(f.ctx(), r.ID, models.Moderation{Status: models.ReportSpam}, f.env.Admin); err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/reports/%d/moderation", r.ID), map[string]any{"status": "duplicate"}
	}, editors(409)},
	{"GET", "/api/v1/webhooks", "", fixed("/api/v1/webhooks"), admins(200)},
	{"POST", "/api/v1/webhooks", "", fixedBody("/api/v1/webhooks", map[string]any{"url": "https://hooks.example/factdesk"}), admins(201)},
	{"POST", "/api/v1/webhooks", "not http", fixedBody("/api/v1/webhooks", map[string]any{"url": "ftp://hooks.example/"}), admins(400)},
	{"PATCH", "/api/v1/webhooks/:id", "pause", func(f *fixture) (string, any) {
		h, err := f.env.DB.CreateWebhook(f.ctx(), "https://hooks.example/p", "a secret of sixteen+")
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/webhooks/%d", h.ID), map[string]any{"active": false}
	}, admins(200)},
	{"PATCH", "/api/v1/webhooks/:id", "no such webhook", fixedBody("/api/v1/webhooks/999999", map[string]any{"active": true}), admins(404)},
	{"DELETE", "/api/v1/webhooks/:id", "", func(f *fixture) (string, any) {
		h, err := f.env.DB.CreateWebhook(f.ctx(), "https://hooks.example/x", "a secret of sixteen+")
		if err != nil {
			f.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/webhooks/%d", h.ID), nil
	}, admins(204)},
	{"GET", "/api/v1/deliveries", "", fixed("/api/v1/deliveries?channel=email&limit=5"), admins(200)},
	{"GET", "/api/v1/scale", "", fixed("/api/v1/scale"), all(200)},
	{"GET", "/api/v1/scale/presets", "", fixed("/api/v1/scale/presets"), all(200)},
	{"PUT", "/api/v1/scale", "add a rating", func(f *fixture) (string, any) {
		sc := f.scale()
		sc.Ratings = append(sc.Ratings, models.ScaleRating{Key: models.Rating(fmt.Sprintf("added_%d", userSeq.Add(1))), Label: fmt.Sprintf("Added %d", userSeq.Add(1)), Colour: "slate"})
		return "/api/v1/scale", map[string]any{"version": sc.Version, "ratings": sc.Ratings, "best_rating": sc.BestRating, "worst_rating": sc.WorstRating}
	}, admins(200)},
	{"PUT", "/api/v1/scale", "stale version", func(f *fixture) (string, any) {
		sc := f.scale()
		return "/api/v1/scale", map[string]any{"version": sc.Version + 7, "ratings": sc.Ratings, "best_rating": sc.BestRating, "worst_rating": sc.WorstRating}
	}, admins(409)},
	{"PUT", "/api/v1/scale", "remove a rating in use", func(f *fixture) (string, any) {
		f.claim(models.StatusPublished) // rated false
		sc := f.scale()
		var kept []models.ScaleRating
		for _, r := range sc.Ratings {
			if r.Key != models.RatingFalse {
				kept = append(kept, r)
			}
		}
		return "/api/v1/scale", map[string]any{"version": sc.Version, "ratings": kept, "best_rating": sc.BestRating, "worst_rating": sc.WorstRating}
	}, admins(400)},
	{"PUT", "/api/v1/scale", "preset relabelling published verdicts without a mode", func(f *fixture) (string, any) {
		f.claim(models.StatusPublished)
		return "/api/v1/scale", map[string]any{"version": f.scale().Version, "preset": "six-step"}
	}, admins(400)},

	{"GET", "/api/v1/users", "", fixed("/api/v1/users"), admins(200)},
	{"POST", "/api/v1/users", "", func(f *fixture) (string, any) {
		return "/api/v1/users", map[string]any{"email": fmt.Sprintf("new%d@example.org", userSeq.Add(1)), "name": "New Editor", "role": "editor", "password": storetest.Password}
	}, admins(201)},
	{"PATCH", "/api/v1/users/:id", "", func(f *fixture) (string, any) {
		u := storetest.User(f.t, f.env.DB, fmt.Sprintf("user%d@example.org", userSeq.Add(1)), models.RoleEditor)
		return fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"role": "admin"}
	}, admins(200)},
	{"PATCH", "/api/v1/me/password", "common new password", func(f *fixture) (string, any) {
		return "/api/v1/me/password", map[string]any{"current_password": storetest.Password, "new_password": "password1234"}
	}, map[string]int{anon: 401, editor: 400, admin: 400, token: 400}},
	{"PATCH", "/api/v1/me/password", "new password of twelve spaces", func(f *fixture) (string, any) {
		return "/api/v1/me/password", map[string]any{"current_password": storetest.Password, "new_password": "            "}
	}, map[string]int{anon: 401, editor: 400, admin: 400, token: 400}},
	{"POST", "/api/v1/users", "password of one repeated character", func(f *fixture) (string, any) {
		return "/api/v1/users", map[string]any{"email": fmt.Sprintf("new%d@example.org", userSeq.Add(1)), "name": "New Editor", "role": "editor", "password": "aaaaaaaaaaaa"}
	}, admins(400)},
	{"POST", "/api/v1/users", "password that is the email's name", func(f *fixture) (string, any) {
		n := userSeq.Add(1)
		return "/api/v1/users", map[string]any{"email": fmt.Sprintf("new.editor%d@example.org", n), "name": "New Editor", "role": "editor", "password": fmt.Sprintf("new.editor%d!!", n)}
	}, admins(400)},
	{"PATCH", "/api/v1/users/:id", "reset to a common password", func(f *fixture) (string, any) {
		u := storetest.User(f.t, f.env.DB, fmt.Sprintf("user%d@example.org", userSeq.Add(1)), models.RoleEditor)
		return fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"password": "password1234"}
	}, admins(400)},
}

// TestRoutesByRole walks every route for every caller and checks the status.
func TestRoutesByRole(t *testing.T) {
	env := servertest.New(t)
	editorToken := env.NewToken(servertest.EditorEmail, "role table")
	cells := 0
	for _, rt := range routeTable {
		for _, role := range roles {
			name := rt.method + " " + rt.pattern
			if rt.name != "" {
				name += " (" + rt.name + ")"
			}
			t.Run(name+" as "+role, func(t *testing.T) {
				f := &fixture{t: t, env: env, as: env.Editor}
				var c *servertest.Client
				switch role {
				case anon:
					c = env.Anonymous()
				case editor:
					c = env.SignedIn(env.Editor)
				case admin:
					f.as = env.Admin
					c = env.SignedIn(env.Admin)
				case token:
					c = editorToken
				}
				path, body := rt.prepare(f)
				r := c.Do(rt.method, path, body)
				if r.Status != rt.want[role] {
					t.Errorf("%s %s as %s: %d, want %d: %s", rt.method, path, role, r.Status, rt.want[role], r.Body)
				}
				if r.Status == 409 && !strings.Contains(string(r.Body), `"current":{`) {
					t.Errorf("%s %s as %s: a conflict without the current record: %s", rt.method, path, role, r.Body)
				}
				if r.Status >= 400 && r.ErrorCode() == "" {
					t.Errorf("%s %s as %s: error without the error shape: %s", rt.method, path, role, r.Body)
				}
			})
			cells++
		}
	}
	// Every API route of the engine is in the table.
	covered := map[string]bool{}
	for _, rt := range routeTable {
		covered[rt.method+" "+rt.pattern] = true
	}
	for _, r := range env.Handler.(*gin.Engine).Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && !covered[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in the role table", r.Method, r.Path)
		}
	}
	t.Logf("%d route × role cells, %d responses validated against OpenAPI", cells, env.Validated())
	checkAnonymous(t, env)
}
