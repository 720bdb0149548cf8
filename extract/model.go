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
	weights   map[uint64]float32
	names     map[string]float32 // kept only to write the file back out
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
	return m, nil
}

func newModel(bias float64, named map[string]float32) *Model {
	m := &Model{Bias: bias, weights: make(map[uint64]float32, len(named)), names: named}
	for n, w := range named {
		m.weights[hashName(n)] = w
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
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	return zw.Close()
}

// logit is the model's raw evidence for check-worthiness. Dividing by the
// square root of the feature count is the L2 normalisation of a binary
// vector: long sentences do not win by length alone.
func (m *Model) logit(keys []uint64) float64 {
	if len(keys) == 0 {
		return m.Bias
	}
	var s float64
	for _, k := range keys {
		s += float64(m.weights[k])
	}
	return m.Bias + s/math.Sqrt(float64(len(keys)))
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
func (m *Model) Features() int { return len(m.weights) }
