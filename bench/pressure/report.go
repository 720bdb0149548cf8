package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"factdesk/bench/benchkit"
)

const sectionTitle = "## Under pressure (issue 12)"

type report struct {
	cfg       config
	fx        *fixture
	res       results
	slow      serveLog
	loadAfter string
}

// markdown is the section of RESULTS.md: conditions, the table, the
// verdict and what the server's log says.
func (r report) markdown() string {
	var b strings.Builder
	c := r.cfg
	fmt.Fprintf(&b, "%s\n\n", sectionTitle)
	fmt.Fprintf(&b, "Written by `%s`, started %s, on %s; load average %s at the start, %s at the end.\n\n",
		c.commandLine, c.startedAt.Format("2006-01-02 15:04 UTC"), benchkit.Machine(), c.loadAvgAtStart, r.loadAfter)
	fmt.Fprintf(&b, "One `factdesk serve` with its default flags on a fresh SQLite file, holding the demo document and %d public documents of %s of generated news prose each. For %v, all at once and back to back: one client imports %s documents (each with three listed claims, so each is public), %d anonymous clients (each its own connections, no cookie) alternate `GET /api/v1/search` and `GET /search` over broad words and pairs (%s) and send If-None-Match when they have an ETag; one editor (API token) reads a claim's version and PATCHes its claimant, over %d claims in turn; one editor session fetches `/desk`, `/desk/claims`, `/desk/documents` and a claim's desk page. The clients share 127.0.0.1, so the per-address search limit answers most anonymous searches 429, as it should. The load generator runs on the same cores as the server.\n\n",
		c.docs, size(c.docSize), c.duration, size(c.docSize), c.anon, quoted(queries), c.claims)
	imp := slices.Clone(r.fx.setupImports)
	slices.Sort(imp)
	if len(imp) > 0 {
		fmt.Fprintf(&b, "Before the timed run, each import alone took %s to %s (median %s) and stored %d claims: the 3 listed and the candidates detection proposed in the generated prose, which is dense with figures. ",
			msText(imp[0]), msText(imp[len(imp)-1]), msText(imp[len(imp)/2]), r.fx.perImport)
	}
	fmt.Fprintf(&b, "The timed run lasted %v: the requests under way at the end were waited for.\n\n", r.res.elapsed.Round(100*time.Millisecond))
	b.WriteString("| workload | requests | req/s | statuses | p50 | p99 | max | over 1 s |\n|---|---:|---:|---|---:|---:|---:|---:|\n")
	for _, w := range r.res.workloads {
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %s | %s | %d |\n", w.name, w.n, w.rps, codes(w.codes), msText(w.p50), msText(w.p99), msText(w.max), w.over)
	}
	b.WriteString("\n")
	met, n, maxEd, bad, retried, failures := true, 0, time.Duration(0), 0, 0, []string(nil)
	for _, w := range r.res.workloads {
		if !w.editor || strings.HasPrefix(w.name, "editor: GET ") {
			continue // the per-page rows repeat "desk pages (all four)"
		}
		n += w.n
		maxEd = max(maxEd, w.max)
		bad += w.n - w.ok2xx - w.retried
		retried += w.retried
		failures = append(failures, w.failures...)
	}
	if bad > 0 || maxEd > target || n == 0 {
		met = false
	}
	verdict := "met"
	if !met {
		verdict = "not met"
	}
	fmt.Fprintf(&b, "**Target (editors' PATCHes and desk pages all succeed, each within 1 s): %s.** %d editor requests: %d not 2xx", verdict, n, bad)
	if retried > 0 {
		fmt.Fprintf(&b, " (besides %d 409s answered by a re-read and a successful retry)", retried)
	}
	fmt.Fprintf(&b, "; slowest %s.", msText(maxEd))
	if len(failures) > 0 {
		fmt.Fprintf(&b, " First failures: %s.", strings.Join(failures, "; "))
	}
	fmt.Fprintf(&b, " Anonymous and import answers other than 2xx, 304, 429 and 503 (a 500, or no answer): %d.\n\n", r.badOthers())
	b.WriteString(r.slow.markdown())
	return b.String()
}

