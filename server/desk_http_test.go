package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestDeskNeedsSession(t *testing.T) {
	e := newDeskEnv(t)
	c := e.anonymous(t)
	for _, path := range []string{"/desk", "/desk/claims?status=open", "/desk/documents/new", "/desk/users", "/desk/scale", "/desk/stats"} {
		res, _ := c.get(path)
		want := "/desk/login?next=" + url.QueryEscape(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("GET %s = %d to %q, want 303 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	res, _ := c.post("/desk/documents", url.Values{"body": {"Text."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/login" {
		t.Errorf("anonymous POST = %d to %q, want 303 to the sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	if n := countDocuments(t, e.db); n != 0 {
		t.Errorf("documents = %d after an anonymous POST, want 0", n)
	}

	t.Run("SignInGoesToNext", func(t *testing.T) {
		res, _ := c.signInForm(url.Values{"email": {e.ed1.Email}, "password": {storetest.Password}, "next": {"/desk/claims?status=open"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/claims?status=open" {
			t.Errorf("sign in = %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, page := c.get("/desk/claims?status=open")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("queue after sign-in = %d", res.StatusCode)
		}
		mustContain(t, page, "<h1>Claims</h1>")
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		e := newDeskEnv(t) // failed sign-ins are counted per address: keep them away from the others
		res, page := e.anonymous(t).signInForm(url.Values{"email": {e.ed1.Email}, "password": {"not the password at all"}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("wrong password = %d, want 401", res.StatusCode)
		}
		mustContain(t, page, "wrong email or password", `value="editor@example.org"`)
	})
	t.Run("SignOut", func(t *testing.T) {
		c := e.signIn(t, e.ed2)
		res, _ := c.post("/desk/logout", url.Values{"csrf_token": {c.csrf()}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out = %d", res.StatusCode)
		}
		if res, _ := c.get("/desk"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after sign-out /desk = %d, want a redirect to sign in", res.StatusCode)
		}
	})
}

func TestDeskRefusesPostsWithoutCSRF(t *testing.T) {
	e := newDeskEnv(t)
	c := e.signIn(t, e.ed1)
	form := url.Values{"title": {"Op-ed"}, "language": {"ur"}, "body": {"Pakistan hosted 3 million refugees in 2023."}}
	for name, token := range map[string]string{"Missing": "", "Wrong": "not-the-token"} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != "" {
				f.Set("csrf_token", token)
			}
			res, page := c.post("/desk/documents", f)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST = %d, want 403", res.StatusCode)
			}
			mustContain(t, page, "Not allowed", "reload the page")
			if n := countDocuments(t, e.db); n != 0 {
				t.Errorf("documents = %d after a refused POST, want 0", n)
			}
		})
	}
	t.Run("WithToken", func(t *testing.T) {
		form.Set("csrf_token", c.csrf())
		res, _ := c.post("/desk/documents", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/desk/documents/") {
			t.Errorf("POST = %d to %q, want 303 to the document", res.StatusCode, res.Header.Get("Location"))
		}
		if n := countDocuments(t, e.db); n != 1 {
			t.Errorf("documents = %d, want 1", n)
		}
		docs, err := e.db.ListDocuments(context.Background(), store.DocumentFilter{})
		if err != nil || len(docs) != 1 || docs[0].Title != "Op-ed" || docs[0].Language != "ur" {
			t.Errorf("imported %+v (%v), want the title and language of the form", docs, err)
		}
	})
}

func TestDeskUsersAdminOnly(t *testing.T) {
	e := newDeskEnv(t)
	ed := e.signIn(t, e.ed1)
	if res, page := ed.get("/desk/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor GET /desk/users = %d, want 403", res.StatusCode)
	} else {
		mustContain(t, page, "only an admin may manage users")
	}
	newUser := url.Values{"csrf_token": {ed.csrf()}, "email": {"new@example.org"}, "name": {"New"}, "role": {"admin"}, "password": {storetest.Password}}
	if res, _ := ed.post("/desk/users", newUser); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor POST /desk/users = %d, want 403", res.StatusCode)
	}
	if n, _ := e.db.CountUsers(context.Background()); n != 3 {
		t.Errorf("users = %d after an editor's POST, want 3", n)
	}

	admin := e.signIn(t, e.admin)
	if res, page := admin.get("/desk/users"); res.StatusCode != http.StatusOK {
		t.Errorf("admin GET /desk/users = %d", res.StatusCode)
	} else {
		mustContain(t, page, "editor@example.org", "Add a user")
	}
	newUser.Set("csrf_token", admin.csrf())
	newUser.Set("password", "short")
	res, page := admin.post("/desk/users", newUser)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("short password = %d, want 400", res.StatusCode)
	}
	mustContain(t, page, `aria-invalid="true" aria-describedby="f-password-error"`, `id="f-password-error"`, "at least 12 characters", `value="new@example.org"`)
	newUser.Set("password", storetest.Password)
	if res, _ := admin.post("/desk/users", newUser); res.StatusCode != http.StatusSeeOther {
		t.Errorf("add user = %d, want 303", res.StatusCode)
	}
	res, _ = admin.post("/desk/users/"+strconv.FormatInt(e.ed2.ID, 10), url.Values{"csrf_token": {admin.csrf()}, "op": {"disable"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("disable = %d, want 303", res.StatusCode)
	}
	if u, _ := e.db.GetUser(context.Background(), e.ed2.ID); !u.Disabled {
		t.Error("editor 2 not disabled")
	}
}

func TestDeskClaimConflict(t *testing.T) {
	e := newDeskEnv(t)
	d := storetest.Document(t, e.db, "Officials said 23,000 fighters crossed the “naïve” border.", e.ed1)
	cl := storetest.Claim(t, e.db, d, 15, 38, e.ed1)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)

	one, two := e.signIn(t, e.ed1), e.signIn(t, e.ed2)
	_, page1 := one.get(path)
	_, page2 := two.get(path)
	v := inputValue(page1, "version")
	if v != "1" || inputValue(page2, "version") != "1" {
		t.Fatalf("versions shown = %q, %q, want 1", v, inputValue(page2, "version"))
	}
	form := func(c *deskClient, version, text, explanation string) url.Values {
		return url.Values{"csrf_token": {c.csrf()}, "version": {version}, "text": {text}, "claimant": {"Officials"},
			"kind": {"statistic"}, "assignee_id": {""}, "rating": {""}, "explanation": {explanation}, "op": {"save"}}
	}
	res, _ := one.post(path, form(one, "1", "23,000 fighters crossed", "First editor’s notes."))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save = %d", res.StatusCode)
	}
	res, page := two.post(path, form(two, "1", "23,000 fighters crossed the border", "Second editor’s notes, typed at length."))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", res.StatusCode)
	}
	page = html.UnescapeString(page)
	mustContain(t, page, "Someone else saved this claim", "First editor’s notes.", "Second editor’s notes, typed at length.",
		">23,000 fighters crossed the border</textarea>")
	if got := inputValue(page, "version"); got != "2" {
		t.Errorf("form version after the conflict = %q, want 2 so the next save goes through", got)
	}
	if c, _ := e.db.GetClaim(context.Background(), cl.ID); c.Explanation != "First editor’s notes." {
		t.Errorf("stored explanation = %q: the stale save wrote", c.Explanation)
	}
	res, _ = two.post(path, form(two, "2", "23,000 fighters crossed the border", "Second editor’s notes, typed at length."))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save = %d, want 303", res.StatusCode)
	}
	c, _ := e.db.GetClaim(context.Background(), cl.ID)
	if c.Text != "23,000 fighters crossed the border" || c.Version != 3 {
		t.Errorf("stored = %q v%d", c.Text, c.Version)
	}
}

