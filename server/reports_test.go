package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
	"factdesk/store"
)

func reportCount(t *testing.T, db *store.DB) int {
	t.Helper()
	rs, err := db.ListReports(context.Background(), store.ReportFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func notificationCount(t *testing.T, db *store.DB, u *models.User) int {
	t.Helper()
	ns, err := db.ListNotifications(context.Background(), store.NotificationFilter{UserID: u.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(ns)
}

// postReader posts a reader's form, with headers in pairs.
func postReader(t *testing.T, base, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res, readBody(t, res)
}

// TestReportSpamGuards: every refusal answers 4xx with a message that says
// nothing was kept, gives the reader's text back, and stores nothing: no
// report, no notification.
func TestReportSpamGuards(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{Config: func(c *server.Config) { c.ReportsPerHour = -1 }})
	f := &fixture{t: t, env: env, as: env.Editor}
	published := f.claim(models.StatusPublished)
	inReview := f.claim(models.StatusInReview)
	good := func() url.Values {
		return url.Values{"body": {"The unemployment figure is from 2019, not 2023."}, "link": {"https://stats.example/2023"}, "email": {"reader@example.org"}, "website": {""}}
	}
	with := func(k, v string) url.Values { f := good(); f.Set(k, v); return f }
	errorPath := fmt.Sprintf("/claims/%d/report", published.ID)
	cases := []struct {
		name    string
		path    string
		form    url.Values
		headers []string
		status  int
		message string
	}{
		{"honeypot", errorPath, with("website", "http://spam.example"), nil, 400, "a field that must stay empty"},
		{"honeypot on suggestions", "/suggest", with("website", "cheap pills"), nil, 400, "a field that must stay empty"},
		{"cross-site", errorPath, good(), []string{"Sec-Fetch-Site", "cross-site"}, 403, "not sent from this site"},
		{"empty", errorPath, with("body", "   "), nil, 400, "please correct the fields"},
		{"bad email", "/suggest", with("email", "not an address"), nil, 400, "is not an email address"},
		{"bad link", errorPath, with("link", "javascript:alert(1)"), nil, 400, "must be a web address"},
		{"verdict not published", fmt.Sprintf("/claims/%d/report", inReview.ID), good(), nil, 404, "no public page"},
		{"no such claim", "/claims/999999/report", good(), nil, 404, "no public page"},
	}
	before := notificationCount(t, env.DB, env.Editor)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, page := postReader(t, env.URL, tc.path, tc.form, tc.headers...)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, page)
			}
			if !strings.Contains(page, tc.message) {
				t.Errorf("page lacks %q", tc.message)
			}
			if tc.status != 404 {
				mustContain(t, page, "Nothing was stored", "role=\"alert\"")
				if !strings.Contains(page, "stats.example") && tc.form.Get("link") == "https://stats.example/2023" {
					t.Errorf("the reader's text is not given back")
				}
			}
			if n := reportCount(t, env.DB); n != 0 {
				t.Errorf("%d reports stored, want none", n)
			}
			if n := notificationCount(t, env.DB, env.Editor); n != before {
				t.Errorf("notifications went from %d to %d", before, n)
			}
		})
	}
	t.Run("accepted", func(t *testing.T) {
		res, _ := postReader(t, env.URL, errorPath, good())
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reports/thanks?kind=error&reply=1" {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if n := reportCount(t, env.DB); n != 1 {
			t.Fatalf("%d reports", n)
		}
		if n := notificationCount(t, env.DB, env.Editor); n != before+1 {
			t.Errorf("the verdict's editor has %d notifications, want %d", n, before+1)
		}
	})
}

// TestReportRateLimit: an address past its reports per hour is refused
// with 429, Retry-After and a message, and nothing is stored; another
// address still gets through.
func TestReportRateLimit(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{TrustedProxies: []string{"127.0.0.1"}, Config: func(c *server.Config) { c.ReportsPerHour = 2 }})
	form := url.Values{"body": {"Check the claim that 23,000 fighters are in the country."}}
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	for i := range 2 {
		if res, page := postReader(t, env.URL, "/suggest", form, from("203.0.113.7")...); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("report %d: %d %s", i+1, res.StatusCode, page)
		}
	}
	res, page := postReader(t, env.URL, "/suggest", form, from("203.0.113.7")...)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third report: %d, want 429", res.StatusCode)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	mustContain(t, page, "too many reports came from your address", "Nothing was stored", "Please try again in", "23,000 fighters")
	if n := reportCount(t, env.DB); n != 2 {
		t.Errorf("%d reports stored, want 2", n)
	}
	if res, _ := postReader(t, env.URL, "/suggest", form, from("198.51.100.9")...); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: %d", res.StatusCode)
	}
}
