package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"factdesk/models"
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
