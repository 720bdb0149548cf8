package reviews

import (
	"os"
	"path/filepath"
	"testing"

	"factdesk/models"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		file      string
		n         int
		publisher string
	}{
		{"claimreview-array.json", 50, "Checkers United"},
		{"claimreview-graph.json", 50, "Truth Desk"},
		{"claimreview-datafeed.json", 50, "Verifica"},
		{"claimreview-single.json", 1, "Checkers United"},
		{"factchecktools.json", 50, "Checkers United"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Fatalf("%d reviews, want %d", len(got), tt.n)
			}
			seen := map[string]bool{}
			for _, r := range got {
				if r.URL == "" || r.ClaimText == "" || r.Publisher == "" || r.Rating == "" || r.ReviewDate == nil || r.Claimant == "" {
					t.Errorf("incomplete review %+v", r)
				}
				seen[r.URL] = true
			}
			if len(seen) != tt.n {
				t.Errorf("%d distinct URLs, want %d", len(seen), tt.n)
			}
			if got[0].Publisher != tt.publisher {
				t.Errorf("publisher %q, want %q", got[0].Publisher, tt.publisher)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	tests := []struct{ name, data string }{
		{"NotJSON", "<html>"},
		{"Empty", ""},
		{"NoReview", `{"@type":"WebPage"}`},
		{"ReviewWithoutURL", `{"@type":"ClaimReview","claimReviewed":"x","author":{"name":"P"}}`},
		{"ReviewWithoutClaim", `{"@type":"ClaimReview","url":"https://p.example/1","author":{"name":"P"}}`},
		{"ReviewWithoutPublisher", `{"@type":"ClaimReview","url":"https://p.example/1","claimReviewed":"x"}`},
		{"ToolsWithoutReviews", `{"claims":[{"text":"x"}]}`},
		{"ToolsBadURL", `{"claims":[{"text":"x","claimReview":[{"url":"javascript:alert(1)","publisher":{"name":"P"}}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data))
			if models.ErrorCode(err) != models.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
		})
	}
}
