package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
)

// DecodeUpdate reads the body of a partial update straight into u, a
// pointer to a store's update struct, so the API keeps no copy of each
// update's fields. Each field is the snake_case of its Go name (ArchiveURL:
// archive_url), the fields of embedded structs included. A *T field left
// out or sent as null changes nothing; a **T field sent as null clears the
// value; dates take "2025-03-14" or an RFC 3339 time (JSONDate). When u
// has a Version field, the version the edit is based on is required
// (VersionOf: If-Match, or the body's version). A field added to an update
// is thereby one the API takes, and openapi.yaml must name it.
func DecodeUpdate(c *gin.Context, u any) error {
	var body members
	if err := DecodeJSON(c, &body); err != nil {
		return err
	}
	fields := map[string]reflect.Value{}
	updateFields(reflect.ValueOf(u).Elem(), fields)
	version, versioned := fields["version"]
	var bodyVersion *int
	for _, m := range body {
		name, ok := fieldName(fields, m.key)
		var err error
		switch {
		case !ok:
			return unknownField(m.key)
		case name == "version":
			err = json.Unmarshal(m.raw, &bodyVersion)
		default:
			err = setField(fields[name], m.raw)
		}
		if err != nil {
			if typ, ok := err.(*json.UnmarshalTypeError); ok {
				typ.Field = name
			}
			return jsonError(err)
		}
	}
	if !versioned {
		return nil
	}
	v, err := VersionOf(c, bodyVersion)
	version.SetInt(int64(v))
	return err
}

// fieldName is the field a key of the body names: the same name or, as
// encoding/json allows, the same but for case.
func fieldName(fields map[string]reflect.Value, key string) (string, bool) {
	if _, ok := fields[key]; ok {
		return key, true
	}
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name, true
		}
	}
	return "", false
}

// members is a JSON object's members in the order the body gives them, so
// the first fault named is the first in the body.
type members []member

type member struct {
	key string
	raw json.RawMessage
}

func (m *members) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return &json.UnmarshalTypeError{Value: "non-object", Type: reflect.TypeFor[members]()}
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		*m = append(*m, member{key: k.(string), raw: raw})
	}
	return nil
}

// updateFields names the fields of the struct v by their JSON keys; an
// outer field hides an embedded one of the same name, as in Go.
func updateFields(v reflect.Value, out map[string]reflect.Value) {
	t := v.Type()
	var embedded []reflect.Value
	for i := range t.NumField() {
		if t.Field(i).Anonymous {
			embedded = append(embedded, v.Field(i))
			continue
		}
		if key := snakeCase(t.Field(i).Name); out[key] == (reflect.Value{}) {
			out[key] = v.Field(i)
		}
	}
	for _, e := range embedded {
		updateFields(e, out)
	}
}

// snakeCase is ArchiveURL as archive_url, AssigneeID as assignee_id.
func snakeCase(name string) string {
	var b strings.Builder
	r := []rune(name)
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// setField sets one field of an update from its JSON: *T to the value,
// **T to the value or, for null, to a cleared one.
func setField(f reflect.Value, raw json.RawMessage) error {
	null := string(raw) == "null"
	switch {
	case f.Kind() != reflect.Pointer:
		if null {
			return nil
		}
		return decodeValue(f, raw)
	case f.Type().Elem().Kind() == reflect.Pointer:
		inner := reflect.New(f.Type().Elem())
		if !null {
			inner.Elem().Set(reflect.New(f.Type().Elem().Elem()))
			if err := decodeValue(inner.Elem().Elem(), raw); err != nil {
				return err
			}
		}
		f.Set(inner)
	case null:
		f.SetZero()
	default:
		v := reflect.New(f.Type().Elem())
		if err := decodeValue(v.Elem(), raw); err != nil {
			return err
		}
		f.Set(v)
	}
	return nil
}

// decodeValue decodes raw into v, a time as a JSONDate.
func decodeValue(v reflect.Value, raw json.RawMessage) error {
	if v.Type() == reflect.TypeFor[time.Time]() {
		var d JSONDate
		if err := json.Unmarshal(raw, &d); err != nil {
			return err
		}
		v.Set(reflect.ValueOf(d.Time))
		return nil
	}
	return json.Unmarshal(raw, v.Addr().Interface())
}
