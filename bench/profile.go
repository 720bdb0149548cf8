package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	factdesk "factdesk/server"
	"factdesk/store"
)

// miss is a load whose target was missed, to profile afterwards.
type miss struct {
	name string
	db   string
	l    load
}

// missed notes a load to profile when its row missed its target.
func (e *env) missed(x row, dbPath string, l load) {
	if x.Met == "no" {
		e.misses = append(e.misses, miss{name: x.Name, db: dbPath, l: l})
	}
}

// profileMisses runs each missed load again against Factdesk's handler in
// this process, under the CPU profiler, and keeps pprof's top functions:
// where the time goes.
func (e *env) profileMisses(fx, sfx *fixture) {
	for i, m := range e.misses {
		text, err := e.profile(m, i)
		if err != nil {
			e.logf("profile %s: %v", m.name, err)
			continue
		}
		e.out.profiles = append(e.out.profiles, fmt.Sprintf("## Where the time goes: %s\n\n"+
			"CPU profile of the same load against the same handler (api.New) run inside the bench process for %s; `go tool pprof -top`, first lines:\n\n```\n%s```", m.name, e.duration, text))
	}
}

func (e *env) profile(m miss, i int) (string, error) {
	db, err := store.Open(e.ctx, m.db, store.Options{NoMigrate: true})
	if err != nil {
		return "", err
	}
	defer db.Close()
	h, err := factdesk.New(factdesk.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1", OrgName: "Factdesk"})
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	path := filepath.Join(e.dir, fmt.Sprintf("cpu-%d.pprof", i))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	l := m.l
	l.BaseURL, l.PIDs, l.Name = "http://"+ln.Addr().String(), nil, l.Name+"-profile"
	if err := pprof.StartCPUProfile(f); err != nil {
		return "", err
	}
	if l.slow {
		c := newClient(l.BaseURL, "")
		hdr := []string{}
		for k, v := range l.Headers {
			hdr = append(hdr, k, v)
		}
		c.do("GET", l.Paths[0], nil, nil, hdr...)
	} else if _, err := runWrk(e.ctx, e.wrk, e.dir, l); err != nil {
		// A load that timed out still leaves a profile of where it spent.
		e.logf("profile load %s: %v", l.Name, err)
	}
	pprof.StopCPUProfile()
	f.Close()
	// Flat: the functions that burn the CPU; cumulative, restricted to the
	// layers of the stack we control, to say which layer spends it.
	flat, err := pprofTop(e.ctx, path, "-nodecount=15")
	if err != nil {
		return "", err
	}
	cum, err := pprofTop(e.ctx, path, "-cum", "-nodecount=30", `-show=factdesk|gorm|sqlite3|database/sql|gin-gonic|encoding/json|log/slog|html/template|prometheus|net/http\.`)
	if err != nil {
		return "", err
	}
	return flat + "\n" + cum, nil
}

func pprofTop(ctx context.Context, path string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", append(append([]string{"tool", "pprof", "-top"}, args...), path)...).Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Type:") || strings.HasPrefix(line, "Time:") || strings.HasPrefix(line, "Dropped ") || strings.HasPrefix(line, "Active filters") || strings.HasPrefix(line, "   show=") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n"), nil
}
