package web

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// countingWriter records what reaches the file and in how many writes.
type countingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	cut    bool // a write ended inside a line
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	w.cut = w.cut || !bytes.HasSuffix(p, []byte("\n"))
	return w.buf.Write(p)
}

func (w *countingWriter) state() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String(), w.writes
}

// Access log lines are written in batches; an error goes out at once with
// everything before it; closing writes the rest; every line stays whole.
func TestServerLoggerBuffers(t *testing.T) {
	var w countingWriter
	log, closeLog := NewServerLogger(&w)
	for i := range 100 {
		log.Info("request", "n", i, "route", "/claims/:id/:slug")
	}
	if _, writes := w.state(); writes > 1 {
		t.Errorf("100 lines took %d writes", writes)
	}
	log.Error("request", "status", 500, "request_id", "the-failing-one")
	text, writes := w.state()
	if !strings.Contains(text, `"request_id":"the-failing-one"`) || strings.Count(text, "\n") != 101 {
		t.Errorf("after an error, %d lines were written in %d writes", strings.Count(text, "\n"), writes)
	}
	log.Info("request", "n", "last")
	closeLog()
	closeLog() // a second call is harmless
	text, _ = w.state()
	if !strings.HasSuffix(text, `"n":"last"}`+"\n") {
		t.Errorf("closing did not write the last line: %q", text[max(0, len(text)-80):])
	}
	// A burst larger than the buffer never cuts a line in two.
	var big countingWriter
	log, closeLog = NewServerLogger(&big)
	line := strings.Repeat("x", 1000)
	for range 3 * logBufferBytes / 1000 {
		log.Info(line)
	}
	closeLog()
	text, writes = big.state()
	if writes < 3 || big.cut || strings.Count(text, "\n") != 3*logBufferBytes/1000 {
		t.Fatalf("%d lines in %d writes (a line cut: %v)", strings.Count(text, "\n"), writes, big.cut)
	}
}
