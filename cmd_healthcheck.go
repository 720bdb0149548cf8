package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// runHealthcheck asks a running server's /healthz and exits 0 when it
// answers 200: the container's HEALTHCHECK, in an image with no shell or
// HTTP client of its own.
func runHealthcheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("healthcheck", "healthcheck [flags]", stderr)
	addr := addrFlag(fs, "address the server listens on")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if code, done := parse(fs, args); done {
		return code
	}
	url, err := healthURL(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk healthcheck: %v\n", err)
		return exitUsage
	}
	client := &http.Client{Timeout: *timeout}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk healthcheck: %v\n", err)
		return exitFail
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "factdesk healthcheck: %s answered %s\n", url, resp.Status)
		return exitFail
	}
	fmt.Fprintln(stdout, "ok")
	return exitOK
}

// healthURL turns a listen address into the URL of its /healthz; a server
// listening on every interface is asked on the loopback.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