func TestDeskClaimFromSelectionCountsCodePoints(t *testing.T) {
	e := newDeskEnv(t)
	body := "Intro 🙂 line.\nThe “naïve” estimate of 23,000 fighters is wrong."
	d := storetest.Document(t, e.db, body, e.ed1)
	c := e.signIn(t, e.ed1)
	phrase := "“naïve” estimate"
	start := len([]rune(body[:strings.Index(body, phrase)]))
	res, _ := c.post("/desk/documents/"+strconv.FormatInt(d.ID, 10)+"/claims", url.Values{"csrf_token": {c.csrf()},
		"start": {strconv.Itoa(start)}, "end": {strconv.Itoa(start + len([]rune(phrase)))}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d", res.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/desk/claims/"), 10, 64)
	cl, err := e.db.GetClaim(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Exact != phrase || cl.Status != models.StatusOpen || cl.Origin != models.OriginManual {
		t.Errorf("claim = %q %s %s, want %q open manual", cl.Exact, cl.Status, cl.Origin, phrase)
	}
	res, page := c.post("/desk/documents/"+strconv.FormatInt(d.ID, 10)+"/claims", url.Values{"csrf_token": {c.csrf()}, "start": {"5"}, "end": {"5"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty span = %d, want 400", res.StatusCode)
	}
	mustContain(t, page, `id="f-end-error"`)
}

const editBody = "\nIntro 🙂 line.\nOfficials said 23,000 fighters crossed the “naïve” border. The rest is commentary."

// editForm is the document editor's form as a browser sends it.
func editForm(c *deskClient, version int, title, body string) url.Values {
	return url.Values{"csrf_token": {c.csrf()}, "version": {strconv.Itoa(version)}, "title": {title}, "author": {"A. Writer"},
		"publisher": {"The Daily"}, "url": {"https://example.org/oped"}, "published_on": {"2025-10-14"}, "language": {"en"},
		"body": {body}, "summary": {"lede rewritten"}}
}

func TestDeskDocumentEdit(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d := storetest.Document(t, e.db, editBody, e.ed1)
	start, end := span(t, editBody, "23,000 fighters")
	cl := storetest.Claim(t, e.db, d, start, end, e.ed1)
	docPath := "/desk/documents/" + strconv.FormatInt(d.ID, 10)
	editPath := docPath + "/edit"
	c := e.signIn(t, e.ed1)

	t.Run("Form", func(t *testing.T) {
		_, page := c.get(docPath)
		mustContain(t, page, `href="`+editPath+`"`)
		res, page := c.get(editPath)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET edit = %d", res.StatusCode)
		}
		mustContain(t, page, `<label for="f-title">`, `<label for="f-language">`, `<label for="f-published_on">`, `<label for="f-body">`,
			`name="version" value="1"`, `value="Test document"`, `name="csrf_token"`, "anchored in this text")
		// The body keeps its leading newline: the one after the start tag is the parser's.
		if !strings.Contains(html.UnescapeString(page), ">\n"+editBody+"</textarea>") {
			t.Error("the text area does not hold the body exactly")
		}
	})

	t.Run("CSRFRequired", func(t *testing.T) {
		f := editForm(c, 1, "Forged", "Forged text.")
		f.Del("csrf_token")
		if res, _ := c.post(editPath, f); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST without the token = %d, want 403", res.StatusCode)
		}
		f.Set("csrf_token", "not-the-token")
		if res, _ := c.post(editPath, f); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST with a wrong token = %d, want 403", res.StatusCode)
		}
		if got, _ := e.db.GetDocument(ctx, d.ID); got.Version != 1 || got.Title != "Test document" {
			t.Errorf("a refused POST wrote: v%d %q", got.Version, got.Title)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		f := editForm(c, 1, "Typed title", "   ")
		f.Set("published_on", "14/10/2025")
		res, page := c.post(editPath, f)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad date = %d, want 400", res.StatusCode)
		}
		mustContain(t, page, `id="f-published_on-error"`, `value="Typed title"`)
		f.Set("published_on", "")
		res, page = c.post(editPath, f)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("empty body = %d, want 400", res.StatusCode)
		}
		mustContain(t, page, `id="f-body-error"`, `aria-invalid="true"`, `value="Typed title"`)
	})

	// The quote of the claim is edited away: the save orphans it and the
	// document page says so and offers to place it again.
	newBody := strings.Replace(editBody, "Officials said 23,000 fighters crossed the “naïve” border.", "Officials gave no figure for the thousands who came.", 1)
	t.Run("SaveOrphans", func(t *testing.T) {
		res, _ := c.post(editPath, editForm(c, 1, "Op-ed, edited", newBody))
		loc := res.Header.Get("Location")
		lost := orphanCount(t, e, d.ID) // the claim, and any candidate detection proposed on the same words
		if res.StatusCode != http.StatusSeeOther || lost == 0 || loc != docPath+"?edited=1&lost="+strconv.Itoa(lost)+"#orphans" {
			t.Fatalf("save = %d to %q, %d claims orphaned", res.StatusCode, loc, lost)
		}
		got, _ := e.db.GetDocument(ctx, d.ID)
		if got.Version != 2 || got.Title != "Op-ed, edited" || got.Body != newBody || got.Author != "A. Writer" || got.Language != "en" ||
			got.PublishedOn == nil || got.PublishedOn.Format("2006-01-02") != "2025-10-14" {
			t.Errorf("stored = %+v", got)
		}
		revs, _ := e.db.ListRevisions(ctx, store.RevisionFilter{Entity: models.EntityDocument, EntityID: d.ID})
		if len(revs) == 0 || revs[0].Summary != "lede rewritten" {
			t.Errorf("document revisions = %+v", revs)
		}
		if lost, _ := e.db.GetClaim(ctx, cl.ID); !lost.Orphaned {
			t.Fatal("the claim whose quote was edited away is not orphaned")
		}
		_, page := c.get(strings.Split(loc, "#")[0])
		page = html.UnescapeString(page)
		n := strconv.Itoa(lost) + " claim"
		if lost > 1 {
			n += "s"
		}
		mustContain(t, page, "This edit left "+n+" without a place", "Lost their place <span class=\"count\">("+strconv.Itoa(lost)+")", `id="orphans"`,
			"lost its place after an edit", "<del>23,000 fighters</del>", "Place claim "+strconv.FormatInt(cl.ID, 10)+" here",
			`name="document_version" value="2"`)
	})

	t.Run("StaleVersionKeepsTyping", func(t *testing.T) {
		other := e.signIn(t, e.ed2)
		if res, _ := other.post(editPath, editForm(other, 2, "Their title", newBody+" Their addition.")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("other editor's save = %d", res.StatusCode)
		}
		typed := newBody + " My own paragraph, typed at length."
		res, page := c.post(editPath, editForm(c, 2, "My title", typed))
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save = %d, want 409", res.StatusCode)
		}
		page = html.UnescapeString(page)
		mustContain(t, page, "Someone else saved this document", "Their title", "Their addition.", `value="My title"`,
			">\n"+typed+"</textarea>", "Yours (unsaved, from version 2)", "Saved now (version 3)")
		if got := inputValue(page, "version"); got != "3" {
			t.Errorf("form version after the conflict = %q, want 3", got)
		}
		if got, _ := e.db.GetDocument(ctx, d.ID); got.Title != "Their title" {
			t.Errorf("the stale save wrote: %q", got.Title)
		}
		if res, _ := c.post(editPath, editForm(c, 3, "My title", typed)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save after the conflict = %d", res.StatusCode)
		}
		if got, _ := e.db.GetDocument(ctx, d.ID); got.Title != "My title" || got.Body != typed {
			t.Errorf("stored after the second save: %q", got.Title)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		if res, _ := c.get("/desk/documents/999999/edit"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET edit of no document = %d", res.StatusCode)
		}
	})
}

