package extract

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

//go:generate go run ./cmd/vectors -out vectors.bin.gz
//go:generate go run ./cmd/train -train ../../shared/eval/CT24_checkworthy_english_train.tsv -dev ../../shared/eval/CT24_checkworthy_english_dev.tsv -out model.json.gz

// model.json.gz is written by `go generate ./extract` from the ClaimBuster
// sentences (see cmd/train); it is the only model there is, so detection
// needs no download and no network.
//
//go:embed model.json.gz
var modelFile []byte

// Model is a logistic regression over hashed n-gram and cue features.
type Model struct {
	Bias float64
	// Scale and Shift calibrate the raw evidence (model plus rules) into
	// a probability: sigmoid(Scale*z + Shift). A zero Scale means 1.
	Scale, Shift float64
	// Threshold is the cut the training chose (DefaultThreshold mirrors
	// the embedded model's).
	Threshold float64
	fs        featureSet
	// dense holds the weights of the dense features (featureSink.dense):
	// vecDims for the mean word vector, then vecDims for the maximum.
	dense   []float32
	weights weightTable
	names   map[string]float32 // kept only to write the file back out
}

// modelJSON is the file format: readable names so a reviewer can see what
// the model learned ("c:exhort": -1.2).
type modelJSON struct {
	Version  int                `json:"version"`
	Source   string             `json:"source"`
	Bias     float64            `json:"bias"`
	Uses     featureSet         `json:"uses"`
	Scale    float64            `json:"scale,omitempty"`
	Shift    float64            `json:"shift,omitempty"`
	Cut      float64            `json:"threshold,omitempty"`
	Features map[string]float32 `json:"features"`
	// Mean and Max weigh the dense features: the sentence's mean word
	// vector and its per-dimension maximum (featureSet.Vectors).
	Mean []float32 `json:"mean,omitempty"`
	Max  []float32 `json:"max,omitempty"`
}

// defaultModel is loaded once at start-up so that Detect does no I/O.
var defaultModel = func() *Model {
	m, err := ReadModel(bytes.NewReader(modelFile))
	if err != nil {
		// The file is generated and embedded with the code: a bad one is
		// a build error, not a run-time condition.
		panic(fmt.Sprintf("extract: embedded model: %v", err))
	}
	return m
}()

// DefaultModel returns a copy of the embedded model (its calibration and
// threshold included), for evaluation.
func DefaultModel() *Model {
	m := *defaultModel
	return &m
}

// ReadModel reads a gzip'd JSON model.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	var f modelJSON
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m := newModel(f.Bias, f.Features)
	m.fs = f.Uses
	m.Scale, m.Shift, m.Threshold = f.Scale, f.Shift, f.Cut
	if m.fs.Vectors {
		if len(f.Mean) != vecDims || len(f.Max) != vecDims {
			return nil, fmt.Errorf("model: %d+%d dense weights, want %d+%d", len(f.Mean), len(f.Max), vecDims, vecDims)
		}
		m.dense = append(append(make([]float32, 0, 2*vecDims), f.Mean...), f.Max...)
	}
	return m, nil
}

func newModel(bias float64, named map[string]float32) *Model {
	m := &Model{Bias: bias, weights: newWeightTable(len(named)), names: named}
	for n, w := range named {
		m.weights.put(hashName(n), w)
	}
	return m
}

// WriteModel writes m as gzip'd JSON. The output depends only on the
// weights (sorted keys, no gzip timestamp), so regenerating it from the
// same data gives the same bytes.
func (m *Model) WriteModel(w io.Writer, source string) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	f := modelJSON{Version: 1, Source: source, Bias: round4(m.Bias), Uses: m.fs,
		Scale: round4(m.Scale), Shift: round4(m.Shift), Cut: m.Threshold, Features: m.names}
	if m.dense != nil {
		f.Mean, f.Max = m.dense[:vecDims], m.dense[vecDims:]
	}
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	return zw.Close()
}

// logit is the model's raw evidence for check-worthiness. Dividing by the
// square root of the feature count is the L2 normalisation of a binary
// vector: long sentences do not win by length alone. The dense features
// are already of fixed size (a unit mean, a maximum of unit vectors).
func (m *Model) logit(sink *featureSink) float64 {
	z := m.Bias + m.denseLogit(sink)
	keys := sink.keys
	if len(keys) == 0 {
		return z
	}
	var s float64
	for _, k := range keys {
		s += float64(m.weights.get(k))
	}
	return z + s/math.Sqrt(float64(len(keys)))
}

// denseLogit is the dense features' share of the logit, computed from
// the sink's sum and maximum without building the feature vector:
// mean·w = (sum·w)/|sum|.
func (m *Model) denseLogit(sink *featureSink) float64 {
	if m.dense == nil || sink.nvec == 0 {
		return 0
	}
	wm, wx := (*[vecDims]float32)(m.dense[:vecDims]), (*[vecDims]float32)(m.dense[vecDims:])
	var n, sm, sx float32
	for d, v := range &sink.sum {
		n += v * v
		sm += v * wm[d]
		sx += sink.max[d] * wx[d]
	}
	z := float64(sx)
	if n > 0 {
		z += float64(sm) / math.Sqrt(float64(n))
	}
	return vectorGain * z
}

// prob turns the evidence z (model plus rules) into the calibrated score.
func (m *Model) prob(z float64) float64 {
	if m.Scale == 0 {
		return sigmoid(z)
	}
	return sigmoid(m.Scale*z + m.Shift)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Features is the number of weighted features.
func (m *Model) Features() int { return m.weights.n }

// weightTable is an open-addressing hash table from feature hash to
// weight: the scorer's hot loop is one probe per feature, most of them for
// features the model does not have, where a linear probe over a flat
// array beats a general map. Measured in one run, alternating, on
// BenchmarkPropose10kWords: 12.6, 21.9, 11.9 CPU ms/op with this table,
// 18.3, 20.4, 20.9 with map[uint64]float32 (median 38% less CPU).
type weightTable struct {
	keys []uint64 // 0: empty (FNV-1a of a feature name is never 0 in practice)
	vals []float32
	mask uint64
	n    int
}

func newWeightTable(n int) weightTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return weightTable{keys: make([]uint64, size), vals: make([]float32, size), mask: uint64(size - 1)}
}

func slot(k uint64) uint64 { return (k ^ k>>31) * 0x9e3779b97f4a7c15 >> 20 }

func (t *weightTable) put(k uint64, v float32) {
	for i := slot(k) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case 0:
			t.keys[i], t.vals[i] = k, v
			t.n++
			return
		case k:
			t.vals[i] = v
			return
		}
	}
}

func (t *weightTable) get(k uint64) float32 {
	for i := slot(k) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return t.vals[i]
		case 0:
			return 0
		}
	}
}
