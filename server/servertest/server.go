// Package servertest starts the real Factdesk server for tests in one line: an
// httptest server over server.New on a fresh database (storetest.Open), with an
// admin and two editors, clients that sign in, and every response of the
// JSON API validated against its OpenAPI document.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"factdesk/api"
	"factdesk/jobs"
	"factdesk/models"
	"factdesk/server"
	"factdesk/store"
	"factdesk/store/storetest"
)

// Emails of the users every Env has; their password is storetest.Password.
const (
	AdminEmail   = "admin@example.org"
	EditorEmail  = "editor@example.org"
	Editor2Email = "editor2@example.org"
)

// Env is a running server and what a test needs around it.
type Env struct {
	T       testing.TB
	DB      *store.DB
	Handler http.Handler
	Server  *httptest.Server
	URL     string // the server's root, without a trailing slash

	Admin, Editor, Editor2 *models.User
	// Jobs is the server's job queue: it enqueues and reads, and runs
	// nothing unless Options.Config gives the server a running one.
	Jobs *jobs.Queue

	logs      *lockedBuffer
	anonMu    sync.Mutex
	anonBody  []string // every /api/v1 body sent to an anonymous client
	openAPI   *openapi3.T
	router    routers.Router
	validated atomic.Int64
}

// Options change how New builds the server.
type Options struct {
	// DB, when set, is used instead of a fresh database (and no users are
	// made): two Envs on one DB are two replicas.
	DB *store.DB
	// BaseURL is passed to server.Config.
	BaseURL string
	// Config, when set, changes the server.Config before the server starts.
	Config func(*server.Config)
	// TrustedProxies and LoginLimits are passed to server.Config: trust
	// 127.0.0.1 and a test can send X-Forwarded-For to sign in from many
	// addresses.
	TrustedProxies []string
	LoginLimits    models.SignInLimits
}

// New starts a server on a fresh database with an admin and two editors.
func New(t testing.TB) *Env { return NewWith(t, Options{}) }

// NewWith starts a server as opts say.
func NewWith(t testing.TB, opts Options) *Env {
	t.Helper()
	e := &Env{T: t, DB: opts.DB, logs: &lockedBuffer{}}
	if e.DB == nil {
		e.DB = storetest.Open(t)
		e.Admin = storetest.User(t, e.DB, AdminEmail, models.RoleAdmin)
		e.Editor = storetest.User(t, e.DB, EditorEmail, models.RoleEditor)
		e.Editor2 = storetest.User(t, e.DB, Editor2Email, models.RoleEditor)
	}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := server.Config{DB: e.DB, Logger: logger, BaseURL: opts.BaseURL, OrgName: "Test Desk",
		TrustedProxies: opts.TrustedProxies, LoginLimits: opts.LoginLimits}
	q, err := jobs.Open(e.DB, nil, jobs.Config{InsertOnly: true})
	if err != nil {
		t.Fatalf("jobs.Open: %v", err)
	}
	cfg.Jobs = q
	if opts.Config != nil {
		opts.Config(&cfg)
	}
	e.Jobs = cfg.Jobs
	h, err := server.New(cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	e.Handler = h
	if e.openAPI, err = api.OpenAPI(); err != nil {
		t.Fatal(err)
	}
	if e.router, err = legacy.NewRouter(e.openAPI); err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	e.Server = httptest.NewServer(h)
	t.Cleanup(e.Server.Close)
	e.URL = e.Server.URL
	return e
}

// Logs returns what the server logged so far (JSON lines).
func (e *Env) Logs() string { return e.logs.String() }

// Validated is how many responses were checked against the OpenAPI document.
func (e *Env) Validated() int64 { return e.validated.Load() }

// OpenAPI is the parsed OpenAPI document of the server.
func (e *Env) OpenAPI() *openapi3.T { return e.openAPI }

// Client calls the server as one caller: anonymous, a signed-in browser
// (cookie jar and CSRF token) or an integration (API token).
type Client struct {
	env   *Env
	HTTP  *http.Client
	CSRF  string       // the session's CSRF token, sent as X-CSRF-Token on writes
	Token string       // an API token, sent as a Bearer
	User  *models.User // who signed in; nil for anonymous
}

// Anonymous returns a client without credentials.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, HTTP: &http.Client{Jar: jar, Transport: &validating{env: e, base: http.DefaultTransport, jar: jar}}}
}

// SignedIn returns a browser with a new session of u, made in the store
// directly: no password hashing, so a table of hundreds of requests stays fast.
func (e *Env) SignedIn(u *models.User) *Client {
	e.T.Helper()
	token, sess, err := e.DB.CreateSession(context.Background(), u.ID)
	if err != nil {
		e.T.Fatalf("session for %s: %v", u.Email, err)
	}
	c := e.Anonymous()
	root, _ := url.Parse(e.URL)
	c.HTTP.Jar.SetCookies(root, []*http.Cookie{{Name: "factdesk_session", Value: token, Path: "/"}})
	c.CSRF, c.User = sess.CSRFToken, u
	return c
}

