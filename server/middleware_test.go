package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

func TestRequestIDs(t *testing.T) {
	env := servertest.New(t)
	c := env.Anonymous()
	r := c.Do("GET", "/api/v1/claims", nil)
	generated := r.Header.Get("X-Request-ID")
	if len(generated) < 16 {
		t.Errorf("X-Request-ID %q", generated)
	}
	r = c.Do("GET", "/api/v1/claims", nil, "X-Request-ID", "lb-1234.abcd")
	if got := r.Header.Get("X-Request-ID"); got != "lb-1234.abcd" {
		t.Errorf("a proxy's request ID came back as %q", got)
	}
	r = c.Do("GET", "/api/v1/claims", nil, "X-Request-ID", "bad id\" with <junk>")
	if got := r.Header.Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " \"<") {
		t.Errorf("an unsafe request ID was kept: %q", got)
	}
	if !strings.Contains(env.Logs(), `"request_id":"lb-1234.abcd"`) {
		t.Error("the request ID is not in the access log")
	}
}

// TestAccessLogHoldsNoSecrets signs in, uses a token and a session, and
// reads the log: the route, status and duration are there; no password,
// cookie, token or CSRF token is.
func TestAccessLogHoldsNoSecrets(t *testing.T) {
	env := servertest.New(t)
	r := env.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": storetest.Password})
	want(t, r, 200, "login")
	session := cookieValue(t, r)
	ed := env.Login(servertest.EditorEmail)
	tok := env.NewToken(servertest.EditorEmail, "logs")
	want(t, tok.Do("GET", "/api/v1/claims?q=secret", nil), 200, "token read")
	env.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"email": servertest.EditorEmail, "password": "a wrong secret password"})
	logs := env.Logs()
	for _, secret := range []string{storetest.Password, "a wrong secret password", session, ed.CSRF, tok.Token, "q=secret"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		if strings.Contains(l, `"route":"/api/v1/claims"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, k := range []string{"method", "route", "status", "duration_ms", "request_id"} {
		if _, ok := line[k]; !ok {
			t.Errorf("access log line %v has no %s", line, k)
		}
	}
}

// TestPanicIsACleanError: a handler that panics gives a 500 naming the
// request ID, and nothing of the panic; the server goes on.
func TestPanicIsACleanError(t *testing.T) {
	env := servertest.New(t)
	engine := env.Handler.(*gin.Engine)
	engine.GET("/api/v1/test-panic", func(*gin.Context) { panic("database password is hunter2") })
	engine.GET("/test-panic", func(*gin.Context) { panic("database password is hunter2") })
	for _, path := range []string{"/api/v1/test-panic", "/test-panic"} {
		resp, err := http.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-ID")
		if resp.StatusCode != 500 || strings.Contains(string(b), "hunter2") || !strings.Contains(string(b), id) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	if !strings.Contains(env.Logs(), "hunter2") {
		t.Error("the panic is not logged for the operators")
	}
	want(t, env.Anonymous().Do("GET", "/api/v1/claims", nil), 200, "after a panic")
}

// TestDocumentOfTwoMegabytesFits: the body limit leaves room for the
// largest document a newsroom may import, and no more.
func TestDocumentOfTwoMegabytesFits(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	// Plain prose without figures, so detection proposes next to nothing:
	// this measures the limit, not the detector.
	line := "the quiet “river” flows on and on past the naïve old mill\n"
	text := strings.Repeat(line, (2<<20)/len(line))
	r := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "Long", "body": text})
	want(t, r, 201, "a document of nearly 2 MB")
	want(t, ed.Do("POST", "/api/v1/claims", map[string]any{"text": strings.Repeat("x", 1<<20)}), 413, "a claim of 1 MB")
}

func TestETagsAndConditionalRequests(t *testing.T) {
	env := servertest.New(t)
	ed := env.Login(servertest.EditorEmail)
	r := ed.Do("POST", "/api/v1/documents", map[string]any{"title": "ETags", "body": body})
	want(t, r, 201, "document")
	doc := itoa(id(t, object(t, r)))
	s, e := span(t, body, "unemployment fell by 4 per cent")
	r = ed.Do("POST", "/api/v1/claims", map[string]any{"document_id": id(t, object(t, r)), "start": s, "end": e})
	want(t, r, 201, "claim")
	claim := "/api/v1/claims/" + itoa(id(t, object(t, r)))

	for _, path := range []string{claim, "/api/v1/documents/" + doc} {
		r = ed.Do("GET", path, nil)
		etag := r.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"v1-`) {
			t.Fatalf("%s: ETag %q", path, etag)
		}
		r = ed.Do("GET", path, nil, "If-None-Match", etag)
		want(t, r, 304, path+" unchanged")
		if len(r.Body) != 0 || r.Header.Get("ETag") != etag {
			t.Errorf("304 with body %q, ETag %q", r.Body, r.Header.Get("ETag"))
		}
		want(t, ed.Do("GET", path, nil, "If-None-Match", `"v0-0", W/`+etag), 304, path+" weak match in a list")
		// Readers get another representation, so another ETag.
		if r := env.Anonymous().Do("GET", path, nil, "If-None-Match", etag); r.Status != 200 {
			t.Errorf("%s: a reader got %d for the editor's ETag", path, r.Status)
		}
	}

	// The ETag goes back in If-Match; once used it is stale.
	etag := ed.Do("GET", claim, nil).Header.Get("ETag")
	r = ed.Do("PATCH", claim, map[string]any{"claimant": "The minister"}, "If-Match", etag)
	want(t, r, 200, "PATCH with If-Match")
	newTag := r.Header.Get("ETag")
	if newTag == etag || !strings.HasPrefix(newTag, `"v2-`) {
		t.Errorf("ETag after PATCH %q", newTag)
	}
	r = ed.Do("PATCH", claim, map[string]any{"claimant": "Someone else"}, "If-Match", etag)
	want(t, r, 409, "PATCH with a stale If-Match")
	var conflict struct {
		Current struct {
			Claimant string `json:"claimant"`
			Version  int    `json:"version"`
		} `json:"current"`
	}
	r.Decode(t, &conflict)
	if conflict.Current.Claimant != "The minister" || conflict.Current.Version != 2 {
		t.Errorf("conflict shows %+v", conflict.Current)
	}
	// Evidence changes what the claim shows, so its ETag, though not its version.
	ed.Do("GET", claim, nil, "If-None-Match", newTag)
	want(t, ed.Do("POST", claim+"/evidence", map[string]any{"source": map[string]any{"title": "New report"}, "stance": "context"}), 201, "evidence")
	want(t, ed.Do("GET", claim, nil, "If-None-Match", newTag), 200, "GET after new evidence")
}

