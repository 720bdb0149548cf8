package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/store/storetest"
)

func TestMetrics(t *testing.T) {
	db := storetest.Open(t)
	ed := storetest.User(t, db, "ed@example.org", models.RoleEditor)
	doc := storetest.Document(t, db, "The army counted 23,000 fighters in 2024.", ed)
	storetest.Claim(t, db, doc, 4, 40, ed)
	h, metrics, err := NewWithMetrics(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsToken: "operator-secret"})
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
