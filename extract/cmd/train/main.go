// Command train learns the check-worthiness model from the CheckThat! 2024
// English sentences and writes the file that package extract embeds. It is
// run by `go generate ./extract`; the same data always gives the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"factdesk/extract"
)

func main() {
	train := flag.String("train", "../../shared/eval/CT24_checkworthy_english_train.tsv", "training sentences (CheckThat! TSV or ClaimBuster CSV)")
	dev := flag.String("dev", "../../shared/eval/CT24_checkworthy_english_dev.tsv", "development sentences, added to the shipped model's training")
	out := flag.String("out", "model.json.gz", "where to write the model")
	flag.Parse()
	tr, err := read(*train)
	if err != nil {
		fail(err)
	}
	dv, err := read(*dev)
	if err != nil {
		fail(err)
	}
	m, r := extract.BuildModel(tr, dv, extract.TrainOptions{})
	var buf bytes.Buffer
	src := fmt.Sprintf("CLEF 2024 CheckThat! Task 1 English train+dev, %d sentences (from US presidential debates; ClaimBuster, CC BY 4.0); word vectors and clusters of vectors.bin.gz (GloVe 6B 100-d, PDDL)", len(tr)+len(dv))
	if err := m.WriteModel(&buf, src); err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("train: %d+%d sentences, %d features, %d bytes -> %s\n", r.Train, r.Dev, r.Features, buf.Len(), *out)
	fmt.Printf("choosing on the latest %d train sentences (model trained on the other %d): calibration %.4f*z%+.4f, threshold %.2f, P %.3f R %.3f F1 %.3f AP %.3f\n",
		r.Late, r.Early, r.Scale, r.Shift, r.Threshold, r.LateP, r.LateR, r.LateF1, r.LateAP)
	fmt.Printf("dev (model trained on train): P %.3f R %.3f F1 %.3f AP %.3f\n", r.DevP, r.DevR, r.DevF1, r.DevAP)
}

func read(path string) ([]extract.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return extract.ReadExamples(f)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "train:", err)
	os.Exit(1)
}
