package desk

import (
	"factdesk/web"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// The desk's forms post numbers as text; these read them, one way for
// every handler. A missing or malformed number is an invalid error naming
// its field (Fields[name]), never 0: the form is drawn again with that
// field's message and status 400. The list pages' ID filters are read by
// queryID (respond.go), the same way: a malformed one answers 400.

// formNumber is the whole number posted under name, no less than min.
func formNumber(c *gin.Context, name string, min int64) (int64, error) {
	return parseNumber(name, c.PostForm(name), min)
}

// formInt is formNumber for the int fields of the models (offsets, versions).
func formInt(c *gin.Context, name string, min int) (int, error) {
	n, err := formNumber(c, name, int64(min))
	return int(n), err
}

// formOptionalID is the ID picked under name, 0 when the form left it
// empty or chose 0 (nobody assigned, a new source); anything else is an
// ID or invalid.
func formOptionalID(c *gin.Context, name string) (int64, error) {
	if strings.TrimSpace(c.PostForm(name)) == "" {
		return 0, nil
	}
	return formNumber(c, name, 0)
}

// formVersion is the version a desk form was based on: a missing or
// malformed one is an error, never version 0.
func formVersion(c *gin.Context) (int, error) {
	v, err := formInt(c, "version", 1)
	if err != nil {
		return 0, web.InvalidField("the form does not say which version of the claim it was based on: reload the page", "version", "is missing or not a version")
	}
	return v, nil
}

func parseNumber(name, raw string, min int64) (int64, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return 0, web.InvalidField(name+" is missing", name, "is missing")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, web.InvalidField(name+" is not a whole number", name, "must be a whole number")
	}
	if n < min {
		return 0, web.InvalidField(name+" is out of range", name, "must be at least "+strconv.FormatInt(min, 10))
	}
	return n, nil
}
