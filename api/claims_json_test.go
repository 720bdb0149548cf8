package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// A claim list that does not encode is the JSON error of every 500, with
// the request ID and nothing of the cause.
func TestClaimListThatDoesNotEncode(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/claims", nil)
	c.Header("X-Request-Id", "req-1")
	s.writeClaimList(c, []models.Claim{{ID: 1, Score: math.NaN()}}, false, nil)
	var got errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v: %s", err, w.Body)
	}
	if w.Code != http.StatusInternalServerError || got.Error.Code != models.EINTERNAL || got.Error.RequestID != "req-1" || strings.Contains(w.Body.String(), "NaN") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}
