package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

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
