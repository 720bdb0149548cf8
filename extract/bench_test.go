package extract

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// tenKWords repeats the demo document (and a debate-style paragraph when the
// demo is absent) to at least 10,000 words.
func tenKWords(tb testing.TB) string {
	b, err := readFileOr(demoPath)
	if err != nil {
		b = "We have lost 700,000 jobs in America since January, Mr. Smith said. " +
			"The U.S. deficit was $4.2 trillion in 2012. Will it continue? We must act now.\n"
	}
	var sb strings.Builder
	for len(strings.Fields(sb.String())) < 10000 {
		sb.WriteString(b)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

func BenchmarkDetect10kWords(b *testing.B) {
	text := tenKWords(b)
	b.SetBytes(int64(len(text)))
	b.ReportMetric(float64(len(strings.Fields(text))), "words")
	loopCPU(b, func() { Detect(text, DefaultThreshold) })
}

// loopCPU runs op for the benchmark and reports its CPU time per run
// besides the wall time, where the machine has a CPU clock: the budgets
// of issue 16 are CPU time on one core.
func loopCPU(b *testing.B, op func()) {
	start := cpuTime()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	if c := cpuTime() - start; c > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(n), "cpu-ms/op")
	}
}

func BenchmarkReanchor(b *testing.B) {
	text := tenKWords(b)
	quote := "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan"
	if !strings.Contains(text, quote) {
		b.Skip("demo document not available")
	}
	old := mustAnchor(b, text, quote)
	edited := strings.Replace(text, "operating inside", "active inside", -1)
	b.ResetTimer()
	for b.Loop() {
		Reanchor(old, edited)
	}
}

// BenchmarkClaimant10kWords is the share of BenchmarkDetect10kWords that
// claimant suggestions add: the same sentences, already tokenized as the
// scorer leaves them, read for a claimant.
func BenchmarkClaimant10kWords(b *testing.B) {
	text := tenKWords(b)
	type sent struct {
		text string
		toks []token
	}
	var ss []sent
	for _, s := range Sentences(text) {
		ss = append(ss, sent{s.Text, tokenize(s.Text, nil)})
	}
	b.ResetTimer()
	for b.Loop() {
		prev := ""
		for _, s := range ss {
			claimantIn(s.text, s.toks, prev)
			prev = s.text
		}
	}
}

// BenchmarkPropose10kWords is detection as issue 16 ships it: every
// sentence scored, cut into clauses, each clause scored, spanned and read
// for a claimant.
func BenchmarkPropose10kWords(b *testing.B) {
	text := tenKWords(b)
	b.SetBytes(int64(len(text)))
	loopCPU(b, func() { Propose(text, DefaultThreshold) })
}

// TestProposeCPUTime holds Propose to issue 16's budget: 10,000 words in
// under 20 ms of CPU on one core. CPU time, not wall time, and the best
// of seven runs, so a busy machine does not fail it.
func TestProposeCPUTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	text := tenKWords(t)
	Propose(text, DefaultThreshold) // warm
	best := time.Hour
	for range 7 {
		// Process CPU time counts every thread: collect the garbage of
		// the tests before (model training) first.
		runtime.GC()
		start := cpuTime()
		Propose(text, DefaultThreshold)
		if d := cpuTime() - start; d > 0 && d < best {
			best = d
		}
	}
	if best == time.Hour {
		t.Skip("no CPU clock")
	}
	if best > 20*time.Millisecond {
		t.Errorf("Propose of 10,000 words took %v of CPU, want < 20ms", best)
	}
}
