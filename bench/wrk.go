package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// load is one wrk run: paths are requested at random, each with headers.
type load struct {
	Name        string
	BaseURL     string
	Paths       []string
	Headers     map[string]string
	Connections int
	Duration    time.Duration
	// PIDs are the server's processes whose CPU time the run charges.
	PIDs func() []int
	// slow: each request takes seconds; profile it with a few requests
	// one after another instead of wrk.
	slow bool
}

// result is what a run measured.
type result struct {
	Requests   int64
	Errors     int64 // connection errors, timeouts, and statuses of 400 and up
	RPS        float64
	P50, P99   time.Duration
	CPUPerReq  time.Duration
	Statuses   string
	WallTime   time.Duration
	ServerCPU  time.Duration
	Connection int
}

// The script picks a path at random per request and prints the figures as
// one JSON line that the run parses; wrk's own report rounds them.
const wrkScript = `
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths+1] = line end
local status = {}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) codes = {} end
request = function()
	return wrk.format(nil, paths[math.random(#paths)])
end
response = function(s, headers, body)
	codes[s] = (codes[s] or 0) + 1
end
done = function(summary, latency, requests)
	local all = {}
	for _, t in ipairs(threads) do
		local c = t:get("codes")
		for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
	end
	local parts = {}
	for k, v in pairs(all) do parts[#parts+1] = string.format('"%d":%d', k, v) end
	io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"codes":{%s}}\n',
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
		summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
		table.concat(parts, ",")))
end
`

type wrkReport struct {
	Requests   int64            `json:"requests"`
	DurationUS int64            `json:"duration_us"`
	P50US      int64            `json:"p50_us"`
	P99US      int64            `json:"p99_us"`
	Connect    int64            `json:"connect"`
	Read       int64            `json:"read"`
	Write      int64            `json:"write"`
	Status     int64            `json:"status"`
	Timeout    int64            `json:"timeout"`
	Codes      map[string]int64 `json:"codes"`
}

// runWrk runs wrk with two threads (one per core; the server shares them).
func runWrk(ctx context.Context, wrkBin, dir string, l load) (result, error) {
	script := filepath.Join(dir, "bench.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return result{}, err
	}
	pathsFile := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(l.Name)+".paths")
	if err := os.WriteFile(pathsFile, []byte(strings.Join(l.Paths, "\n")+"\n"), 0o644); err != nil {
		return result{}, err
	}
	threads := 2
	if l.Connections < threads {
		threads = l.Connections
	}
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(l.Connections),
		"-d", fmt.Sprintf("%ds", int(l.Duration.Seconds())), "--timeout", "10s", "-s", script}
	for k, v := range l.Headers {
		args = append(args, "-H", k+": "+v)
	}
	args = append(args, l.BaseURL)
	cmd := exec.CommandContext(ctx, wrkBin, args...)
	cmd.Env = append(os.Environ(), "BENCH_PATHS="+pathsFile)
	var pids []int
	if l.PIDs != nil {
		pids = l.PIDs()
	}
	cpu0 := cpuOf(pids)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	cpu := cpuOf(pids) - cpu0
	if err != nil {
		return result{}, fmt.Errorf("wrk %s: %w\n%s", l.Name, err, out)
	}
	var rep wrkReport
	for _, line := range strings.Split(string(out), "\n") {
		if j, ok := strings.CutPrefix(line, "BENCH "); ok {
			if err := json.Unmarshal([]byte(j), &rep); err != nil {
				return result{}, fmt.Errorf("wrk %s: %w: %s", l.Name, err, j)
			}
		}
	}
	if rep.Requests == 0 {
		return result{}, fmt.Errorf("wrk %s: no requests completed\n%s", l.Name, out)
	}
	r := result{
		Requests:   rep.Requests,
		Errors:     rep.Connect + rep.Read + rep.Write + rep.Timeout + rep.Status,
		RPS:        float64(rep.Requests) / (float64(rep.DurationUS) / 1e6),
		P50:        time.Duration(rep.P50US) * time.Microsecond,
		P99:        time.Duration(rep.P99US) * time.Microsecond,
		ServerCPU:  cpu,
		WallTime:   wall,
		Connection: l.Connections,
		Statuses:   codesString(rep.Codes),
	}
	if rep.Requests > 0 {
		r.CPUPerReq = cpu / time.Duration(rep.Requests)
	}
	return r, nil
}

func codesString(codes map[string]int64) string {
	var parts []string
	for _, k := range []string{"200", "304", "400", "401", "403", "404", "429", "500", "503"} {
		if n := codes[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s×%d", k, n))
		}
	}
	for k, n := range codes {
		if !strings.Contains(" 200 304 400 401 403 404 429 500 503 ", " "+k+" ") {
			parts = append(parts, fmt.Sprintf("%s×%d", k, n))
		}
	}
	return strings.Join(parts, " ")
}
