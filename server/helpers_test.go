package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
