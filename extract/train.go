package extract

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Example is one labelled sentence.
type Example struct {
	ID    string
	Text  string
	Label bool // check-worthy
	// Category is a labelled set's own class of the sentence ("event",
	// "exhortation"), when it has a category column.
	Category string
}

// ReadExamples reads labelled sentences: the ClaimBuster CSV (header
// sentence_id, screening, label, text; label 1 or 0; RFC 4180 quoting;
// CRLF line ends, which encoding/csv folds) or the CheckThat! TSV (header
// Sentence_id, Text, class_label; label Yes or No). The separator is
// read off the header line.
func ReadExamples(r io.Reader) ([]Example, error) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	if line, _, _ := bytes.Cut(first, []byte("\n")); bytes.IndexByte(line, '\t') >= 0 {
		cr.Comma = '\t'
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
	}
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("examples: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ti, ok1 := col["text"]
	li, ok2 := col["label"]
	if !ok2 {
		li, ok2 = col["class_label"]
	}
	if !ok1 || !ok2 {
		return nil, errors.New("examples: the header needs text and label columns")
	}
	idi, hasID := col["sentence_id"]
	ci, hasCat := col["category"]
	var out []Example
	var pending []string
	for {
		var rec []string
		var err error
		if pending != nil {
			rec, pending = pending, nil
		} else {
			rec, err = cr.Read()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("examples: %w", err)
		}
		// The CheckThat! train file has one row whose line end was lost:
		// "…	No29286	You can't bring back jobs.	No". Two rows glued by
		// the label are split again.
		if w := len(head); cr.Comma == '\t' && len(rec) == 2*w-1 && li == w-1 {
			lab := rec[li][:len(rec[li])-len(strings.TrimLeft(rec[li], "YesNo"))]
			next := append([]string{strings.TrimPrefix(rec[li], lab)}, rec[w:]...)
			rec = append(rec[:li:li], lab)
			pending = next
		}
		if len(rec) <= max(ti, li) {
			return nil, fmt.Errorf("examples: line %d: %d columns", len(out)+2, len(rec))
		}
		var label bool
		switch v := strings.TrimSpace(rec[li]); strings.ToLower(v) {
		case "yes", "1":
			label = true
		case "no", "0":
		default:
			return nil, fmt.Errorf("examples: line %d: label %q", len(out)+2, v)
		}
		e := Example{Text: rec[ti], Label: label}
		if hasID && idi < len(rec) {
			e.ID = rec[idi]
		}
		if hasCat && ci < len(rec) {
			e.Category = rec[ci]
		}
		out = append(out, e)
	}
	return out, nil
}