// orphanCount is how many claims of a document wait to be placed again.
func orphanCount(t *testing.T, e *deskEnv, docID int64) int {
	t.Helper()
	page, err := e.db.ListClaims(context.Background(), models.ClaimFilter{DocumentID: docID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range page.Claims {
		if c.Orphaned {
			n++
		}
	}
	return n
}

func TestDeskPlaceClaim(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d, cl, newBody := storetest.Orphaned(t, e.db, editBody, "23,000 fighters",
		"Officials said 23,000 fighters crossed the “naïve” border.", "Officials gave no figure for the border crossings.", e.ed1)
	docPath := "/desk/documents/" + strconv.FormatInt(d.ID, 10)
	c := e.signIn(t, e.ed1)
	s, en := span(t, newBody, "the border crossings")
	place := func(claimID int64, version, docVersion, start, end int) url.Values {
		return url.Values{"csrf_token": {c.csrf()}, "claim_id": {strconv.FormatInt(claimID, 10)}, "version": {strconv.Itoa(version)},
			"document_version": {strconv.Itoa(docVersion)}, "start": {strconv.Itoa(start)}, "end": {strconv.Itoa(end)}}
	}
	field := `id="place-error"`

	t.Run("EmptySelection", func(t *testing.T) {
		res, page := c.post(docPath+"/place", place(cl.ID, cl.Version, d.Version, s, s))
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("empty span = %d, want 400", res.StatusCode)
		}
		mustContain(t, page, field, "was not placed: the selection")
		f := place(cl.ID, cl.Version, d.Version, s, en)
		f.Set("start", "")
		if res, _ := c.post(docPath+"/place", f); res.StatusCode != http.StatusBadRequest {
			t.Errorf("no selection = %d, want 400", res.StatusCode)
		}
	})
	t.Run("DocumentEditedSince", func(t *testing.T) {
		res, page := c.post(docPath+"/place", place(cl.ID, cl.Version, d.Version-1, s, en))
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("old document version = %d, want 409", res.StatusCode)
		}
		mustContain(t, page, field, "select the words again", `name="document_version" value="`+strconv.Itoa(d.Version)+`"`)
	})
	t.Run("OtherDocument", func(t *testing.T) {
		other := storetest.Document(t, e.db, "Another text entirely.", e.ed1)
		res, _ := c.post("/desk/documents/"+strconv.FormatInt(other.ID, 10)+"/place", place(cl.ID, cl.Version, other.Version, 0, 7))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("claim of another document = %d, want 404", res.StatusCode)
		}
	})
	t.Run("CSRFRequired", func(t *testing.T) {
		f := place(cl.ID, cl.Version, d.Version, s, en)
		f.Del("csrf_token")
		if res, _ := c.post(docPath+"/place", f); res.StatusCode != http.StatusForbidden {
			t.Errorf("no token = %d, want 403", res.StatusCode)
		}
	})
	if still, _ := e.db.GetClaim(ctx, cl.ID); !still.Orphaned || still.Version != cl.Version {
		t.Fatalf("a refused placement wrote: %+v", still)
	}
	// The claim's own page sends the editor to where it can be placed.
	_, page := c.get("/desk/claims/" + strconv.FormatInt(cl.ID, 10))
	mustContain(t, page, `href="`+docPath+`#orphan-`+strconv.FormatInt(cl.ID, 10)+`"`)
	t.Run("OK", func(t *testing.T) {
		res, _ := c.post(docPath+"/place", place(cl.ID, cl.Version, d.Version, s, en))
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != docPath+"?placed="+strconv.FormatInt(cl.ID, 10) {
			t.Fatalf("place = %d to %q", res.StatusCode, loc)
		}
		got, _ := e.db.GetClaim(ctx, cl.ID)
		if got.Orphaned || got.Exact != "the border crossings" || got.Start != s || got.End != en {
			t.Errorf("placed = %+v orphaned %v", got.Anchor, got.Orphaned)
		}
		_, page := c.get(docPath + "?placed=" + strconv.FormatInt(cl.ID, 10))
		mustContain(t, page, "Claim "+strconv.FormatInt(cl.ID, 10)+" placed at the selected words.", `data-claim="`+strconv.FormatInt(cl.ID, 10)+`"`)
		// Detection's proposal of the edited sentence lost its figure, so it
		// may still be listed; the placed claim must not be.
		if strings.Contains(page, `id="orphan-`+strconv.FormatInt(cl.ID, 10)+`"`) {
			t.Error("the placed claim is still listed as lost")
		}
		// The claim's history says it was placed again.
		_, page = c.get("/desk/claims/" + strconv.FormatInt(cl.ID, 10))
		mustContain(t, page, "claim re-placed")
	})
	t.Run("StaleClaimVersion", func(t *testing.T) {
		res, page := c.post(docPath+"/place", place(cl.ID, cl.Version, d.Version, s, en))
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale claim version = %d, want 409", res.StatusCode)
		}
		// The claim is placed now: no form for it, the message shows on the page.
		mustContain(t, page, `id="place-error"`, "changed by someone else")
	})
}

