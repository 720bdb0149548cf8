package web

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// statusOf is the one table from the models' error codes to HTTP.
var statusOf = map[string]int{
	models.EINVALID:      http.StatusBadRequest,
	models.EUNAUTHORIZED: http.StatusUnauthorized,
	models.EFORBIDDEN:    http.StatusForbidden,
	models.ENOTFOUND:     http.StatusNotFound,
	models.ECONFLICT:     http.StatusConflict,
	models.ERATELIMITED:  http.StatusTooManyRequests,
	models.ETIMEOUT:      http.StatusRequestTimeout,
	models.EUNAVAILABLE:  http.StatusServiceUnavailable,
	models.EINTERNAL:     http.StatusInternalServerError,
}

// retryAfter is what a 503 tells the client to wait, in seconds.
const retryAfter = "5"

// errorBody is the JSON of every error: {"error": {...}} and, for a
// conflict, the record as it stands now.
type errorBody struct {
	Error   errorDetail `json:"error"`
	Current any         `json:"current,omitempty"`
}

type errorDetail struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields"`
	RequestID string            `json:"request_id,omitempty"`
}

// RespondError writes err as the JSON error body with the status of its
// code and stops the handler chain. Errors that are not ours are internal:
// they are logged with the request ID and the client sees only that ID.
func (s *Server) RespondError(c *gin.Context, err error) {
	status, body := s.ErrorResponse(c, err)
	c.AbortWithStatusJSON(status, body)
}

// ErrorResponse is the status and body RespondError writes, for handlers
// that need them apart (a page showing the error its own way).
func (s *Server) ErrorResponse(c *gin.Context, err error) (int, errorBody) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		// The body limit is a property of the route, not a model rule, and
		// has its own status.
		return http.StatusRequestEntityTooLarge, errorBody{Error: errorDetail{
			Code:    models.EINVALID,
			Message: "the request body is too large: at most " + sizeLabel(tooLarge.Limit),
			Fields:  map[string]string{"body": "is too large"},
		}}
	}
	err = budgetError(c, err)
	code := models.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		code, status = models.EINTERNAL, http.StatusInternalServerError
	}
	body := errorBody{Error: errorDetail{Code: code, Message: models.ErrorMessage(err), Fields: models.ErrorFields(err)}}
	if body.Error.Fields == nil {
		body.Error.Fields = map[string]string{}
	}
	if code == models.EUNAVAILABLE && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfter)
	}
	if code == models.EINTERNAL {
		id := RequestID(c)
		s.Log.ErrorContext(c.Request.Context(), "internal error", "request_id", id, "route", c.FullPath(), "error", err)
		body.Error.Message = "internal error: quote request " + id + " when you report it"
		body.Error.RequestID = id
	}
	var e *models.Error
	if code == models.ECONFLICT && errors.As(err, &e) && e.Current != nil {
		body.Current = s.currentView(c, e.Current)
	}
	return status, body
}

// budgetError names the errors of time running out: a body that did not
// arrive within the read timeout (408), and work stopped by the request's
// deadline (503), which the database drivers report in their own words.
func budgetError(c *gin.Context, err error) error {
	if models.ErrorCode(err) != models.EINTERNAL {
		return err
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout() && !errors.Is(err, context.DeadlineExceeded):
		return models.Errorf(models.ETIMEOUT, "the request body did not arrive in time: send it again")
	case errors.Is(err, context.DeadlineExceeded) || c.Request.Context().Err() == context.DeadlineExceeded:
		return models.Errorf(models.EUNAVAILABLE, "the request took longer than this server allows and was stopped; nothing was changed: try again in a moment")
	case errors.Is(err, context.Canceled) || c.Request.Context().Err() != nil:
		// The client is gone: no one reads this answer, and the log says so.
		return models.Errorf(models.EUNAVAILABLE, "the request was cancelled")
	}
	return err
}

// currentView shows the current record of a conflict as the caller would
// see it in a GET.
func (s *Server) currentView(c *gin.Context, v any) any {
	switch r := v.(type) {
	case *models.Claim:
		return ClaimView(c, r)
	case *models.Document:
		return DocumentView(r)
	case *models.Source:
		return SourceView(c, r)
	}
	return v
}

func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return Itoa(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return Itoa(n>>10) + " KB"
	}
	return Itoa(n) + " bytes"
}

// WithCurrent adds the record as it stands to a conflict that lacks it
// (one refused by a rule rather than by a stale version), so every 409
// lets a client show both sides.
func WithCurrent[T any](err error, get func() (T, error)) error {
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.ECONFLICT || e.Current != nil {
		return err
	}
	cur, gerr := get()
	if gerr != nil {
		return err
	}
	return &models.Error{Code: e.Code, Message: e.Message, Fields: e.Fields, Current: cur}
}