// TrainOptions are the knobs of Train. The zero value means the defaults
// the evaluation settled on.
type TrainOptions struct {
	Epochs   int     // passes over the data (default 12)
	Rate     float64 // AdaGrad step (default 0.2)
	L2       float64 // per-example L2 penalty (default 1e-5)
	MinCount int     // a feature must occur in this many sentences (default 2)
	Seed     uint64  // shuffling seed (default 1)
	// CharGrams is the length of the character n-grams of words
	// (default 3; negative: none).
	CharGrams int
	// NoStructure leaves out the structural features (structure.go).
	NoStructure bool
	// NoVectors leaves out the dense word-vector features (vectors.go),
	// NoClusters the words' cluster ids, NoPairs the pairs of a cue and a
	// structural feature.
	NoVectors, NoClusters, NoPairs bool
	// DenseRate is the AdaGrad step of the dense features (default 0.05):
	// 200 real-valued inputs present in every sentence need a smaller
	// step than sparse binary ones.
	DenseRate float64
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs == 0 {
		o.Epochs = 12
	}
	if o.Rate == 0 {
		o.Rate = 0.2
	}
	if o.L2 == 0 {
		o.L2 = 1e-5
	}
	if o.MinCount == 0 {
		o.MinCount = 2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.CharGrams == 0 {
		o.CharGrams = 3
	}
	if o.DenseRate == 0 {
		o.DenseRate = 0.05
	}
	return o
}

func (o TrainOptions) featureSet() featureSet {
	return featureSet{Chars: max(0, o.CharGrams), Structure: !o.NoStructure, Vectors: !o.NoVectors,
		Clusters: !o.NoClusters, Pairs: !o.NoPairs && !o.NoStructure}
}

// sentenceKeys featurises a whole example as one sentence: the rows are
// already sentences. dense, when fs.Vectors, gets its dense features.
func sentenceKeys(text string, fs featureSet, names map[uint64]string, dense []float32) []uint64 {
	toks := tokenize(text, nil)
	sink := featureSink{names: names}
	features(toks, findCues(toks), false, fs, &sink)
	if fs.Vectors {
		sink.dense(dense)
	}
	return sink.keys
}

// Train learns a logistic regression with AdaGrad and an L2 penalty. It is
// deterministic: features are numbered in sorted order and the shuffle has
// a fixed seed, so the same data gives the same weights.
func Train(examples []Example, opt TrainOptions) *Model {
	opt = opt.withDefaults()
	names := map[uint64]string{}
	rows := make([][]uint64, len(examples))
	df := map[uint64]int{}
	fs := opt.featureSet()
	nd := 0
	if fs.Vectors {
		nd = 2 * vecDims
	}
	dense := make([]float32, len(examples)*nd)
	for i, e := range examples {
		rows[i] = sentenceKeys(e.Text, fs, names, dense[i*nd:(i+1)*nd])
		seen := map[uint64]bool{}
		for _, k := range rows[i] {
			if !seen[k] {
				seen[k] = true
				df[k]++
			}
		}
	}
	var kept []string
	for k, n := range df {
		if n >= opt.MinCount || strings.HasPrefix(names[k], "c:") || strings.HasPrefix(names[k], "t:") {
			kept = append(kept, names[k])
		}
	}
	slices.Sort(kept)
	index := make(map[uint64]int, len(kept))
	for i, n := range kept {
		index[hashName(n)] = i
	}
	// Rows become index lists; the normaliser keeps every feature of the
	// sentence (as scoring does) even when a rare one has no weight.
	type row struct {
		idx   []int
		scale float64
		y     float64
	}
	data := make([]row, len(rows))
	for i, ks := range rows {
		r := row{scale: 1 / math.Sqrt(float64(max(1, len(ks))))}
		if examples[i].Label {
			r.y = 1
		}
		for _, k := range ks {
			if j, ok := index[k]; ok {
				r.idx = append(r.idx, j)
			}
		}
		data[i] = r
	}
	w := make([]float64, len(kept))
	g2 := make([]float64, len(kept))
	dw := make([]float64, nd)
	dg2 := make([]float64, nd)
	var bias, bg2 float64
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	for range opt.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			r := data[i]
			x := dense[i*nd : (i+1)*nd]
			z := bias
			for _, j := range r.idx {
				z += w[j] * r.scale
			}
			for d, v := range x {
				z += dw[d] * float64(v)
			}
			g := sigmoid(z) - r.y
			for d, v := range x {
				gd := g*float64(v) + opt.L2*dw[d]
				dg2[d] += gd * gd
				dw[d] -= opt.DenseRate * gd / math.Sqrt(dg2[d]+1e-8)
			}
			bg2 += g * g
			bias -= opt.Rate * g / math.Sqrt(bg2+1e-8)
			for _, j := range r.idx {
				gj := g*r.scale + opt.L2*w[j]
				g2[j] += gj * gj
				w[j] -= opt.Rate * gj / math.Sqrt(g2[j]+1e-8)
			}
		}
	}
	named := make(map[string]float32, len(kept))
	for i, n := range kept {
		if v := round4(w[i]); v != 0 {
			named[n] = float32(v)
		}
	}
	m := newModel(bias, named)
	m.fs = fs
	if fs.Vectors {
		m.dense = make([]float32, nd)
		for d, v := range dw {
			m.dense[d] = float32(round4(v))
		}
	}
	return m
}

// FoldResult is the evaluation of one cross-validation fold on the
// check-worthy class.
type FoldResult struct {
	Fold                  int
	Train, Test           int
	Precision, Recall, F1 float64
	AveragePrecision      float64
	Threshold             float64 // the cut used (CrossValidateTuned: chosen in the fold)
	Seconds               float64 // time spent scoring the test sentences
	Scores                []float64
	Labels                []bool
}

// Folds splits examples into k stratified folds, deterministically: each
// class is shuffled with a fixed seed and dealt round-robin.
func Folds(examples []Example, k int) [][]int {
	var pos, neg []int
	for i, e := range examples {
		if e.Label {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	rng := rand.New(rand.NewPCG(42, 0xf01d))
	rng.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
	rng.Shuffle(len(neg), func(i, j int) { neg[i], neg[j] = neg[j], neg[i] })
	folds := make([][]int, k)
	for i, x := range append(pos, neg...) {
		folds[i%k] = append(folds[i%k], x)
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds
}

// Metrics computes precision, recall and F1 at a threshold and the
// average precision (threshold-free) of scores against labels.
func Metrics(scores []float64, labels []bool, threshold float64) (p, r, f1, ap float64) {
	var tp, fp, fn int
	for i, s := range scores {
		switch {
		case s >= threshold && labels[i]:
			tp++
		case s >= threshold:
			fp++
		case labels[i]:
			fn++
		}
	}
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1, averagePrecision(scores, labels)
}

// averagePrecision is the mean of the precision at each positive, ranking
// by score (ties in input order, which is fixed).
func averagePrecision(scores []float64, labels []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	var hits, total int
	var sum float64
	for _, l := range labels {
		if l {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	for rank, i := range idx {
		if labels[i] {
			hits++
			sum += float64(hits) / float64(rank+1)
		}
	}
	return sum / float64(total)
}
