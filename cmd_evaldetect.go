package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"factdesk/extract"
)

// The labelled sets eval-detect knows by name. Files are found from the
// repository root (the directory holding go.mod, looked for upwards from
// the working directory): the shared data beside it, the news set inside.
var evalSets = []struct {
	name, file, what string
}{
	{"ct24-dev-test", "eval:CT24_checkworthy_english_dev-test.tsv", "CheckThat! 2024 English dev-test, scored by the embedded model (which never saw it)"},
	{"news", "repo:extract/testdata/news_opinion.tsv", "news and opinion sentences written for Factdesk, scored by the embedded model through Propose (the rules were fixed against them)"},
	{"news-fresh", "repo:extract/testdata/news_opinion_fresh.tsv", "news and opinion sentences written after the rules were fixed, scored the same way"},
	{"ct24-dev", "eval:CT24_checkworthy_english_dev.tsv", "CheckThat! 2024 English dev, scored by a model trained on train alone at the default threshold"},
	{"claimbuster", "eval:kfold_25ncs.csv", "ClaimBuster 2.5xNCS, 4-fold cross-validation trained on the other folds, threshold chosen inside each fold"},
	{"claimbuster+ct24", "eval:kfold_25ncs.csv", "ClaimBuster 2.5xNCS, 4-fold cross-validation trained on the other folds plus CheckThat! train+dev less the test fold's sentences, threshold chosen inside each fold"},
}

// evalResult is one data set's figures; the JSON format prints a list of them.
type evalResult struct {
	Data       string            `json:"data"`
	File       string            `json:"file"`
	Method     string            `json:"method"`
	Sentences  int               `json:"sentences"`
	Threshold  float64           `json:"threshold"`
	Precision  float64           `json:"precision"`
	Recall     float64           `json:"recall"`
	F1         float64           `json:"f1"`
	AvgPrec    float64           `json:"average_precision"`
	Folds      []evalFold        `json:"folds,omitempty"`
	Categories map[string][2]int `json:"categories,omitempty"` // right, total
	Seconds    float64           `json:"seconds"`
	Note       string            `json:"note,omitempty"`
	PerSecond  float64           `json:"sentences_per_second,omitempty"`
	scores     []float64
}

type evalFold struct {
	Fold      int     `json:"fold"`
	Test      int     `json:"test"`
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	AvgPrec   float64 `json:"average_precision"`
}

// repoRoot is the nearest directory upwards from dir that holds go.mod.
func repoRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above the working directory: run inside the repository or give --eval-dir")
		}
	}
}

