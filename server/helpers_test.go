package server_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// body is a test document with non-ASCII text before the claims, so code
// point and byte offsets differ.
const body = "In a naïve reading of the “peace process”, nothing changed. " +
	"The minister said 23,000 terrorists were operating inside the country in 2024. " +
	"He added that unemployment fell by 4 per cent last year. " +
	"Critics called the figures “invented” and asked for the data."

// span returns the code-point span of the first quote of part in s.
func span(t testing.TB, s, part string) (int, int) {
	t.Helper()
	i := strings.Index(s, part)
	if i < 0 {
		t.Fatalf("%q not in body", part)
	}
	start := len([]rune(s[:i]))
	return start, start + len([]rune(part))
}

// object decodes a JSON object response.
func object(t testing.TB, r *servertest.Response) map[string]any {
	t.Helper()
	var m map[string]any
	r.Decode(t, &m)
	return m
}

func id(t testing.TB, m map[string]any) int64 {
	t.Helper()
	v, ok := m["id"].(float64)
	if !ok {
		t.Fatalf("no id in %v", m)
	}
	return int64(v)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// want fails the test unless r has the status.
func want(t testing.TB, r *servertest.Response, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// cookieValue is the session token a response set.
func cookieValue(t testing.TB, r *servertest.Response) string {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "factdesk_session" && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("no session cookie in %v", r.Header)
	return ""
}

// withCookie is a client of env sending a given session token.
func withCookie(t testing.TB, env *servertest.Env, token string) *servertest.Client {
	c := env.Anonymous()
	c.HTTP.Jar.SetCookies(mustURL(t, env.URL), []*http.Cookie{{Name: "factdesk_session", Value: token, Path: "/"}})
	return c
}

// transition takes a workflow step on the claim as it stands now, naming
// its current version as the desk's forms do.
func transition(t testing.TB, c *servertest.Client, cid string, body map[string]any) *servertest.Response {
	t.Helper()
	r := c.Do("GET", "/api/v1/claims/"+cid, nil)
	want(t, r, http.StatusOK, "read the claim before "+fmt.Sprint(body["action"]))
	with := map[string]any{"version": object(t, r)["version"]}
	for k, v := range body {
		with[k] = v
	}
	return c.Do("POST", "/api/v1/claims/"+cid+"/transitions", with)
}

// submitAndApprove takes claim id, in research, to a published verdict: ed
// submits rating with the explanation why, rev approves.
func submitAndApprove(t testing.TB, db *store.DB, id int64, rating models.Rating, why string, ed, rev *models.User) {
	t.Helper()
	for _, step := range []struct {
		in models.TransitionInput
		by *models.User
	}{
		{models.TransitionInput{Action: models.ActionSubmit, Rating: &rating, Explanation: &why}, ed},
		{models.TransitionInput{Action: models.ActionApprove}, rev},
	} {
		if _, err := storetest.Transition(context.Background(), db, id, step.in, step.by); err != nil {
			t.Fatalf("%s: %v", step.in.Action, err)
		}
	}
}

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
