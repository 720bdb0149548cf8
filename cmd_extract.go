package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"factdesk/extract"
)

// runExtract prints the proposed claims of a text (a file or standard
// input) as a JSON array, with code-point offsets into that text.
func runExtract(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "print every sentence with its score, not only the candidates")
	threshold := fs.Float64("threshold", extract.DefaultThreshold, "the score a sentence needs to be a candidate (0..1)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: factdesk extract [--all] [--threshold N] [FILE]\n\nPrints the check-worthy sentences of FILE (standard input when absent) as JSON.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "factdesk extract: at most one file")
		return exitUsage
	}
	if *threshold < 0 || *threshold > 1 {
		fmt.Fprintln(stderr, "factdesk extract: --threshold must be between 0 and 1")
		return exitUsage
	}
	in, name := stdin, "standard input"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "factdesk extract: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	b, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk extract: reading %s: %v\n", name, err)
		return exitUsage
	}
	if !utf8.Valid(b) {
		fmt.Fprintf(stderr, "factdesk extract: %s is not valid UTF-8\n", name)
		return exitUsage
	}
	var out []extract.Sentence
	if *all {
		out = extract.Sentences(string(b))
	} else {
		out = extract.Detect(string(b), *threshold)
	}
	if out == nil {
		out = []extract.Sentence{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "factdesk extract: %v\n", err)
		return exitFail
	}
	return exitOK
}

// runEvalDetect cross-validates the detector on the labelled ClaimBuster
// sentences: each fold is scored by a model trained without it.
func runEvalDetect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval-detect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/eval/kfold_25ncs.csv", "labelled sentences (CSV: sentence_id,screening,label,text)")
	folds := fs.Int("folds", 4, "number of cross-validation folds")
	threshold := fs.Float64("threshold", extract.DefaultThreshold, "the score a sentence needs to count as check-worthy")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: factdesk eval-detect [--data FILE] [--folds N] [--threshold N]\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 || *folds < 2 {
		fs.Usage()
		return exitUsage
	}
	f, err := os.Open(*data)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk eval-detect: %v\n", err)
		return exitUsage
	}
	defer f.Close()
	ex, err := extract.ReadExamples(f)
	if err != nil {
		fmt.Fprintf(stderr, "factdesk eval-detect: %v\n", err)
		return exitUsage
	}
	if len(ex) < *folds {
		fmt.Fprintf(stderr, "factdesk eval-detect: %d sentences is too few for %d folds\n", len(ex), *folds)
		return exitUsage
	}
	start := time.Now()
	res := extract.CrossValidate(ex, *folds, *threshold, extract.TrainOptions{})
	fmt.Fprintf(stdout, "claim detection, %d-fold cross-validation on %s (%d sentences), threshold %.2f\n\n", *folds, *data, len(ex), *threshold)
	fmt.Fprintf(stdout, "| fold | test | precision | recall | F1 | avg precision |\n|---|---|---|---|---|---|\n")
	var p, r, f1, ap, secs float64
	n := 0
	for _, x := range res {
		fmt.Fprintf(stdout, "| %d | %d | %.3f | %.3f | %.3f | %.3f |\n", x.Fold, x.Test, x.Precision, x.Recall, x.F1, x.AveragePrecision)
		p += x.Precision
		r += x.Recall
		f1 += x.F1
		ap += x.AveragePrecision
		secs += x.Seconds
		n += x.Test
	}
	k := float64(len(res))
	fmt.Fprintf(stdout, "| mean | %d | %.3f | %.3f | %.3f | %.3f |\n\n", n, p/k, r/k, f1/k, ap/k)
	// The sweep is how DefaultThreshold was chosen: the cut with the best
	// mean F1 over the held-out folds.
	fmt.Fprintf(stdout, "mean F1 by threshold:")
	bestT, bestF := 0.0, -1.0
	for pct := 20; pct <= 60; pct++ {
		t := float64(pct) / 100
		var sum float64
		for _, x := range res {
			_, _, f, _ := extract.Metrics(x.Scores, x.Labels, t)
			sum += f / k
		}
		if sum > bestF+1e-9 {
			bestT, bestF = t, sum
		}
		if pct%5 == 0 {
			fmt.Fprintf(stdout, " %.2f→%.3f", t, sum)
		}
	}
	fmt.Fprintf(stdout, "\nbest mean F1 %.3f at threshold %.2f (DefaultThreshold %.2f)\n", bestF, bestT, extract.DefaultThreshold)
	if secs > 0 {
		fmt.Fprintf(stdout, "throughput: %.0f sentences/s scored (one core), %.1fs in all with training\n", float64(n)/secs, time.Since(start).Seconds())
	}
	return exitOK
}