// runEvalDetect measures the detector on labelled sentences.
func runEvalDetect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval-detect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var names []string
	for _, s := range evalSets {
		names = append(names, s.name)
	}
	data := fs.String("data", "all", "what to evaluate: all, a comma-separated list of "+strings.Join(names, ", ")+", or a labelled file (CSV or TSV) to cross-validate on")
	format := fs.String("format", "text", "output format: text, markdown or json")
	folds := fs.Int("folds", 4, "cross-validation folds")
	evalDir := fs.String("eval-dir", "", "the shared labelled data (default: ../shared/eval from the repository root)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: factdesk eval-detect [--data SETS|FILE] [--format text|markdown|json] [--folds N]\n\nData sets:")
		for _, s := range evalSets {
			fmt.Fprintf(stderr, "  %-17s %s\n", s.name, s.what)
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if code, done := parse(fs, args); done {
		return code
	}
	if fs.NArg() > 0 || *folds < 2 || !slices.Contains([]string{"text", "markdown", "json"}, *format) {
		fs.Usage()
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "factdesk eval-detect: %v\n", err)
		return exitUsage
	}
	root := ""
	resolve := func(file string) (string, error) {
		if root == "" {
			wd, err := os.Getwd()
			if err != nil {
				return "", err
			}
			if root, err = repoRoot(wd); err != nil {
				return "", err
			}
		}
		if f, ok := strings.CutPrefix(file, "repo:"); ok {
			return filepath.Join(root, f), nil
		}
		f := strings.TrimPrefix(file, "eval:")
		if *evalDir != "" {
			return filepath.Join(*evalDir, f), nil
		}
		return filepath.Join(root, "..", "shared", "eval", f), nil
	}
	read := func(path string) ([]extract.Example, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return extract.ReadExamples(f)
	}

	var results []evalResult
	var want []string
	if *data == "all" {
		want = names
	} else {
		want = strings.Split(*data, ",")
	}
	for _, w := range want {
		w = strings.TrimSpace(w)
		k := slices.IndexFunc(evalSets, func(s struct{ name, file, what string }) bool { return s.name == w })
		start := time.Now()
		var r evalResult
		if k < 0 {
			// A file of the user's: cross-validate on it.
			ex, err := read(w)
			if err != nil {
				return fail(err)
			}
			if len(ex) < *folds {
				return fail(fmt.Errorf("%d sentences is too few for %d folds", len(ex), *folds))
			}
			r = crossValidated(w, w, fmt.Sprintf("%d-fold cross-validation, threshold chosen inside each fold", *folds), extract.CrossValidateTuned(ex, *folds, extract.TrainOptions{}))
		} else {
			set := evalSets[k]
			path, err := resolve(set.file)
			if err != nil {
				return fail(err)
			}
			ex, err := read(path)
			if err != nil {
				return fail(err)
			}
			switch set.name {
			case "claimbuster":
				r = crossValidated(set.name, path, set.what, extract.CrossValidateTuned(ex, *folds, extract.TrainOptions{}))
			case "claimbuster+ct24":
				var extra []extract.Example
				for _, f := range []string{"eval:CT24_checkworthy_english_train.tsv", "eval:CT24_checkworthy_english_dev.tsv"} {
					p, err := resolve(f)
					if err != nil {
						return fail(err)
					}
					e, err := read(p)
					if err != nil {
						return fail(err)
					}
					extra = append(extra, e...)
				}
				r = crossValidated(set.name, path, set.what, extract.CrossValidateWith(ex, extra, *folds, extract.TrainOptions{}))
			case "ct24-dev":
				p, err := resolve("eval:CT24_checkworthy_english_train.tsv")
				if err != nil {
					return fail(err)
				}
				train, err := read(p)
				if err != nil {
					return fail(err)
				}
				m := extract.Train(train, extract.TrainOptions{})
				def := extract.DefaultModel()
				m.Scale, m.Shift = def.Scale, def.Shift
				r = heldOut(set.name, path, set.what, ex, extract.Score(m, ex))
			case "news", "news-fresh":
				r = heldOut(set.name, path, set.what, ex, proposedScores(ex))
				r.Categories = map[string][2]int{}
				for i, e := range ex {
					c := r.Categories[e.Category]
					c[1]++
					if (r.scores[i] >= extract.DefaultThreshold) == e.Label {
						c[0]++
					}
					r.Categories[e.Category] = c
				}
			default:
				r = heldOut(set.name, path, set.what, ex, extract.Score(extract.DefaultModel(), ex))
			}
		}
		r.Seconds = time.Since(start).Seconds()
		results = append(results, r)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintf(stderr, "factdesk eval-detect: %v\n", err)
			return exitFail
		}
	case "markdown":
		writeMarkdown(stdout, results)
	default:
		writeText(stdout, results)
	}
	return exitOK
}

// crossValidated sums up the folds: means of the per-fold figures, as the
// ClaimBuster papers report them.
func crossValidated(name, file, method string, res []extract.FoldResult) evalResult {
	r := evalResult{Data: name, File: file, Method: method}
	k := float64(len(res))
	var secs float64
	for _, x := range res {
		r.Folds = append(r.Folds, evalFold{x.Fold, x.Test, x.Threshold, x.Precision, x.Recall, x.F1, x.AveragePrecision})
		r.Sentences += x.Test
		r.Precision += x.Precision / k
		r.Recall += x.Recall / k
		r.F1 += x.F1 / k
		r.AvgPrec += x.AveragePrecision / k
		r.Threshold += x.Threshold / k
		secs += x.Seconds
	}
	if secs > 0 {
		r.PerSecond = float64(r.Sentences) / secs
	}
	r.Note = "threshold: the mean of the folds' own cuts"
	return r
}

