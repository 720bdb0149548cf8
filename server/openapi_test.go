package server_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"factdesk/api"
	"factdesk/server/servertest"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	if _, err := api.OpenAPI(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPICoversEveryRoute: every route of the engine under /api/v1 is
// in the document and every operation of the document is a route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	env := servertest.New(t)
	engine, ok := env.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("api.New returned %T, not a gin engine", env.Handler)
	}
	routes := map[string]bool{}
	for _, r := range engine.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			routes[r.Method+" "+ginToOpenAPI(r.Path)] = true
		}
	}
	documented := map[string]bool{}
	for path, item := range env.OpenAPI().Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for _, k := range sorted(routes) {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.yaml", k)
		}
	}
	for _, k := range sorted(documented) {
		if !routes[k] {
			t.Errorf("openapi.yaml documents %s, which is not a route", k)
		}
	}
	if len(routes) < 25 {
		t.Errorf("only %d API routes", len(routes))
	}
}

func ginToOpenAPI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIValidationCatchesDrift makes sure the validation every client
// does can fail: a response that breaks the document is refused.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	env := servertest.New(t)
	h := http.Header{"Content-Type": {"application/json"}}
	req := httptest.NewRequest("GET", env.URL+"/api/v1/me", nil)
	cases := []struct {
		name   string
		status int
		body   string
	}{
		{"unknown field", 200, `{"user": {"id": 1, "email": "a@b.c", "name": "A", "role": "editor", "disabled": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z", "password_hash": "x"}}`},
		{"unknown role", 200, `{"user": {"id": 1, "email": "a@b.c", "name": "A", "role": "owner", "disabled": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}}`},
		{"undocumented status", 418, `{"error": {"code": "invalid", "message": "x", "fields": {}}}`},
		{"error without fields", 401, `{"error": {"code": "unauthorized", "message": "x"}}`},
	}
	for _, c := range cases {
		if err := env.CheckResponse(req, c.status, h, []byte(c.body)); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	ok := `{"user": {"id": 1, "email": "a@b.c", "name": "A", "role": "editor", "disabled": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}}`
	if err := env.CheckResponse(req, 200, h, []byte(ok)); err != nil {
		t.Errorf("a valid response refused: %v", err)
	}
}