// anchorSetup is a document whose body edit orphaned the claim on
// "unemployment fell by 4 per cent"; edited is the body after the edit.
func anchorSetup(t *testing.T, env *servertest.Env) (*models.Document, *models.Claim, string) {
	t.Helper()
	const quote = "unemployment fell by 4 per cent"
	return storetest.Orphaned(t, env.DB, body, quote, quote, "joblessness dropped a little", env.Editor)
}

func TestAnchorPlacesOrphanedClaim(t *testing.T) {
	env := servertest.New(t)
	ed := env.SignedIn(env.Editor)
	d, c, edited := anchorSetup(t, env)
	start, end := span(t, edited, "joblessness dropped a little")
	path := fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID)

	r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version, "document_version": d.Version})
	want(t, r, 200, "place")
	got := object(t, r)
	if got["exact"] != "joblessness dropped a little" || got["orphaned"] != false || got["start"] != float64(start) || got["end"] != float64(end) ||
		got["version"] != float64(c.Version+1) || !strings.HasSuffix(got["prefix"].(string), "He added that ") {
		t.Errorf("placed claim = %v", got)
	}
	if etag := r.Header.Get("ETag"); !strings.HasPrefix(etag, fmt.Sprintf(`"v%d-`, c.Version+1)) {
		t.Errorf("ETag = %q", etag)
	}
	revs := object(t, ed.Do("GET", path[:strings.LastIndex(path, "/")]+"/revisions", nil))
	first := revs["revisions"].([]any)[0].(map[string]any)
	if first["action"] != "place" || first["summary"] != "claim re-placed" {
		t.Errorf("latest revision = %v", first)
	}

	// The reader's document marks it again where it now stands.
	doc := object(t, env.Anonymous().Do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil))
	if claims, _ := doc["claims"].([]any); len(claims) != 1 || claims[0].(map[string]any)["exact"] != "joblessness dropped a little" {
		t.Errorf("public document claims = %v", doc["claims"])
	}

	t.Run("IfMatch", func(t *testing.T) {
		s, e := span(t, edited, "joblessness")
		r := ed.Do("PUT", path, map[string]any{"start": s, "end": e}, "If-Match", r.Header.Get("ETag"))
		want(t, r, 200, "place with If-Match")
		if got := object(t, r); got["exact"] != "joblessness" {
			t.Errorf("exact = %v", got["exact"])
		}
	})
}

