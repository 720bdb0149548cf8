package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// row is one line of the results table.
type row struct {
	Name      string
	Factdesk  string
	Reference string
	Ratio     string
	Target    string
	Met       string // yes, no, or empty when there is no target
	Note      string
}

type report struct {
	rows     []row
	nginxRSS int64
	profiles []string // pprof -top summaries of missed targets
	started  time.Time
	machine  string
	settings string
}

func (r *report) add(x row) {
	r.rows = append(r.rows, x)
	fmt.Printf("%-70s %-34s %-26s %-8s %-14s %s\n", x.Name, x.Factdesk, x.Reference, x.Ratio, x.Target, x.Met)
	if x.Note != "" {
		fmt.Printf("    %s\n", x.Note)
	}
}

func ratioRow(name string, f, n result, target float64, note string) row {
	ratio := f.RPS / n.RPS
	met := "no"
	if ratio >= target {
		met = "yes"
	}
	x := row{
		Name:      name,
		Factdesk:  fmt.Sprintf("%.0f req/s, p50 %s, p99 %s, %s CPU/req", f.RPS, ms(f.P50), ms(f.P99), us(f.CPUPerReq)),
		Reference: fmt.Sprintf("nginx %.0f req/s, p50 %s, p99 %s, %s CPU/req", n.RPS, ms(n.P50), ms(n.P99), us(n.CPUPerReq)),
		Ratio:     fmt.Sprintf("%.2f×", ratio),
		Target:    fmt.Sprintf("≥ %.1f×", target),
		Met:       met,
		Note:      note,
	}
	if f.Errors > 0 || n.Errors > 0 {
		x.Note = strings.TrimSpace(x.Note + fmt.Sprintf(" errors: factdesk %d (%s), nginx %d (%s)", f.Errors, f.Statuses, n.Errors, n.Statuses))
	}
	return x
}

func latencyRow(name string, f result, target time.Duration, note string) row {
	met := "no"
	if f.P99 < target {
		met = "yes"
	}
	x := row{
		Name:     name,
		Factdesk: fmt.Sprintf("p50 %s, p99 %s, %.0f req/s, %s CPU/req", ms(f.P50), ms(f.P99), f.RPS, us(f.CPUPerReq)),
		Target:   fmt.Sprintf("p99 < %s", ms(target)),
		Met:      met,
		Note:     note,
	}
	if f.Errors > 0 {
		x.Met = "no"
		x.Note = strings.TrimSpace(x.Note + fmt.Sprintf(" errors: %d (%s)", f.Errors, f.Statuses))
	}
	return x
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// markdown writes the results as bench/RESULTS.md.
func (r *report) markdown(w io.Writer) {
	fmt.Fprintf(w, "# Factdesk benchmark results\n\n")
	fmt.Fprintf(w, "Written by `go run ./bench` (%s), started %s UTC, on %s.\n\n", r.settings, r.started.UTC().Format("2006-01-02 15:04"), r.machine)
	fmt.Fprintf(w, "Load from wrk (2 threads) on the same machine as the server, so the load generator and the server share the two cores; "+
		"nginx serves a static copy of the same verdict page bytes from the same machine, with one worker per core. "+
		"Paired figures are the median of alternating rounds. CPU per request is the server's utime+stime (from /proc/PID/stat) over the run divided by the requests served.\n\n")
	fmt.Fprintln(w, "| measure | Factdesk | reference | ratio | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, x := range r.rows {
		name := x.Name
		if x.Note != "" {
			name += "<br><small>" + x.Note + "</small>"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", esc(name), esc(x.Factdesk), esc(x.Reference), x.Ratio, x.Target, x.Met)
	}
	for _, p := range r.profiles {
		fmt.Fprintf(w, "\n%s\n", p)
	}
}

func esc(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
