package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A stat of the WAL is reused for statReuse: a write of another process is
// seen once that has passed, one of this process at once.
func TestChangesReuseAStatBriefly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factdesk.db")
	wal := path + "-wal"
	if err := os.WriteFile(wal, []byte("commit 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	var c changes
	c.trackSQLite(path)
	generation := func() uint64 { return c.gen.Load() ^ c.filesSignature() }
	start := time.Now()
	first := generation()
	if err := os.WriteFile(wal, []byte("commit 2 by another process"), 0o644); err != nil {
		t.Fatal(err)
	}
	again := generation()
	if time.Since(start) < statReuse && again != first {
		t.Error("a stat was not reused within the window")
	}
	c.committed() // a commit of this process
	if generation() == again {
		t.Fatal("this process's commit did not move the generation at once")
	}
	time.Sleep(2 * statReuse)
	if c.filesSignature() != c.statFiles() {
		t.Error("another process's commit was not seen after the window")
	}
}