func TestAnchorRefusals(t *testing.T) {
	env := servertest.New(t)
	ed := env.NewToken(servertest.EditorEmail, "anchor tests")
	d, c, edited := anchorSetup(t, env)
	path := fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID)
	start, end := span(t, edited, "joblessness")

	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"NoStart", map[string]any{"end": end, "version": c.Version}, "start"},
		{"NoEnd", map[string]any{"start": start, "version": c.Version}, "end"},
		{"NoVersion", map[string]any{"start": start, "end": end}, "version"},
		{"Empty", map[string]any{"start": start, "end": start, "version": c.Version}, "end"},
		{"Reversed", map[string]any{"start": end, "end": start, "version": c.Version}, "end"},
		{"PastEnd", map[string]any{"start": start, "end": 100000, "version": c.Version}, "end"},
		{"Negative", map[string]any{"start": -3, "end": end, "version": c.Version}, "start"},
		{"NotANumber", map[string]any{"start": "5", "end": end, "version": c.Version}, "start"},
		{"UnknownField", map[string]any{"start": start, "end": end, "version": c.Version, "exact": "x"}, "exact"},
		{"BadDocumentVersion", map[string]any{"start": start, "end": end, "version": c.Version, "document_version": 0}, "document_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ed.Do("PUT", path, tc.body)
			want(t, r, 400, tc.name)
			if _, ok := r.ErrorFields()[tc.field]; !ok {
				t.Errorf("fields = %v, want %s named", r.ErrorFields(), tc.field)
			}
		})
	}
	t.Run("StaleVersion", func(t *testing.T) {
		r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version - 1})
		want(t, r, 409, "stale version")
		cur := object(t, r)["current"].(map[string]any)
		if cur["version"] != float64(c.Version) || cur["orphaned"] != true {
			t.Errorf("current = %v", cur)
		}
	})
	t.Run("DocumentEditedSince", func(t *testing.T) {
		r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version, "document_version": d.Version - 1})
		want(t, r, 409, "old document version")
		cur := object(t, r)["current"].(map[string]any)
		if cur["version"] != float64(d.Version) || cur["body"] != edited {
			t.Errorf("current = %v, want the document", cur)
		}
	})
	t.Run("FreeStanding", func(t *testing.T) {
		free := &models.Claim{Text: "Unemployment fell to 4 percent.", Kind: models.KindStatistic}
		if err := env.DB.CreateClaim(context.Background(), free, env.Editor); err != nil {
			t.Fatal(err)
		}
		r := ed.Do("PUT", fmt.Sprintf("/api/v1/claims/%d/anchor", free.ID), map[string]any{"start": 0, "end": 3, "version": free.Version})
		want(t, r, 400, "free-standing claim")
	})
	t.Run("NotFound", func(t *testing.T) {
		want(t, ed.Do("PUT", "/api/v1/claims/0/anchor", map[string]any{"start": 0, "end": 3, "version": 1}), 404, "claim 0")
	})
	t.Run("CookieNeedsCSRF", func(t *testing.T) {
		r := env.SignedIn(env.Editor).Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version}, "X-CSRF-Token", "")
		want(t, r, 403, "no CSRF token")
	})
	if got, _ := env.DB.GetClaim(context.Background(), c.ID); !got.Orphaned || got.Version != c.Version {
		t.Errorf("a refused placement wrote: %+v", got)
	}
}
