package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/server"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// TestReadsDuringALongWrite: review finding 2. While another writer holds
// the database's write lock, signed-in reads by session and by token answer
// at once: the "last seen" bookkeeping waits for its flush instead of
// turning the read into a 500 after the busy timeout.
func TestReadsDuringALongWrite(t *testing.T) {
	dsn := storetest.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	ed := storetest.User(t, db, servertest.EditorEmail, models.RoleEditor)
	env := servertest.NewWith(t, servertest.Options{DB: db})
	browser := env.SignedIn(ed)
	cms := env.NewToken(servertest.EditorEmail, "cms")
	// Every session and token is stale enough to be touched.
	db.Now = func() time.Time { return time.Now().UTC().Add(time.Hour) }

	ctx := context.Background()
	release := storetest.HoldWriteLock(t, dsn, "sessions", "api_tokens")
	for _, tt := range []struct {
		name   string
		client *servertest.Client
		path   string
	}{
		{"desk page by session", browser, "/desk"},
		{"API read by session", browser, "/api/v1/me"},
		{"API read by token", cms, "/api/v1/claims"},
	} {
		start := time.Now()
		r := tt.client.Do("GET", tt.path, nil)
		if r.Status != 200 {
			t.Errorf("%s while the write lock is held: %d %.200s", tt.name, r.Status, r.Body)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("%s took %s while the write lock is held", tt.name, el)
		}
	}
	release()
	// Once the lock is gone, the bookkeeping reaches the database.
	if err := db.FlushSeen(ctx); err != nil {
		t.Fatal(err)
	}
	tokens, err := db.ListAPITokens(ctx, ed.ID)
	if err != nil || len(tokens) != 1 || tokens[0].LastUsedAt == nil || time.Until(*tokens[0].LastUsedAt) < 30*time.Minute {
		t.Fatalf("the token's last use was not written: %+v %v", tokens, err)
	}
	var seen int
	if err := storetest.Raw(t, dsn).QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM sessions WHERE user_id = %d AND last_seen > created_at", ed.ID)).Scan(&seen); err != nil || seen == 0 {
		t.Fatalf("no session's last_seen was written: %d %v", seen, err)
	}
}

