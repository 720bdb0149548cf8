// Package benchkit holds what the benchmark commands (bench, bench/pressure,
// bench/replicas) share: where the repository is, what machine the figures
// come from, starting a server to measure and speaking to it.
package benchkit

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// RepoRoot is the nearest directory above the working directory with a
// go.mod, or the working directory.
func RepoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return wd
		}
	}
}

// Machine describes the CPU, the cores and the Go version, for the line of
// a report that says where its figures were measured.
func Machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s", model, runtime.NumCPU(), runtime.Version())
}

// FreeAddr is an address on the loopback that nothing listens on now, for
// a server started next.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// WaitHealthy asks base's /healthz until it answers 200, for a minute at
// most; it reports whether it did.
func WaitHealthy(base string) bool {
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

// Serve starts `bin serve` on a free address with args after --addr and
// --metrics-addr, env added to this process's environment and its output in
// logs, and waits for /healthz. stop interrupts the server and waits for it
// to end; it may be called more than once.
func Serve(bin string, logs io.Writer, env []string, args ...string) (base string, stop func(), err error) {
	addr, err := FreeAddr()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--metrics-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		})
	}
	base = "http://" + addr
	if WaitHealthy(base) {
		return base, stop, nil
	}
	stop()
	return "", nil, fmt.Errorf("factdesk serve on %s did not become healthy", addr)
}
