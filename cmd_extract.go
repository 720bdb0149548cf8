package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
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
	if code, done := parse(fs, args); done {
		return code
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
