package web

import (
	"context"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// jsonLines writes slog's JSON format, byte for byte as slog.JSONHandler
// with default options does, for records whose attributes are plain
// values (strings, numbers, booleans, durations, times): every access log
// line. Kept by the 10% rule of issue 13, measured 2026-12-02 on a busy
// 2-core box (bench/RESULTS.md, "A simpler house"): a 304 of the verdict
// page through the serve handler (BenchmarkServedVerdict/304) took a
// median 22.8 µs of CPU with this and 25.2 µs with slog.JSONHandler
// alone, 10–12% of that path over two runs (a full 200 page: 6%); the
// line alone, 2.3 against 3.6 µs (BenchmarkAccessLogLine). Anything
// else (a value of any other kind, a group, a handler with attributes or
// groups of its own) goes to the real JSONHandler, and the test compares
// the two on every kind of value.
type jsonLines struct {
	buf  *logBuffer
	json slog.Handler // slog.NewJSONHandler over buf
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func (h jsonLines) Enabled(ctx context.Context, l slog.Level) bool { return h.json.Enabled(ctx, l) }

func (h jsonLines) Handle(ctx context.Context, r slog.Record) error {
	bp := linePool.Get().(*[]byte)
	line, ok := appendJSONRecord((*bp)[:0], r)
	var err error
	if ok {
		_, err = h.buf.Write(line)
	} else {
		err = h.json.Handle(ctx, r)
	}
	if cap(line) <= 16<<10 { // a huge line's buffer is not kept
		*bp = line
		linePool.Put(bp)
	}
	if r.Level >= slog.LevelWarn {
		h.buf.flush()
	}
	return err
}

func (h jsonLines) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushingHandler{Handler: h.json.WithAttrs(attrs), buf: h.buf}
}

func (h jsonLines) WithGroup(name string) slog.Handler {
	return flushingHandler{Handler: h.json.WithGroup(name), buf: h.buf}
}

// appendJSONRecord appends r as slog.JSONHandler writes it, or reports
// false when r holds something only that handler knows how to write.
func appendJSONRecord(b []byte, r slog.Record) ([]byte, bool) {
	b = append(b, '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if y := t.Year(); y < 0 || y >= 10000 {
			return b, false
		}
		b = append(b, `"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = appendJSONString(b, r.Level.String())
	b = append(b, `,"msg":`...)
	b = appendJSONString(b, r.Message)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" {
			ok = false // slog drops it, or inlines a group: its rules
			return false
		}
		b = append(b, ',')
		b = appendJSONString(b, a.Key)
		b = append(b, ':')
		b, ok = appendJSONValue(b, a.Value)
		return ok
	})
	if !ok {
		return b, false
	}
	return append(b, '}', '\n'), true
}

func appendJSONValue(b []byte, v slog.Value) ([]byte, bool) {
	switch v.Kind() {
	case slog.KindString:
		return appendJSONString(b, v.String()), true
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10), true
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool()), true
	case slog.KindDuration:
		return strconv.AppendInt(b, int64(v.Duration()), 10), true
	case slog.KindFloat64:
		return appendJSONFloat(b, v.Float64())
	case slog.KindTime:
		t := v.Time()
		if y := t.Year(); y < 0 || y >= 10000 {
			return b, false
		}
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), true
	}
	return b, false
}

// appendJSONFloat formats f as encoding/json does (slog calls it for floats).
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

// appendJSONString quotes s with slog's escaping: control characters, the
// quote and backslash, invalid UTF-8 (as U+FFFD), U+2028 and U+2029; '<',
// '>' and '&' are left as they are.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
