package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store"
	"factdesk/store/storetest"
)

// deskEnv is a real server on a temporary SQLite database with an admin and
// two editors (servertest.New), seen from the desk.
type deskEnv struct {
	*servertest.Env
	db              *store.DB
	admin, ed1, ed2 *models.User
}

func newDeskEnv(t *testing.T) *deskEnv {
	t.Helper()
	e := servertest.New(t)
	return &deskEnv{Env: e, db: e.DB, admin: e.Admin, ed1: e.Editor, ed2: e.Editor2}
}

// deskClient is a browser-like client that does not follow redirects, so
// tests see each POST-redirect-GET step.
type deskClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func (e *deskEnv) anonymous(t *testing.T) *deskClient {
	jar, _ := cookiejar.New(nil)
	return &deskClient{t: t, base: e.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn returns a client signed in as u.
func (e *deskEnv) signIn(t *testing.T, u *models.User) *deskClient {
	t.Helper()
	c := e.anonymous(t)
	res, _ := c.signInForm(url.Values{"email": {u.Email}, "password": {storetest.Password}, "next": {"/desk"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk" {
		t.Fatalf("sign in as %s: %d %s", u.Email, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

func (c *deskClient) get(path string) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, readBody(c.t, res)
}

func (c *deskClient) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, readBody(c.t, res)
}

// signInForm opens the sign-in page, as a browser would, and posts form
// to it with the page's CSRF token.
func (c *deskClient) signInForm(form url.Values) (*http.Response, string) {
	c.t.Helper()
	_, page := c.get("/desk/login")
	token := inputValue(page, "csrf_token")
	if token == "" {
		c.t.Fatal("no CSRF token on the sign-in page")
	}
	f := url.Values{"csrf_token": {token}}
	for k, v := range form {
		f[k] = v
	}
	return c.post("/desk/login", f)
}

// csrf is the session's token, as the pages put it in their forms.
func (c *deskClient) csrf() string {
	c.t.Helper()
	_, page := c.get("/desk")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		c.t.Fatal("no CSRF token on the dashboard")
	}
	return m[1]
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inputValue is the value of the named input of a page.
func inputValue(page, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

func mustContain(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func countDocuments(t *testing.T, db *store.DB) int64 {
	t.Helper()
	n, err := db.CountDocuments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func storeDoc(t *testing.T, e *deskEnv) *models.Document {
	return storetest.Document(t, e.db, "Officials said 23,000 fighters crossed the “naïve” border last year.", e.ed1)
}

func storeClaim(t *testing.T, e *deskEnv, d *models.Document) *models.Claim {
	return storetest.Claim(t, e.db, d, 15, 38, e.ed1)
}

func storeRevisionsOf(claimID int64) store.RevisionFilter {
	return store.RevisionFilter{ClaimID: claimID}
}

func storeDocs() store.DocumentFilter { return store.DocumentFilter{Limit: 50} }
