package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

type extracted struct {
	Start int     `json:"start"`
	End   int     `json:"end"`
	Text  string  `json:"text"`
	Score float64 `json:"score"`
	Kind  string  `json:"kind"`
	Spans []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Text  string `json:"text"`
	} `json:"spans"`
}

func runExtractT(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runExtract(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExtractStdin(t *testing.T) {
	in := "It is naïve. Moscow’s warning about “23,000 terrorists” operating inside Afghanistan should have been a wake-up call. We must act now."
	code, out, errs := runExtractT(t, in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []extracted
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0].Text, "Moscow’s warning") {
		t.Fatalf("got %+v", got)
	}
	runes := []rune(in)
	if string(runes[got[0].Start:got[0].End]) != got[0].Text {
		t.Errorf("offsets [%d,%d) are not code points of the input", got[0].Start, got[0].End)
	}
	if got[0].Start != utf8.RuneCountInString("It is naïve. ") {
		t.Errorf("start = %d", got[0].Start)
	}
	found := false
	for _, sp := range got[0].Spans {
		found = found || sp.Text == "23,000 terrorists" && string(runes[sp.Start:sp.End]) == sp.Text
	}
	if !found {
		t.Errorf("no 23,000 terrorists span in %+v", got[0].Spans)
	}
}

func TestExtractFlags(t *testing.T) {
	in := "Taxes rose 40 percent in 2012. We must act."
	_, out, _ := runExtractT(t, in, "--all")
	var all []extracted
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 2 {
		t.Fatalf("--all gave %d sentences (%v)", len(all), err)
	}
	_, out, _ = runExtractT(t, in, "--threshold", "1")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("--threshold 1 gave %s", out)
	}
	if code, _, _ := runExtractT(t, "", "-h"); code != 0 {
		t.Errorf("-h exit %d", code)
	}
	if code, _, _ := runExtractT(t, "", "--nope"); code != 2 {
		t.Errorf("bad flag exit %d", code)
	}
	if code, _, _ := runExtractT(t, "", "--threshold", "2"); code != 2 {
		t.Errorf("threshold 2 exit %d", code)
	}
}

func TestExtractFileAndErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "doc.txt")
	os.WriteFile(good, []byte("The ministry said 23,000 troops were deployed."), 0o644)
	if code, out, errs := runExtractT(t, "", good); code != 0 || !strings.Contains(out, "23,000 troops") {
		t.Errorf("file: exit %d, out %s, err %s", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("caf\xe9 au lait"), 0o644)
	if code, _, errs := runExtractT(t, "", bad); code != 2 || !strings.Contains(errs, "UTF-8") {
		t.Errorf("invalid UTF-8: exit %d, err %q", code, errs)
	}
	if code, _, errs := runExtractT(t, "\xff\xfe"); code != 2 || errs == "" {
		t.Errorf("invalid UTF-8 on stdin: exit %d, err %q", code, errs)
	}
	if code, _, errs := runExtractT(t, "", filepath.Join(dir, "missing.txt")); code != 2 || errs == "" {
		t.Errorf("missing file: exit %d, err %q", code, errs)
	}
}

func TestEvalDetect(t *testing.T) {
	data := "../shared/eval/kfold_25ncs.csv"
	if _, err := os.Stat(data); err != nil {
		t.Skip("labelled data not available")
	}
	if testing.Short() {
		t.Skip("trains eight models")
	}
	var out, errb bytes.Buffer
	if code := runEvalDetect([]string{"--data", data, "--format", "markdown"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"| 1 |", "| 4 |", "| mean |", "throughput"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var code int
	if code = runEvalDetect([]string{"--data", "/nonexistent.csv"}, &out, &errb); code != 2 {
		t.Errorf("missing data: exit %d", code)
	}
	if code = runEvalDetect([]string{"--format", "yaml"}, &out, &errb); code != 2 {
		t.Errorf("unknown format: exit %d", code)
	}
	if code = runEvalDetect([]string{"-h"}, &out, &errb); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

// The named sets are found from the repository root, wherever the command
// runs inside it; json is a list with one result per set.
func TestEvalDetectNamedSets(t *testing.T) {
	if _, err := os.Stat("../shared/eval/CT24_checkworthy_english_dev-test.tsv"); err != nil {
		t.Skip("labelled data not available")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(filepath.Join(wd, "extract", "testdata")); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runEvalDetect([]string{"--data", "ct24-dev-test,news", "--format", "json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got []struct {
		Data       string            `json:"data"`
		Sentences  int               `json:"sentences"`
		F1         float64           `json:"f1"`
		Categories map[string][2]int `json:"categories"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(got) != 2 || got[0].Data != "ct24-dev-test" || got[0].Sentences != 318 || got[1].Data != "news" || got[1].Categories["exhortation"][1] == 0 {
		t.Fatalf("got %+v", got)
	}
	for _, r := range got {
		if r.F1 <= 0.5 {
			t.Errorf("%s: F1 %.3f", r.Data, r.F1)
		}
	}
	out.Reset()
	if code := runEvalDetect([]string{"--data", "news"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "news: 177 sentences") {
		t.Errorf("text format: exit %d\n%s", code, out.String())
	}
}
