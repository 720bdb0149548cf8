package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// DecodeJSON reads the request body into dst strictly: a JSON object of
// known fields with the right types, valid UTF-8, nothing after it. Any
// fault is an invalid error naming the fields at fault, and dst must then
// be thrown away.
func DecodeJSON(c *gin.Context, dst any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return InvalidField("send a JSON body with Content-Type: application/json", "body", "must be JSON")
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return err // *http.MaxBytesError: 413
	}
	if !utf8.Valid(raw) {
		return InvalidField("the body is not valid UTF-8", "body", "must be valid UTF-8")
	}
	if key := duplicateKey(raw); key != "" {
		return InvalidField("the body names "+strconv.Quote(key)+" twice: send each field once", key, "is given twice")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return InvalidField("the body holds more than one JSON value", "body", "has data after the JSON object")
	}
	return nil
}

// duplicateKey returns a key that an object of raw names twice, "" if none.
// encoding/json keeps the last of them silently, so {"rating":"true",
// "rating":"false"} would mean what one reader of the body sees and not
// another (review finding 9). Invalid JSON gives "": the decoder names its
// fault. Nesting past maxKeyDepth is left to the decoder too; no body of
// the API nests that deep.
func duplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	key, _ := walkJSON(dec, 0)
	return key
}

const maxKeyDepth = 64

// walkJSON reads one value; it stops early (false) at a duplicate key, bad
// JSON or too deep a nesting.
func walkJSON(dec *json.Decoder, depth int) (dup string, ok bool) {
	if depth > maxKeyDepth {
		return "", false
	}
	tok, err := dec.Token()
	if err != nil {
		return "", false
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return "", false
			}
			key, _ := k.(string)
			if seen[key] {
				return key, false
			}
			seen[key] = true
			if dup, ok := walkJSON(dec, depth+1); !ok {
				return dup, false
			}
		}
		_, err = dec.Token()
		return "", err == nil
	case json.Delim('['):
		for dec.More() {
			if dup, ok := walkJSON(dec, depth+1); !ok {
				return dup, false
			}
		}
		_, err = dec.Token()
		return "", err == nil
	}
	return "", true
}

// jsonError turns encoding/json's errors into field messages.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return InvalidField("the body is empty: send a JSON object", "body", "is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidField("the body is cut short: it is not complete JSON", "body", "is not valid JSON")
	case errors.As(err, &syntax):
		return InvalidField("the body is not valid JSON (at byte "+strconv.FormatInt(syntax.Offset, 10)+")", "body", "is not valid JSON")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return InvalidField("the body must be a JSON object", "body", "must be a JSON object")
		}
		return InvalidField("some fields are not valid", typ.Field, "must be "+jsonKind(typ.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return unknownField(name)
	}
	return InvalidField("the body is not valid JSON", "body", "is not valid JSON")
}

func unknownField(name string) error {
	return InvalidField("the body has a field this endpoint does not know: "+name, name, "is not a known field")
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeFor[time.Time]():
		return "an RFC 3339 time"
	case reflect.TypeFor[JSONDate]():
		return "a date (2025-03-14) or an RFC 3339 time"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

func InvalidField(message, field, msg string) error {
	return &models.Error{Code: models.EINVALID, Message: message, Fields: map[string]string{field: msg}}
}

// JSONDate is a day or a moment: "2025-03-14" or an RFC 3339 time, as
// documents and sources state their dates.
type JSONDate struct{ time.Time }

func (d *JSONDate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time = t.UTC()
			return nil
		}
	}
	// A type error without a field: encoding/json names the field.
	return &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[JSONDate]()}
}

// TimePtr turns an optional jsonDate into what the store takes.
func TimePtr(d *JSONDate) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

// ModerationOf reads a decision from a form (the desk's) or the API's
// fields of the same names.
func ModerationOf(get func(string) string) models.Moderation {
	m := models.Moderation{Status: models.ReportStatus(get("status")), Note: get("note"),
		ClaimText: get("claim_text"), Claimant: get("claimant")}
	if note := strings.TrimSpace(get("correction_note")); note != "" || get("rating") != "" || get("explanation") != "" {
		in := models.TransitionInput{Action: models.ActionCorrect, Note: note}
		if v := get("rating"); v != "" {
			r := models.Rating(v)
			in.Rating = &r
		}
		if v := get("explanation"); v != "" {
			in.Explanation = &v
		}
		m.Correction = &in
	}
	return m
}