func TestUnknownAPIPathIsAJSONError(t *testing.T) {
	env := servertest.New(t)
	r := env.Anonymous().Do("GET", "/api/v1/nothing-here", nil)
	want(t, r, 404, "unknown path")
	if r.ErrorCode() != "not_found" {
		t.Errorf("body %s", r.Body)
	}
	want(t, env.Anonymous().Do("GET", "/api/v1/claims/999999", nil), 404, "unknown claim")
}

// TestLogsHoldNoSecrets runs a whole editorial day through a real server
// with a logger at debug level, then searches every log line for the
// passwords, session cookies, CSRF tokens and API tokens that went by:
// none may appear. Every request's line carries its request ID.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := servertest.New(t)
	const (
		passA    = "alpha password for the admin 1"
		passB    = "bravo password for the reviewer 2"
		passNew  = "charlie password for a new user 3"
		passNew2 = "delta password after a change 4"
		wrong    = "echo wrong password guessed 5"
		bogus    = "fdk_bogus_token_that_is_not_real_6"
	)
	ctx := context.Background()
	a := &models.User{Email: "a@secrets.test", Name: "A", Role: models.RoleAdmin}
	b := &models.User{Email: "b@secrets.test", Name: "B", Role: models.RoleEditor}
	if err := e.DB.CreateUser(ctx, a, passA); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.CreateUser(ctx, b, passB); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"password A": passA, "password B": passB, "new user's password": passNew,
		"changed password": passNew2, "wrong password": wrong, "bogus token": bogus}

	call := func(c *servertest.Client, method, path string, body any) (int, map[string]any) {
		t.Helper()
		r := c.Do(method, path, body)
		var out map[string]any
		json.Unmarshal(r.Body, &out)
		if r.Status >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r.Status, out
	}
	login := func(email, password, name string) *servertest.Client {
		t.Helper()
		s := e.Anonymous()
		st, out := call(s, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
		if st != http.StatusOK {
			t.Fatalf("login %s: %d %v", email, st, out)
		}
		s.CSRF, _ = out["csrf_token"].(string)
		if s.CSRF == "" {
			t.Fatalf("login gave no csrf_token: %v", out)
		}
		secrets[name+" CSRF token"] = s.CSRF
		for _, ck := range s.HTTP.Jar.Cookies(mustURL(t, e.URL)) {
			secrets[name+" cookie "+ck.Name] = ck.Value
		}
		return s
	}
	expect := func(what string, st, want int, out map[string]any) {
		t.Helper()
		if st != want {
			t.Fatalf("%s: %d, want %d: %v", what, st, want, out)
		}
	}

	if st, _ := call(e.Anonymous(), "POST", "/api/v1/auth/login", map[string]string{"email": a.Email, "password": wrong}); st != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", st)
	}
	sa := login(a.Email, passA, "A")
	st, out := call(sa, "POST", "/api/v1/tokens", map[string]string{"name": "CMS"})
	expect("create token", st, http.StatusCreated, out)
	token, _ := out["token"].(string)
	if token == "" {
		t.Fatalf("no token in %v", out)
	}
	secrets["API token"] = token

	body := "The minister said 23,000 fighters were inside the country in 2024."
	st, out = call(e.WithToken(token), "POST", "/api/v1/documents", map[string]any{"title": "Speech", "body": body})
	expect("create document", st, http.StatusCreated, out)
	docID := int64(out["id"].(float64))
	st, out = call(e.WithToken(token), "POST", "/api/v1/claims", map[string]any{"document_id": docID, "start": 18, "end": 43})
	expect("create claim", st, http.StatusCreated, out)
	claimID := int64(out["id"].(float64))
	path := fmt.Sprintf("/api/v1/claims/%d", claimID)
	st, out = call(e.WithToken(token), "PATCH", path, map[string]any{"version": 1, "claimant": "The minister"})
	expect("edit claim", st, http.StatusOK, out)
	for _, tr := range []map[string]any{{"action": "start"}, {"action": "submit", "rating": "false", "explanation": "No count supports it."}} {
		tr["version"] = out["version"]
		st, out = call(sa, "POST", path+"/transitions", tr)
		expect(fmt.Sprint(tr["action"]), st, http.StatusOK, out)
	}
	sb := login(b.Email, passB, "B")
	st, out = call(sb, "POST", path+"/transitions", map[string]any{"action": "approve", "version": out["version"]})
	expect("approve", st, http.StatusOK, out)
	st, out = call(sb, "POST", path+"/transitions", map[string]any{"action": "correct", "note": "Year fixed.", "rating": "mostly_false", "explanation": "Fewer.", "version": out["version"]})
	expect("correct", st, http.StatusOK, out)
	// A CSRF-less write with the cookie is refused, and logged as refused.
	noCSRF := *sb
	noCSRF.CSRF = ""
	st, _ = call(&noCSRF, "PATCH", path, map[string]any{"version": 1, "claimant": "x"})
	expect("write without CSRF", st, http.StatusForbidden, nil)

	st, out = call(sa, "POST", "/api/v1/users", map[string]any{"email": "c@secrets.test", "name": "C", "role": "editor", "password": passNew})
	expect("create user", st, http.StatusCreated, out)
	newID := int64(out["id"].(float64))
	st, out = call(sa, "PATCH", fmt.Sprintf("/api/v1/users/%d", newID), map[string]any{"password": passNew2})
	expect("change password", st, http.StatusOK, out)
	login("c@secrets.test", passNew2, "C")

	st, _ = call(e.WithToken(bogus), "GET", "/api/v1/me", nil)
	expect("bogus token", st, http.StatusUnauthorized, nil)
	for _, p := range []string{fmt.Sprintf("/claims/%d", claimID), fmt.Sprintf("/documents/%d", docID), "/desk", "/search?q=" + url.QueryEscape(passA)} {
		call(sa, "GET", p, nil)
	}
	call(sa, "POST", "/api/v1/auth/logout", nil)
	call(sb, "POST", "/api/v1/auth/logout", nil)

	t.Logf("%d secrets searched for in the logs", len(secrets))
	text := e.Logs()
	if strings.Count(text, "\n") < 20 {
		t.Fatalf("only %d log lines: the run was not logged", strings.Count(text, "\n"))
	}
	for name, secret := range secrets {
		if secret == "" {
			continue
		}
		if strings.Contains(text, secret) {
			t.Errorf("the logs hold the %s", name)
		}
		// Also a recognisable part, in case a line cuts or quotes it.
		if len(secret) > 16 && strings.Contains(text, secret[:16]) {
			t.Errorf("the logs hold the start of the %s", name)
		}
	}
	// Every request line names its request: a reader's bug report or a 500
	// leads to the line.
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if _, ok := m["route"]; ok {
			if id, _ := m["request_id"].(string); id == "" {
				t.Errorf("request line without request_id: %s", line)
			}
		}
	}
}
