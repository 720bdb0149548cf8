package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. The store returns them, the API maps each to one HTTP status.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ERATELIMITED  = "rate_limited"
	ETIMEOUT      = "timeout"     // the request did not arrive in time
	EUNAVAILABLE  = "unavailable" // the request ran past its budget; try again
	EINTERNAL     = "internal"
)

// Error is the one error type of Factdesk. Message is written for people;
// Fields names the inputs at fault for EINVALID; Current carries the record as
// it stands now for ECONFLICT, so a caller can show both versions.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Current any
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("factdesk: %s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("factdesk: %s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf builds an Error with a code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Conflict is a stale-version error carrying the current record.
func Conflict(current any, format string, args ...any) *Error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf(format, args...), Current: current}
}

// FieldErrors collects per-field messages; Err returns nil when it is empty.
type FieldErrors map[string]string

// Add records the first message for a field.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err turns the collected messages into one EINVALID error, or nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "some fields are not valid", Fields: map[string]string(f)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not ours
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	} else if e := asError(err); e != nil {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err; internals are never shown.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	} else if e := asError(err); e != nil {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the per-field messages of an EINVALID error.
func ErrorFields(err error) map[string]string {
	if e := asError(err); e != nil {
		return e.Fields
	}
	return nil
}

// asError finds our error in err's chain, nil when there is none.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
