package fetch

import (
	"fmt"

	"factdesk/models"
)

// Reason says why a fetch failed, in words a desk can show.
type Reason string

const (
	ReasonBadURL           Reason = "bad_url"
	ReasonRefusedAddress   Reason = "refused_address"
	ReasonTimeout          Reason = "timeout"
	ReasonTooLarge         Reason = "too_large"
	ReasonTooManyRedirects Reason = "too_many_redirects"
	ReasonHTTPStatus       Reason = "http_status"
	ReasonContentType      Reason = "unsupported_content_type"
	ReasonRobots           Reason = "robots"
	ReasonNetwork          Reason = "network"
)

// Error is a failed fetch. Its message names the URL, the reason and, where
// there is one, the status, the address or the content type at fault.
type Error struct {
	Reason Reason
	URL    string
	// Status is the HTTP status of ReasonHTTPStatus.
	Status int
	// Detail is the address of ReasonRefusedAddress, the content type of
	// ReasonContentType, the limit of ReasonTooLarge and ReasonTimeout.
	Detail string
	Err    error
}

func (e *Error) Error() string { return "fetch " + e.URL + ": " + e.Message() }

// Retryable reports whether the fetch may work if tried again later: a
// timeout, an unreachable site, or a server error or rate limit.
func (e *Error) Retryable() bool {
	switch e.Reason {
	case ReasonTimeout, ReasonNetwork:
		return true
	case ReasonHTTPStatus:
		return e.Status >= 500 || e.Status == 429 || e.Status == 408
	}
	return false
}

// Message is the failure for people, without the URL.
func (e *Error) Message() string {
	switch e.Reason {
	case ReasonBadURL:
		return "not a URL Factdesk can fetch: " + e.Detail
	case ReasonRefusedAddress:
		return "refused: " + e.Detail + " is not a public internet address"
	case ReasonTimeout:
		return "no complete answer within " + e.Detail
	case ReasonTooLarge:
		return "the response is larger than " + e.Detail
	case ReasonTooManyRedirects:
		return "more than " + e.Detail + " redirects"
	case ReasonHTTPStatus:
		return fmt.Sprintf("the server answered %d", e.Status)
	case ReasonContentType:
		return "unsupported content type " + e.Detail
	case ReasonRobots:
		return "the site's robots.txt does not allow Factdesk to fetch this page"
	default:
		return "the site could not be reached: " + e.Detail
	}
}

func (e *Error) Unwrap() []error {
	// The models error lets stores and handlers answer a failed fetch as bad
	// input with the reason, like any other.
	m := &models.Error{Code: models.EINVALID, Message: e.Message(), Fields: map[string]string{"url": e.Message()}}
	if e.Err == nil {
		return []error{m}
	}
	return []error{m, e.Err}
}
