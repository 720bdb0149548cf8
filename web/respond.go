package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// RespondRecord writes one record with an ETag, or 304 when the caller's
// If-None-Match already names it. The ETag carries the record's version
// (so it can come back in If-Match) and a hash of the body, which differs
// by caller and changes with anything shown, such as new evidence.
func RespondRecord(c *gin.Context, status, version int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("api: encode response: %v", err)) // our own types always encode
	}
	sum := sha256.Sum256(b)
	etag := `"v` + strconv.Itoa(version) + "-" + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	c.Header("Vary", "Cookie, Authorization")
	if c.Request.Method == http.MethodGet && ifNoneMatchHas(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(status, "application/json; charset=utf-8", b)
}

// ifNoneMatchHas is the weak comparison of RFC 9110 for If-None-Match.
func ifNoneMatchHas(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

var ifMatchVersion = regexp.MustCompile(`^(?:W/)?"v?([0-9]{1,9})(?:-[0-9a-f]*)?"$|^([0-9]{1,9})$`)

// VersionOf is the version an update is based on: the If-Match header (an
// ETag from a GET, or the bare version) or else the version field of the
// body. One of the two is required, and they must agree.
func VersionOf(c *gin.Context, field *int) (int, error) {
	header := strings.TrimSpace(c.GetHeader("If-Match"))
	var fromHeader int
	if header != "" {
		m := ifMatchVersion.FindStringSubmatch(header)
		if m == nil {
			return 0, InvalidField(`If-Match must be an ETag of this record (or its version): "*" and lists are not accepted`, "version", "If-Match is not a version of this record")
		}
		fromHeader, _ = strconv.Atoi(m[1] + m[2])
	}
	switch {
	case header != "" && field != nil && *field != fromHeader:
		return 0, InvalidField("If-Match and the version field disagree", "version", "disagrees with If-Match")
	case header != "":
		return fromHeader, nil
	case field != nil:
		if *field < 1 {
			return 0, InvalidField("versions start at 1", "version", "must be at least 1")
		}
		return *field, nil
	}
	return 0, InvalidField("say which version your change is based on: send If-Match with the ETag of the record, or a version field", "version", "is required")
}

// Versioned is the body of a versioned edit: BodyVersion is its version
// field, nil when the body has none.
type Versioned interface{ BodyVersion() *int }

// EditRequest reads what every versioned edit starts with: the JSON body
// into in, and the version the edit is based on (VersionOf, given the
// body's version field once it is decoded).
func EditRequest(c *gin.Context, in Versioned) (version int, err error) {
	if err = DecodeJSON(c, in); err != nil {
		return 0, err
	}
	return VersionOf(c, in.BodyVersion())
}

// WithEdit serves a versioned edit of the record at :id (WithID): h is
// given the ID, the version the edit is based on and the body, once all
// are read (EditRequest).
func WithEdit[In any, P interface {
	*In
	Versioned
}](fail func(*gin.Context, error), h func(c *gin.Context, id int64, version int, in P)) gin.HandlerFunc {
	return WithID(fail, func(c *gin.Context, id int64) {
		in := P(new(In))
		version, err := EditRequest(c, in)
		if err != nil {
			fail(c, err)
			return
		}
		h(c, id, version, in)
	})
}

// RecordID is the numeric ID of a route parameter.
func RecordID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, models.Errorf(models.ENOTFOUND, "there is nothing at %s: IDs are positive whole numbers", c.Request.URL.Path)
	}
	return id, nil
}

// Cursors are opaque to clients: the position of the last item of a page.
func encodeCursor(pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p" + strconv.FormatInt(pos, 10)))
}

func DecodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) > 1 && b[0] == 'p' {
		if n, err := strconv.ParseInt(string(b[1:]), 10, 64); err == nil && n > 0 {
			return n, nil
		}
	}
	return 0, InvalidField("the cursor is not one this API gave", "cursor", "is not a cursor from a previous page")
}

// NextCursor is the cursor of the page after one, or nil on the last page.
func NextCursor(pos int64) *string {
	if pos == 0 {
		return nil
	}
	s := encodeCursor(pos)
	return &s
}

