package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"testing"
	"time"
)

// jsonLines writes what slog.JSONHandler writes, byte for byte, for every
// record it takes; the rest it leaves to that handler.
func TestJSONLinesWriteWhatSlogWrites(t *testing.T) {
	at := time.Date(2026, 11, 25, 14, 3, 7, 123456789, time.UTC)
	strs := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rreturn", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "naïve “curly” 日本", "bad \xff\xfe utf8", "line\u2028sep\u2029para", "/claims/:id/:slug"}
	floats := []float64{0, 0.123, -1.5, 1e-7, 1e-6, 123456789.25, 1e20, 1e21, 1.5e300, -2e-300, math.SmallestNonzeroFloat64}
	var records []slog.Record
	for _, lv := range []slog.Level{slog.LevelInfo, slog.LevelWarn, slog.LevelError, slog.LevelInfo + 2} {
		for _, s := range strs {
			r := slog.NewRecord(at, lv, s, 0)
			r.AddAttrs(slog.String(s+"key", s), slog.String("route", s))
			records = append(records, r)
		}
	}
	for _, f := range floats {
		r := slog.NewRecord(at, slog.LevelInfo, "request", 0)
		r.AddAttrs(slog.Float64("duration_ms", f))
		records = append(records, r)
	}
	r := slog.NewRecord(at, slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("request_id", "0123456789abcdef-1f"), slog.String("method", "GET"), slog.Int("status", 304),
		slog.Int64("big", math.MinInt64), slog.Uint64("huge", math.MaxUint64), slog.Bool("yes", true), slog.Bool("no", false),
		slog.Duration("took", 1500*time.Millisecond), slog.Time("at", at.In(time.FixedZone("X", -5*3600))), slog.Time("zero", time.Time{}),
		slog.Float64("duration_ms", 0.042), slog.String("client", "127.0.0.1"), slog.Int64("user_id", 7))
	records = append(records, r, slog.NewRecord(time.Time{}, slog.LevelInfo, "no time", 0))
	for _, r := range records {
		var slogs, ours bytes.Buffer
		if err := slog.NewJSONHandler(&slogs, nil).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		line, ok := appendJSONRecord(nil, r)
		ours.Write(line)
		if !ok || ours.String() != slogs.String() {
			t.Errorf("taken %v:\n ours %s\nslog's %s", ok, ours.Bytes(), slogs.Bytes())
		}
	}
	// What it does not take, the real handler writes.
	for _, a := range []slog.Attr{slog.Any("err", errors.New("boom")), slog.Group("g", slog.Int("a", 1)), slog.Float64("nan", math.NaN()),
		slog.Time("far", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), {Key: "", Value: slog.StringValue("x")}} {
		r := slog.NewRecord(at, slog.LevelInfo, "other", 0)
		r.AddAttrs(a)
		if _, ok := appendJSONRecord(nil, r); ok {
			t.Errorf("took a record with %v", a)
		}
	}
}

// Through the server's logger: the fast lines, the records left to slog
// and those of a derived logger all arrive, each whole.
func TestServerLoggerWritesEveryRecord(t *testing.T) {
	var w countingWriter
	log, closeLog := NewServerLogger(&w)
	log.Info("request", "status", 200)
	log.Info("other", "err", errors.New("boom"))
	log.With("component", "x").Warn("derived", "n", 1)
	log.Debug("not at this level")
	closeLog()
	text, _ := w.state()
	for _, s := range []string{`"msg":"request","status":200}`, `"msg":"other","err":"boom"}`, `"msg":"derived","component":"x","n":1}`} {
		if !bytes.Contains([]byte(text), []byte(s)) {
			t.Errorf("the log lacks %s:\n%s", s, text)
		}
	}
	if bytes.Count([]byte(text), []byte("\n")) != 3 {
		t.Errorf("want 3 lines:\n%s", text)
	}
}
