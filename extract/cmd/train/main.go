// Command train learns the check-worthiness model from the ClaimBuster
// sentences and writes the file that package extract embeds. It is run by
// `go generate ./extract`; the same data always gives the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"factdesk/extract"
)

func main() {
	data := flag.String("data", "../../shared/eval/kfold_25ncs.csv", "labelled sentences (CSV: sentence_id,screening,label,text)")
	out := flag.String("out", "model.json.gz", "where to write the model")
	flag.Parse()
	f, err := os.Open(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
	defer f.Close()
	ex, err := extract.ReadExamples(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
	m := extract.Train(ex, extract.TrainOptions{})
	var buf bytes.Buffer
	if err := m.WriteModel(&buf, fmt.Sprintf("ClaimBuster 2.5xNCS (kfold_25ncs.csv), %d sentences, CC BY 4.0", len(ex))); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
	fmt.Printf("train: %d sentences, %d features, %d bytes -> %s\n", len(ex), m.Features(), buf.Len(), *out)
}
