package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"factdesk/bench/benchkit"
)

// nginxServer is nginx serving a directory of static files: the physical
// limit of serving those bytes on this machine.
type nginxServer struct {
	cmd *exec.Cmd
	URL string
	dir string
}

// startNginx runs nginx in the foreground with a config of its own in dir,
// one worker per core (as many as Go's GOMAXPROCS), logging off.
func startNginx(bin, dir, root string) (*nginxServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	user := ""
	if os.Geteuid() == 0 {
		// Workers would drop to nobody, who cannot read a private temp dir.
		user = "user root;"
	}
	for _, d := range []string{"tmp", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	conf := fmt.Sprintf(`%s
worker_processes %d;
daemon off;
pid %[3]s/nginx.pid;
error_log %[3]s/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path %[3]s/tmp/body;
	proxy_temp_path %[3]s/tmp/proxy;
	fastcgi_temp_path %[3]s/tmp/fastcgi;
	uwsgi_temp_path %[3]s/tmp/uwsgi;
	scgi_temp_path %[3]s/tmp/scgi;
	types { text/html html; }
	server {
		listen 127.0.0.1:%[4]d;
		root %[5]s;
		location / { try_files $uri $uri/index.html =404; }
	}
}
`, user, runtime.GOMAXPROCS(0), dir, port, root)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "logs", "error.log"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if out, err := exec.Command(bin, "-t", "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "logs", "error.log")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("nginx config: %v\n%s", err, out)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	n := &nginxServer{cmd: cmd, URL: "http://127.0.0.1:" + strconv.Itoa(port), dir: dir}
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(n.URL + "/"); err == nil {
			resp.Body.Close()
			return n, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	n.Stop()
	return nil, fmt.Errorf("nginx did not answer on %s", n.URL)
}

// PIDs are the master and its workers.
func (n *nginxServer) PIDs() []int {
	return append([]int{n.cmd.Process.Pid}, children(n.cmd.Process.Pid)...)
}

// PeakRSS adds up the workers' VmHWM (the master only forks them).
func (n *nginxServer) PeakRSS() int64 {
	var total int64
	for _, p := range n.PIDs() {
		if b, err := peakRSS(p); err == nil {
			total += b
		}
	}
	return total
}

func (n *nginxServer) Stop() {
	stopProcess(n.cmd, syscall.SIGQUIT, 10*time.Second, func() { syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL) })
}

func freePort() (int, error) {
	addr, err := benchkit.FreeAddr()
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(addr[strings.LastIndexByte(addr, ':')+1:])
}