func heldOut(name, file, method string, ex []extract.Example, scores []float64) evalResult {
	labels := make([]bool, len(ex))
	for i, e := range ex {
		labels[i] = e.Label
	}
	r := evalResult{Data: name, File: file, Method: method, Sentences: len(ex), Threshold: extract.DefaultThreshold, scores: scores}
	r.Precision, r.Recall, r.F1, r.AvgPrec = extract.Metrics(scores, labels, extract.DefaultThreshold)
	return r
}

// proposedScores is what an editor sees of each sentence: the best score
// of its proposals (0 when it gives none).
func proposedScores(ex []extract.Example) []float64 {
	out := make([]float64, len(ex))
	for i, e := range ex {
		for _, p := range extract.Proposals(e.Text) {
			out[i] = max(out[i], p.Score)
		}
	}
	return out
}

func writeMarkdown(w io.Writer, results []evalResult) {
	fmt.Fprintf(w, "| data | sentences | method | threshold | precision | recall | F1 | avg precision |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %s | %.2f | %.3f | %.3f | %.3f | %.3f |\n", r.Data, r.Sentences, r.Method, r.Threshold, r.Precision, r.Recall, r.F1, r.AvgPrec)
	}
	for _, r := range results {
		if len(r.Folds) > 0 {
			fmt.Fprintf(w, "\n%s (%s):\n\n| fold | test | threshold | precision | recall | F1 | avg precision |\n|---|---|---|---|---|---|---|\n", r.Data, r.File)
			for _, f := range r.Folds {
				fmt.Fprintf(w, "| %d | %d | %.2f | %.3f | %.3f | %.3f | %.3f |\n", f.Fold, f.Test, f.Threshold, f.Precision, f.Recall, f.F1, f.AvgPrec)
			}
			fmt.Fprintf(w, "| mean | %d | %.2f | %.3f | %.3f | %.3f | %.3f |\n", r.Sentences, r.Threshold, r.Precision, r.Recall, r.F1, r.AvgPrec)
			if r.PerSecond > 0 {
				fmt.Fprintf(w, "\nthroughput: %.0f sentences/s scored (one core), %.1fs in all with training\n", r.PerSecond, r.Seconds)
			}
		}
		if len(r.Categories) > 0 {
			fmt.Fprintf(w, "\n%s by category (right of all, at %.2f):\n\n| category | right | of |\n|---|---|---|\n", r.Data, r.Threshold)
			for _, c := range sortedKeys(r.Categories) {
				fmt.Fprintf(w, "| %s | %d | %d |\n", c, r.Categories[c][0], r.Categories[c][1])
			}
		}
	}
}

func writeText(w io.Writer, results []evalResult) {
	for _, r := range results {
		fmt.Fprintf(w, "%s: %d sentences, P %.3f R %.3f F1 %.3f AP %.3f at threshold %.2f\n  %s\n", r.Data, r.Sentences, r.Precision, r.Recall, r.F1, r.AvgPrec, r.Threshold, r.Method)
		for _, f := range r.Folds {
			fmt.Fprintf(w, "  fold %d: %d sentences, threshold %.2f, P %.3f R %.3f F1 %.3f AP %.3f\n", f.Fold, f.Test, f.Threshold, f.Precision, f.Recall, f.F1, f.AvgPrec)
		}
		if r.PerSecond > 0 {
			fmt.Fprintf(w, "  throughput: %.0f sentences/s scored (one core), %.1fs in all with training\n", r.PerSecond, r.Seconds)
		}
		for _, c := range sortedKeys(r.Categories) {
			fmt.Fprintf(w, "  %-12s %d of %d right\n", c, r.Categories[c][0], r.Categories[c][1])
		}
	}
}

func sortedKeys(m map[string][2]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