// AnonymousBodies returns every /api/v1 response body an anonymous client
// received so far, for checks that nothing private reached a reader.
func (e *Env) AnonymousBodies() []string {
	e.anonMu.Lock()
	defer e.anonMu.Unlock()
	return append([]string(nil), e.anonBody...)
}

// Login signs in as email with storetest.Password and returns the browser.
func (e *Env) Login(email string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": storetest.Password})
	if r.Status != http.StatusOK {
		e.T.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var out struct {
		User      models.User `json:"user"`
		CSRFToken string      `json:"csrf_token"`
	}
	r.Decode(e.T, &out)
	c.CSRF, c.User = out.CSRFToken, &out.User
	return c
}

// WithToken returns a client that authenticates with an API token only.
func (e *Env) WithToken(token string) *Client {
	c := e.Anonymous()
	c.Token = token
	return c
}

// NewToken signs in as email, makes an API token and returns a client using it.
func (e *Env) NewToken(email, name string) *Client {
	e.T.Helper()
	r := e.Login(email).Do("POST", "/api/v1/tokens", map[string]string{"name": name})
	if r.Status != http.StatusCreated {
		e.T.Fatalf("new token for %s: %d %s", email, r.Status, r.Body)
	}
	var out struct {
		Token string `json:"token"`
	}
	r.Decode(e.T, &out)
	c := e.WithToken(out.Token)
	c.User = e.userByEmail(email)
	return c
}

func (e *Env) userByEmail(email string) *models.User {
	for _, u := range []*models.User{e.Admin, e.Editor, e.Editor2} {
		if u != nil && u.Email == email {
			return u
		}
	}
	return nil
}

// Response is a response read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body, failing the test when it is not JSON.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response %q: %v", r.Status, r.Body, err)
	}
}

// ErrorCode is the code of an error body, "" when the body is not one.
func (r *Response) ErrorCode() string { return r.apiError().Code }

// ErrorFields is what the error body says of each field at fault, by name.
func (r *Response) ErrorFields() map[string]string { return r.apiError().Fields }

// apiError is the JSON API's error body.
type apiError struct {
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

// apiError reads the error body; it is empty for any other body.
func (r *Response) apiError() apiError {
	var body struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &body)
	return body.Error
}

// Do sends a request. A body that is a string or []byte is sent as is;
// anything else is encoded as JSON. Headers come in pairs ("If-Match", `"v2"`).
// Writes carry the CSRF token and Content-Type: application/json unless a
// header of the same name is given (an empty value removes it).
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	t := c.env.T
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode request: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.env.URL+path, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.CSRF != "" && method != "GET" && method != "HEAD" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// validating checks every response of /api/v1 against the OpenAPI
// document: the route must be documented, the status listed for it, and
// the body must match its schema.
type validating struct {
	env  *Env
	base http.RoundTripper
	jar  http.CookieJar
}

func hasSession(jar http.CookieJar, req *http.Request) bool {
	if jar == nil {
		return false
	}
	for _, c := range jar.Cookies(req.URL) {
		if c.Name == "factdesk_session" && c.Value != "" {
			return true
		}
	}
	return false
}

func (v *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	signedIn := req.URL.Path == "/api/v1/auth/login" && resp.StatusCode == http.StatusOK // the caller's own account
	if req.Header.Get("Authorization") == "" && !hasSession(v.jar, req) && !signedIn {
		v.env.anonMu.Lock()
		v.env.anonBody = append(v.env.anonBody, string(body))
		v.env.anonMu.Unlock()
	}
	if err := v.check(req, resp, body); err != nil {
		v.env.T.Errorf("OpenAPI: %s %s → %d: %v\nbody: %.500s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	if resp.StatusCode < 300 {
		// The server accepted the request, so the document must accept it too.
		if err := v.checkRequest(req, reqBody); err != nil {
			v.env.T.Errorf("OpenAPI: accepted request %s %s does not fit the document: %v", req.Method, req.URL, err)
		}
	}
	return resp, nil
}

func (v *validating) checkRequest(req *http.Request, body []byte) error {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := v.env.router.FindRoute(r)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	})
}

// CheckResponse validates a response to req against the OpenAPI document,
// as every client of the Env does by itself.
func (e *Env) CheckResponse(req *http.Request, status int, header http.Header, body []byte) error {
	v := &validating{env: e}
	return v.check(req, &http.Response{StatusCode: status, Header: header}, body)
}

func (v *validating) check(req *http.Request, resp *http.Response, body []byte) error {
	route, params, err := v.env.router.FindRoute(req)
	if err != nil {
		// An undocumented path must at least get the documented error shape.
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			return fmt.Errorf("no documented route: %w", err)
		}
		return checkErrorShape(body)
	}
	v.env.validated.Add(1)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(req.Context(), in)
}

func checkErrorShape(body []byte) error {
	var e struct {
		Error *struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		return fmt.Errorf("not the error shape: %s", body)
	}
	return nil
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
