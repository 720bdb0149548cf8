package web

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The access log writes a line per request. Written one by one, each line
// is a write system call, which under load cost as much as answering a
// 304. So `factdesk serve` logs through a buffer: lines are written in
// batches every logFlushEvery, at once when a record is a warning or an
// error (a 500, a panic: an operator looking at one must find it there),
// and when the server stops.

// logFlushEvery bounds how long an access log line waits in the buffer.
const logFlushEvery = 200 * time.Millisecond

// logBufferBytes is the buffer's size; a full buffer is written at once.
const logBufferBytes = 64 << 10

// NewServerLogger returns the JSON logger of `factdesk serve`, writing to w
// through a buffer, and the function that stops it and writes what it
// holds; call it once the server has stopped.
func NewServerLogger(w io.Writer) (*slog.Logger, func()) {
	b := &logBuffer{w: bufio.NewWriterSize(w, logBufferBytes), dst: w, stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(logFlushEvery)
	var once sync.Once
	closeLog := func() {
		once.Do(func() {
			close(b.stop)
			<-b.done
			b.flush()
		})
	}
	return slog.New(jsonLines{buf: b, json: slog.NewJSONHandler(b, nil)}), closeLog
}

// logBuffer is a bufio.Writer shared by the handler and the flusher.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	dst  io.Writer
	stop chan struct{}
	done chan struct{}
}

// Write takes one whole record (the JSON handler writes each in one call).
// A record never straddles two writes, so lines written to the same file
// by others stay whole.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) > b.w.Available() && b.w.Buffered() > 0 {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}

func (b *logBuffer) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.flushLocked()
}

// flushLocked writes the buffer out. A bufio.Writer stays failed after one
// error; the lines it held are dropped instead, so a full disk that frees
// up again gets the log back.
func (b *logBuffer) flushLocked() error {
	err := b.w.Flush()
	if err != nil {
		b.w.Reset(b.dst)
	}
	return err
}

func (b *logBuffer) flushEvery(d time.Duration) {
	defer close(b.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.flush()
		}
	}
}

// flushingHandler writes the buffer out after every warning and error.
type flushingHandler struct {
	slog.Handler
	buf *logBuffer
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.buf.flush()
	}
	return err
}

func (h flushingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushingHandler{Handler: h.Handler.WithAttrs(attrs), buf: h.buf}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{Handler: h.Handler.WithGroup(name), buf: h.buf}
}