func (r report) badOthers() int {
	n := 0
	for _, w := range r.res.workloads {
		if !w.editor {
			n += w.bad5xx
		}
	}
	return n
}

// serveLog is what the server's JSON log says about the run.
type serveLog struct {
	read     bool
	requests int
	errors   map[string]int // 5xx (not 503) and cut answers, by method and route
	messages map[string]int // warnings and errors other than access lines
	slowest  []logLine      // the slowest editor requests, by the server's clock
}

type logLine struct {
	Msg        string  `json:"msg"`
	Level      string  `json:"level"`
	Method     string  `json:"method"`
	Route      string  `json:"route"`
	Path       string  `json:"path"`
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	UserID     int64   `json:"user_id"`
	Error      string  `json:"error"`
}

func readServeLog(path string) serveLog {
	out := serveLog{errors: map[string]int{}, messages: map[string]int{}}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	out.read = true
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var editors []logLine
	for sc.Scan() {
		var l logLine
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		if l.Msg != "request" {
			if l.Level == "WARN" || l.Level == "ERROR" {
				msg := l.Msg
				if l.Error != "" {
					msg += ": " + l.Error
				}
				out.messages[msg]++
			}
			continue
		}
		out.requests++
		if l.Status == 0 || (l.Status >= 500 && l.Status != 503) {
			out.errors[fmt.Sprintf("%s %s %d", l.Method, l.Route, l.Status)]++
		}
		if l.UserID != 0 && (l.Method == "PATCH" || strings.HasPrefix(l.Route, "/desk") || l.Route == "/api/v1/claims/:id") {
			editors = append(editors, l)
		}
	}
	slices.SortFunc(editors, func(a, b logLine) int { return int(b.DurationMS*1000 - a.DurationMS*1000) })
	out.slowest = editors[:min(5, len(editors))]
	return out
}

func (s serveLog) markdown() string {
	if !s.read {
		return "The server's log could not be read.\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The server's log (%d access lines): ", s.requests)
	if len(s.errors) == 0 {
		b.WriteString("no 5xx other than 503 and no cut connection")
	} else {
		b.WriteString("errors " + counts(s.errors))
	}
	if len(s.messages) == 0 {
		b.WriteString("; no other warning or error")
	} else {
		b.WriteString("; warnings and errors " + counts(s.messages))
	}
	b.WriteString(". Slowest editor requests by the server's clock: ")
	var parts []string
	for _, l := range s.slowest {
		parts = append(parts, fmt.Sprintf("%s %s %d in %.1f ms", l.Method, l.Path, l.Status, l.DurationMS))
	}
	b.WriteString(strings.Join(parts, ", ") + ".\n")
	return b.String()
}

// writeSection puts md in place of the file's section of the same title,
// or at its end; the rest of the file stays as it is.
func writeSection(path, md string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	if i := strings.Index(s, sectionTitle+"\n"); i >= 0 {
		rest := s[i+len(sectionTitle):]
		end := len(s)
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = i + len(sectionTitle) + j + 1
		}
		s = s[:i] + md + tail(s[end:])
	} else {
		if s != "" && !strings.HasSuffix(s, "\n\n") {
			s = strings.TrimRight(s, "\n") + "\n\n"
		}
		s += md
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

// tail is what follows a replaced section, a blank line from it.
func tail(s string) string {
	if s == "" {
		return ""
	}
	return "\n" + s
}

func codes(m map[int]int) string {
	return sortedCounts(m, func(k, n int) string {
		if k == 0 {
			return fmt.Sprintf("no answer: %d", n)
		}
		return fmt.Sprintf("%d: %d", k, n)
	})
}

func counts(m map[string]int) string {
	return sortedCounts(m, func(k string, n int) string { return fmt.Sprintf("%s ×%d", strings.ReplaceAll(k, "|", "/"), n) })
}

// sortedCounts joins the counts of m, each as one says it, in the order of
// their keys, so that two reports of one run read alike.
func sortedCounts[K cmp.Ordered](m map[K]int, one func(K, int) string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, one(k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func quoted(qs []string) string {
	parts := make([]string, len(qs))
	for i, q := range qs {
		parts[i] = fmt.Sprintf("%q", q)
	}
	return strings.Join(parts, ", ")
}

func msText(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
