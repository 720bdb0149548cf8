package poll_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"factdesk/fetch"
	"factdesk/jobs"
	"factdesk/jobs/jobstest"
	"factdesk/reviews/poll"
	"factdesk/store/storetest"
)

var loopback = fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}

// checkers serves the review fixtures as a fact-checker's site would.
func checkers(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for path, file := range map[string]string{"/feed.json": "claimreview-datafeed.json", "/api/claims": "factchecktools.json"} {
		data, err := os.ReadFile("../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(data)
		})
	}
	mux.HandleFunc("/broken.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"@type":"ClaimReview","url":"https://p.example/1"}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// One poll imports each URL on its own: a failing URL (missing, or a
// review without its claim) does not stop the others, and a second poll
// adds nothing.
func TestPollImportsEachURL(t *testing.T) {
	db := storetest.Open(t)
	srv := checkers(t)
	w := poll.NewWorker(db, poll.Config{URLs: []string{srv.URL + "/feed.json", srv.URL + "/missing.json", srv.URL + "/broken.json", srv.URL + "/api/claims"}, Fetch: loopback})
	ctx := context.Background()
	tests := []struct {
		name             string
		added, unchanged []int
	}{
		{"First", []int{50, 0, 0, 50}, []int{0, 0, 0, 0}},
		{"Again", []int{0, 0, 0, 0}, []int{50, 0, 0, 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := w.Poll(ctx)
			if len(got) != 4 {
				t.Fatalf("%d results, want 4", len(got))
			}
			for i, r := range got {
				if failed := i == 1 || i == 2; (r.Err != nil) != failed {
					t.Errorf("%s: err %v, want failure %v", r.URL, r.Err, failed)
				}
				if r.Added != tt.added[i] || r.Unchanged != tt.unchanged[i] {
					t.Errorf("%s: %+v, want %d added, %d unchanged", r.URL, r.ReviewImport, tt.added[i], tt.unchanged[i])
				}
			}
			if n, err := db.CountReviews(ctx); err != nil || n != 100 {
				t.Fatalf("%d reviews stored (%v), want 100", n, err)
			}
		})
	}
	if err := w.Work(ctx, nil); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("the job of a poll with failing URLs: %v, want their failure", err)
	}
}

// On the queue the poll runs on its schedule: once when the leader
// starts, then every interval.
func TestPollJobRunsOnSchedule(t *testing.T) {
	db := storetest.Open(t)
	srv := checkers(t)
	kinds := jobs.NewKinds()
	jobs.Add(kinds, poll.NewWorker(db, poll.Config{URLs: []string{srv.URL + "/feed.json"}, Fetch: loopback}))
	jobs.Every(kinds, "reviews_poll", time.Hour, func() river.JobArgs { return poll.Job{} })
	jobstest.Start(t, db, kinds, jobs.Config{})
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := db.CountReviews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 50 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d reviews 30 s after the queue started, want the feed's 50", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestParseURLs(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true},
		{"https://a.example/feed.json", 1, true},
		{"https://a.example/feed.json, http://b.example/x", 2, true},
		{"ftp://a.example/feed.json", 0, false},
		{"not a url", 0, false},
	}
	for _, tt := range tests {
		got, err := poll.ParseURLs(tt.in)
		if (err == nil) != tt.ok || len(got) != tt.want {
			t.Errorf("ParseURLs(%q) = %v, %v", tt.in, got, err)
		}
	}
}

var _ river.JobArgsWithInsertOpts = poll.Job{}