// TestAnonymousSearchBounds: review finding 3. An anonymous search has a
// word cap, a per-address limit on what the cache cannot answer, and the
// cache answers a repeated query without spending the limit; editors are
// not limited.
func TestAnonymousSearchBounds(t *testing.T) {
	env := servertest.NewWith(t, servertest.Options{Config: func(c *server.Config) { c.SearchPerMinute = 3 }})
	d := storetest.Document(t, env.DB, "The ministry counted 23,000 fighters near the border in 2024.", env.Editor)
	storetest.Claim(t, env.DB, d, 0, 40, env.Editor)
	anon := env.Anonymous()

	tooLong := "/api/v1/search?q=" + url.QueryEscape("one two three four five six seven eight nine")
	if r := anon.Do("GET", tooLong, nil); r.Status != 400 || !strings.Contains(string(r.Body), `"q"`) {
		t.Errorf("nine words: %d %s", r.Status, r.Body)
	}
	if r := anon.Do("GET", "/search?q="+url.QueryEscape("one two three four five six seven eight nine"), nil); r.Status != 400 {
		t.Errorf("nine words on the reader page: %d", r.Status)
	}
	for i, q := range []string{"ministry", "fighters", "border"} {
		if r := anon.Do("GET", "/api/v1/search?q="+q, nil); r.Status != 200 {
			t.Fatalf("search %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := anon.Do("GET", "/api/v1/search?q=counted", nil)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" || r.ErrorCode() != models.ERATELIMITED {
		t.Fatalf("fourth distinct search in a minute: %d %q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if r := anon.Do("GET", "/search?q=counted", nil); r.Status != 429 {
		t.Errorf("the reader's search page past the limit: %d", r.Status)
	}
	// The cache answers what it has, limit or not.
	if r := anon.Do("GET", "/api/v1/search?q=ministry", nil); r.Status != 200 || !strings.Contains(string(r.Body), "ministry") {
		t.Errorf("a cached search past the limit: %d %s", r.Status, r.Body)
	}
	if r := env.SignedIn(env.Editor).Do("GET", "/api/v1/search?q=counted", nil); r.Status != 200 {
		t.Errorf("an editor's search: %d %s", r.Status, r.Body)
	}
}

// TestRequestBudget: a request whose database work outlives its budget is
// stopped and answered 503 with Retry-After, and changes nothing.
func TestRequestBudget(t *testing.T) {
	dsn := storetest.DSN(t)
	db := storetest.OpenDSN(t, dsn)
	ed := storetest.User(t, db, servertest.EditorEmail, models.RoleEditor)
	d := storetest.Document(t, db, "The ministry counted 23,000 fighters near the border in 2024.", ed)
	c := storetest.Claim(t, db, d, 0, 40, ed)
	env := servertest.NewWith(t, servertest.Options{DB: db, Config: func(c *server.Config) { c.RequestTimeout = time.Second }})
	browser := env.SignedIn(ed)

	ctx := context.Background()
	release := storetest.HoldWriteLock(t, dsn, "claims")
	start := time.Now()
	r := browser.Do("PATCH", fmt.Sprintf("/api/v1/claims/%d", c.ID), map[string]any{"version": c.Version, "claimant": "The ministry"})
	el := time.Since(start)
	release()
	if r.Status != 503 || r.ErrorCode() != models.EUNAVAILABLE || r.Header.Get("Retry-After") == "" {
		t.Fatalf("an edit past its budget: %d %q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if el > 5*time.Second {
		t.Errorf("an edit with a 1 s budget answered after %s", el)
	}
	got, err := db.GetClaim(ctx, c.ID)
	if err != nil || got.Version != c.Version || got.Claimant != c.Claimant {
		t.Fatalf("the stopped edit changed the claim: %+v %v", got, err)
	}
	if !strings.Contains(env.Logs(), `"over_budget":true`) {
		t.Errorf("the log does not say the request ran over its budget")
	}
}

// TestTransportHeaders: review finding 9. HSTS comes with an https base
// URL only; an auth proxy's Basic header does not shut readers out of the
// pages, while the API still tells an integration it sent the wrong kind.
func TestTransportHeaders(t *testing.T) {
	secure := servertest.NewWith(t, servertest.Options{BaseURL: "https://factcheck.example"})
	plain := servertest.New(t)
	d := storetest.Document(t, secure.DB, "The ministry counted 23,000 fighters near the border in 2024.", secure.Editor)
	c := storetest.Claim(t, secure.DB, d, 0, 40, secure.Editor)
	for _, path := range []string{"/", "/api/v1/claims", "/desk/login", fmt.Sprintf("/claims/%d", c.ID)} {
		if r := secure.Anonymous().Do("GET", path, nil); !strings.HasPrefix(r.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("https site, %s: no HSTS (%d)", path, r.Status)
		}
		if r := plain.Anonymous().Do("GET", path, nil); r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("http site, %s: HSTS sent", path)
		}
	}
	basic := []string{"Authorization", "Basic cHJveHk6c2VjcmV0"}
	for _, path := range []string{"/", fmt.Sprintf("/claims/%d", c.ID), "/search?q=ministry", "/desk/login", "/feeds/claimreview.json"} {
		if r := secure.Anonymous().Do("GET", path, nil, basic...); r.Status != 200 {
			t.Errorf("%s with a Basic header: %d", path, r.Status)
		}
	}
	if r := secure.Anonymous().Do("GET", "/api/v1/claims", nil, basic...); r.Status != 401 {
		t.Errorf("the API with a Basic header: %d, want 401", r.Status)
	}
}

// TestMetrics: review finding 4. The operator's figures are served on
// their own address, behind a token, with routes (never raw paths) as
// labels.
func TestMetrics(t *testing.T) {
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	doc := storetest.Document(t, db, "The army counted 23,000 fighters in 2024.", ed)
	storetest.Claim(t, db, doc, 4, 40, ed)
	h, metrics, err := server.NewWithMetrics(server.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsToken: "operator-secret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	operator := httptest.NewServer(metrics)
	defer operator.Close()

	// Review finding 4: the public address shows the figures to nobody
	// without the operator's token.
	for _, auth := range []string{"", "Bearer wrong", "Basic b3BlcmF0b3Itc2VjcmV0", "operator-secret"} {
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(b), "factdesk_claims") {
			t.Errorf("public /metrics with %q: %d %.100s", auth, resp.StatusCode, b)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer operator-secret")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("public /metrics with the token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	for _, p := range []string{"/healthz", "/healthz", "/no/such/page/zzqx"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Get(operator.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d", resp.StatusCode)
	}
	got := string(body)
	for _, want := range []string{
		`factdesk_http_requests_total{method="GET",route="/healthz",status="200"} 2`,
		`factdesk_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`factdesk_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="+Inf"} 2`,
		`factdesk_claims{status="open"} 1`,
		`factdesk_claims{status="published"} 0`,
		`factdesk_db_scrape_ok 1`,
		`factdesk_db_open_connections `,
		`go_goroutines `,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// A raw path never becomes a label: one series per claim would let
	// anyone grow the registry.
	if strings.Contains(got, "zzqx") {
		t.Errorf("/metrics carries a raw path")
	}
}