// RespondPage answers one page of a list as {key: rows, "next_cursor": …}.
// read gets the position the request's cursor names and how many rows to
// read: one past the page, so that the extra one shows a next page; pos is
// the cursor position of a row.
func RespondPage[T any](s *Server, c *gin.Context, key string, read func(after int64, limit int) ([]T, error), pos func(*T) int64) {
	limit, err := PageLimit(c, 50)
	var after int64
	if err == nil {
		after, err = DecodeCursor(c.Query("cursor"))
	}
	var rows []T
	if err == nil {
		rows, err = read(after, limit+1)
	}
	if err != nil {
		s.RespondError(c, err)
		return
	}
	rows, next := cutPage(rows, limit, pos)
	c.JSON(http.StatusOK, gin.H{key: NonNil(rows), "next_cursor": NextCursor(next)})
}

// ReadPage reads one page of a list the desk pages by position: from the
// position the query parameter param names (none: the start), size rows
// of what read reads, and the link to the page after them, "" on the last.
func ReadPage[T any](c *gin.Context, param string, size int, read func(after int64, limit int) ([]T, error), pos func(*T) int64) ([]T, string, error) {
	after, err := QueryID(c, param)
	if err != nil {
		return nil, "", err
	}
	rows, err := read(after, size+1)
	if err != nil {
		return nil, "", err
	}
	rows, next := cutPage(rows, size, pos)
	if next == 0 {
		return rows, "", nil
	}
	return rows, c.Request.URL.Path + "?" + url.Values{param: {strconv.FormatInt(next, 10)}}.Encode(), nil
}

// cutPage keeps the first size of rows read one past it, and gives the
// position of the page after them, 0 on the last page.
func cutPage[T any](rows []T, size int, pos func(*T) int64) ([]T, int64) {
	if len(rows) <= size {
		return rows, 0
	}
	return rows[:size], pos(&rows[size-1])
}

// RespondList answers {key: rows}, or err when reading them failed.
func RespondList[T any](s *Server, c *gin.Context, key string, rows []T, err error) {
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{key: NonNil(rows)})
}

// NonNil is rows, or an empty list for none: a list in JSON is [] and
// never null.
func NonNil[T any](rows []T) []T {
	if rows == nil {
		return []T{}
	}
	return rows
}

// PageLimit reads the limit query parameter: 1 to 100, 50 when absent.
func PageLimit(c *gin.Context, def int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, InvalidField("limit must be a whole number from 1 to 100", "limit", "must be from 1 to 100")
	}
	return n, nil
}

// QueryID reads an optional numeric ID from the query string.
func QueryID(c *gin.Context, name string) (int64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, InvalidField(name+" must be a positive whole number", name, "must be a positive whole number")
	}
	return n, nil
}

// WithID adapts the handler of a route of one record: it reads the
// record's ID from the path (RecordID) first, and a path that names no
// record is answered by fail, each side's own way of showing an error.
func WithID(fail func(*gin.Context, error), h func(c *gin.Context, id int64)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := RecordID(c, "id")
		if err != nil {
			fail(c, err)
			return
		}
		h(c, id)
	}
}

// WithPart is WithID for a route of one part of a record (an evidence
// link, an appearance, a comment), given the record's ID and the part's.
func WithPart(fail func(*gin.Context, error), part string, h func(c *gin.Context, id, partID int64)) gin.HandlerFunc {
	return WithID(fail, func(c *gin.Context, id int64) {
		partID, err := RecordID(c, part)
		if err != nil {
			fail(c, err)
			return
		}
		h(c, id, partID)
	})
}

// WithBody serves a route whose request is a JSON body: h is given it,
// decoded (DecodeJSON).
func WithBody[In any](fail func(*gin.Context, error), h func(c *gin.Context, in *In)) gin.HandlerFunc {
	return func(c *gin.Context) {
		in := new(In)
		if err := DecodeJSON(c, in); err != nil {
			fail(c, err)
			return
		}
		h(c, in)
	}
}

// WithIDBody is WithID and WithBody: the record's ID, then the body.
func WithIDBody[In any](fail func(*gin.Context, error), h func(c *gin.Context, id int64, in *In)) gin.HandlerFunc {
	return WithID(fail, func(c *gin.Context, id int64) {
		WithBody(fail, func(c *gin.Context, in *In) { h(c, id, in) })(c)
	})
}

// WithUpdate serves a partial update of the record at :id: h is given the
// ID and the update, read into a store's update struct (DecodeUpdate).
func WithUpdate[U any](fail func(*gin.Context, error), h func(c *gin.Context, id int64, u *U)) gin.HandlerFunc {
	return WithID(fail, func(c *gin.Context, id int64) {
		u := new(U)
		if err := DecodeUpdate(c, u); err != nil {
			fail(c, err)
			return
		}
		h(c, id, u)
	})
}
