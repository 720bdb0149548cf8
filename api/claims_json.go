package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// The claim list writes its JSON by hand: encoding/json's reflection over
// every field of every claim was the largest cost of the list after the
// query. The bytes are those encoding/json writes for the same values
// (claims_json_test.go compares them), so the contract does not move.

var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// writeClaimList sends a page of claims: as editors see them, or through
// the public view for readers.
func writeClaimList(c *gin.Context, claims []models.Claim, public bool, next *string) {
	bp := listBuffers.Get().(*[]byte)
	b := append((*bp)[:0], `{"claims":[`...)
	for i := range claims {
		if i > 0 {
			b = append(b, ',')
		}
		if public {
			b = appendPublicClaim(b, &claims[i])
		} else {
			b = appendClaim(b, &claims[i])
		}
	}
	b = append(b, `],"next_cursor":`...)
	if next == nil {
		b = append(b, "null"...)
	} else {
		b = appendString(b, *next)
	}
	b = append(b, '}')
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	if cap(b) <= 1<<20 {
		*bp = b
		listBuffers.Put(bp)
	}
}

// appendClaim is encoding/json's encoding of models.Claim.
func appendClaim(b []byte, c *models.Claim) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = appendField(b, "document_id")
	b = appendID(b, c.DocumentID)
	b = appendField(b, "start")
	b = strconv.AppendInt(b, int64(c.Start), 10)
	b = appendField(b, "end")
	b = strconv.AppendInt(b, int64(c.End), 10)
	b = appendStringField(b, "exact", c.Exact)
	b = appendStringField(b, "prefix", c.Prefix)
	b = appendStringField(b, "suffix", c.Suffix)
	b = appendField(b, "orphaned")
	b = strconv.AppendBool(b, c.Orphaned)
	b = appendStringField(b, "text", c.Text)
	b = appendStringField(b, "claimant", c.Claimant)
	b = appendStringField(b, "kind", string(c.Kind))
	b = appendField(b, "score")
	b = appendFloat(b, c.Score)
	b = appendStringField(b, "origin", string(c.Origin))
	b = appendStringField(b, "status", string(c.Status))
	b = appendStringField(b, "rating", string(c.Rating))
	b = appendStringField(b, "explanation", c.Explanation)
	b = appendStringField(b, "dismiss_reason", c.DismissReason)
	b = appendField(b, "assignee_id")
	b = appendID(b, c.AssigneeID)
	b = appendField(b, "submitter_id")
	b = appendID(b, c.SubmitterID)
	b = appendField(b, "reviewer_id")
	b = appendID(b, c.ReviewerID)
	b = appendField(b, "published_at")
	b = appendTimePtr(b, c.PublishedAt)
	b = appendField(b, "version")
	b = strconv.AppendInt(b, int64(c.Version), 10)
	b = appendField(b, "created_at")
	b = appendTime(b, c.CreatedAt)
	b = appendField(b, "updated_at")
	b = appendTime(b, c.UpdatedAt)
	return append(b, '}')
}

// appendPublicClaim is encoding/json's encoding of newPublicClaim(c).
func appendPublicClaim(b []byte, c *models.Claim) []byte {
	p := newPublicClaim(c)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = appendField(b, "document_id")
	b = appendID(b, p.DocumentID)
	b = appendField(b, "start")
	b = strconv.AppendInt(b, int64(p.Start), 10)
	b = appendField(b, "end")
	b = strconv.AppendInt(b, int64(p.End), 10)
	b = appendStringField(b, "exact", p.Exact)
	b = appendStringField(b, "prefix", p.Prefix)
	b = appendStringField(b, "suffix", p.Suffix)
	b = appendStringField(b, "text", p.Text)
	b = appendStringField(b, "claimant", p.Claimant)
	b = appendStringField(b, "kind", string(p.Kind))
	b = appendStringField(b, "status", string(p.Status))
	if p.Rating != "" {
		b = appendStringField(b, "rating", string(p.Rating))
	}
	if p.Explanation != "" {
		b = appendStringField(b, "explanation", p.Explanation)
	}
	b = appendField(b, "published_at")
	b = appendTimePtr(b, p.PublishedAt)
	b = appendField(b, "created_at")
	b = appendTime(b, p.CreatedAt)
	b = appendField(b, "updated_at")
	b = appendTime(b, p.UpdatedAt)
	return append(b, '}')
}

func appendField(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendStringField(b []byte, name, v string) []byte {
	return appendString(appendField(b, name), v)
}

func appendID(b []byte, id *int64) []byte {
	if id == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *id, 10)
}

func appendTimePtr(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	return appendTime(b, *t)
}

// appendTime is time.Time's MarshalJSON; the store's times are within the
// years it accepts.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendFloat is encoding/json's float64 encoding (ES6 number format).
func appendFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		// encoding/json refuses these; a score never holds one.
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with HTML escaping: <, >
// and & as \u escapes, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
