package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"factdesk/bench/benchkit"
)

// checkTools stops the run early, with the command that installs them, when
// the load generator or the reference server is missing.
func checkTools() (wrk, nginx string, err error) {
	var missing []string
	if wrk, err = exec.LookPath("wrk"); err != nil {
		missing = append(missing, "wrk")
	}
	nginx, err = exec.LookPath("nginx")
	if err != nil {
		if _, statErr := os.Stat("/usr/sbin/nginx"); statErr == nil {
			nginx, err = "/usr/sbin/nginx", nil
		} else {
			missing = append(missing, "nginx")
		}
	}
	if len(missing) > 0 {
		return "", "", fmt.Errorf("%s not found: install with `apt-get install wrk nginx-light`", strings.Join(missing, " and "))
	}
	return wrk, nginx, nil
}

// buildFactdesk compiles the factdesk command into dir, as it ships.
func buildFactdesk(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "factdesk")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = benchkit.RepoRoot()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build factdesk: %w", err)
	}
	return bin, nil
}

// server is a running `factdesk serve`.
type server struct {
	cmd  *exec.Cmd
	URL  string
	logs *os.File
}

var servingRE = regexp.MustCompile(`serving on (http://\S+)`)

// startFactdesk starts the built binary on a free port of 127.0.0.1 over
// the database at dbPath, and waits until it says where it serves.
func startFactdesk(bin, dbPath, logPath string, extraEnv ...string) (*server, error) {
	logs, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-database", dbPath, "-no-demo", "-metrics-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.Stderr = logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start factdesk: %w", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
	}()
	select {
	case u := <-found:
		return &server{cmd: cmd, URL: u, logs: logs}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("factdesk did not start in 60s; see %s", logPath)
	}
}

func (s *server) PID() int { return s.cmd.Process.Pid }

// Stop ends the server gracefully and waits for it.
func (s *server) Stop() {
	stopProcess(s.cmd, syscall.SIGTERM, 40*time.Second, func() { s.cmd.Process.Kill() })
	s.logs.Close()
}

// stopProcess sends cmd sig and waits for it to end; after grace it calls
// kill and waits on.
func stopProcess(cmd *exec.Cmd, sig syscall.Signal, grace time.Duration, kill func()) {
	cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		kill()
		<-done
	}
}

// cpuTicks is utime+stime of a process in clock ticks, from /proc/PID/stat.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces: the fields start after its ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("bad /proc stat")
	}
	f := strings.Fields(s[i+1:])
	// Fields after ')' start at field 3 (state); utime is 14, stime 15.
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return ut + st, nil
}

// clockTick is USER_HZ, 100 on every Linux this runs on.
const clockTick = 100

// cpuOf sums the CPU ticks of a set of processes.
func cpuOf(pids []int) time.Duration {
	var t int64
	for _, p := range pids {
		n, err := cpuTicks(p)
		if err == nil {
			t += n
		}
	}
	return time.Duration(t) * time.Second / clockTick
}

// children lists the processes whose parent is pid (nginx's workers).
func children(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// peakRSS is VmHWM, the most resident memory the process ever had.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return hwm(f)
}

func hwm(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}
