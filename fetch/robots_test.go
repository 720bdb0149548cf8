package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParseRobots(t *testing.T) {
	const txt = `# a newsroom's robots.txt
User-agent: *
Disallow: /private
Allow: /private/press$

User-agent: OtherBot
User-agent: factdesk
Disallow: /drafts/
Disallow: /*.pdf$
Allow: /drafts/public
`
	mine := parseRobots([]byte(txt), productToken)
	star := parseRobots([]byte(txt), "somebot")
	for _, tc := range []struct {
		rules robotsRules
		path  string
		want  bool
	}{
		{mine, "/", true},
		{mine, "/private", true}, // Factdesk's own group replaces "*"
		{mine, "/drafts/x", false},
		{mine, "/drafts/public/a", true},
		{mine, "/report.pdf", false},
		{mine, "/report.pdf?x=1", true},
		{star, "/private/a", false},
		{star, "/private/press", true},
		{star, "/private/press/2", false},
		{star, "/drafts/x", true},
		{robotsRules{}, "/anything", true},
		{robotsRules{disallowAll: true}, "/", false},
	} {
		if got := tc.rules.allows(tc.path); got != tc.want {
			t.Errorf("%+v allows %q = %v, want %v", tc.rules, tc.path, got, tc.want)
		}
	}
}

func TestRobots(t *testing.T) {
	for _, tc := range []struct {
		name   string
		robots func(w http.ResponseWriter)
		path   string
		want   Reason
	}{
		{"disallowed", func(w http.ResponseWriter) { io.WriteString(w, "User-agent: factdesk\nDisallow: /private\n") }, "/private/x", ReasonRobots},
		{"allowed", func(w http.ResponseWriter) { io.WriteString(w, "User-agent: factdesk\nDisallow: /private\n") }, "/public", ""},
		{"no robots.txt", func(w http.ResponseWriter) { http.NotFound(w, nil) }, "/private", ""},
		{"a failing site", func(w http.ResponseWriter) { http.Error(w, "down", http.StatusServiceUnavailable) }, "/public", ReasonRobots},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					tc.robots(w)
					return
				}
				io.WriteString(w, "page")
			}))
			defer srv.Close()
			f := New(Config{Allow: loopback, Robots: true})
			_, err := f.Get(context.Background(), srv.URL+tc.path)
			if !failedAs(t, err, tc.want) {
				return
			}
			// Without the flag the same page is fetched.
			if _, err := New(Config{Allow: loopback}).Get(context.Background(), srv.URL+tc.path); err != nil {
				t.Fatalf("without robots: %v", err)
			}
		})
	}
}
