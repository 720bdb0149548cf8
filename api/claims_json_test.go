package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/web"
)

// The claim list holds what encoding/json writes for the same values, for
// editors and readers, whatever the strings hold.
func TestClaimListJSONIsEncodingJSON(t *testing.T) {
	gin.SetMode(gin.TestMode)
	id := int64(7)
	at := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	zoned := time.Date(2025, 12, 31, 23, 59, 59, 0, time.FixedZone("", 5*3600+1800))
	strs := []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\bbs\fff\x00\x01\x1f\x7f",
		"naïve “23,000” terrorists", "\u2028line\u2029para", "bad \xff\xfe utf-8 \xe2\x82", "日本語 😀"}
	scores := []float64{0, 1, 0.5, 0.123456789, 1e-7, 3.5e-9, 2.5e21, 0.1 + 0.2}
	r := rand.New(rand.NewPCG(5, 6))
	pick := func() string { return strs[r.IntN(len(strs))] }
	var claims []models.Claim
	for i := 0; i < 200; i++ {
		c := models.Claim{ID: int64(i + 1), Anchor: models.Anchor{Start: i, End: i * 3, Exact: pick(), Prefix: pick(), Suffix: pick()},
			Orphaned: i%5 == 0, Text: pick(), Claimant: pick(), Kind: models.Kinds[i%len(models.Kinds)], Score: scores[i%len(scores)],
			Origin: models.OriginDetected, Status: models.Statuses[i%len(models.Statuses)], Explanation: pick(), DismissReason: pick(),
			Version: i, CreatedAt: at, UpdatedAt: zoned}
		if i%2 == 0 {
			c.DocumentID, c.AssigneeID, c.Rating = &id, &id, models.RatingMixed
		}
		if i%3 == 0 {
			c.SubmitterID, c.ReviewerID, c.PublishedAt = &id, &id, &zoned
		}
		claims = append(claims, c)
	}
	cursor := "cD<1>&"
	for _, tt := range []struct {
		name   string
		public bool
		next   *string
	}{
		{"Editor", false, &cursor},
		{"Reader", true, nil},
		{"Empty", false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := claims
			if tt.name == "Empty" {
				page = []models.Claim{}
			}
			var want []byte
			var err error
			if tt.public {
				views := make([]web.PublicClaim, len(page))
				for i := range page {
					views[i] = web.NewPublicClaim(&page[i])
				}
				want, err = json.Marshal(struct {
					Claims     []web.PublicClaim `json:"claims"`
					NextCursor *string           `json:"next_cursor"`
				}{views, tt.next})
			} else {
				want, err = json.Marshal(struct {
					Claims     []models.Claim `json:"claims"`
					NextCursor *string        `json:"next_cursor"`
				}{page, tt.next})
			}
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			(&Server{}).writeClaimList(c, page, tt.public, tt.next)
			// The same JSON values, not the same bytes: encoders may escape
			// a control character as \b or as \u0008.
			var got, wantv any
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if err := json.Unmarshal(want, &wantv); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, wantv) {
				t.Fatalf("the list differs from encoding/json's:\n got %.400s\nwant %.400s", w.Body.String(), want)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

// A claim list that does not encode is the JSON error of every 500, with
// the request ID and nothing of the cause.
func TestClaimListThatDoesNotEncode(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := &Server{Server: &web.Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/claims", nil)
	c.Header("X-Request-Id", "req-1")
	s.writeClaimList(c, []models.Claim{{ID: 1, Score: math.NaN()}}, false, nil)
	var got struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v: %s", err, w.Body)
	}
	if w.Code != http.StatusInternalServerError || got.Error.Code != models.EINTERNAL || got.Error.RequestID != "req-1" || strings.Contains(w.Body.String(), "NaN") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}
