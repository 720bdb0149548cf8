package extract

import (
	"os"
	"testing"
)

// The target of issue 6: mean F1 >= 0.78 for the check-worthy class in
// 4-fold cross-validation, at DefaultThreshold.
func TestCrossValidateF1(t *testing.T) {
	f, err := os.Open("../../shared/eval/kfold_25ncs.csv")
	if err != nil {
		t.Skip("labelled data not available")
	}
	defer f.Close()
	if testing.Short() {
		t.Skip("trains four models")
	}
	ex, err := ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 9674 {
		t.Errorf("read %d examples, want 9674", len(ex))
	}
	var f1 float64
	res := CrossValidate(ex, 4, DefaultThreshold, TrainOptions{})
	for _, r := range res {
		f1 += r.F1 / float64(len(res))
	}
	if f1 < 0.78 {
		t.Errorf("mean F1 = %.4f, want >= 0.78", f1)
	}
}

// The embedded model is what `go generate` writes from the data: the
// generator is deterministic, so training again gives the same weights.
func TestEmbeddedModelReproducible(t *testing.T) {
	f, err := os.Open("../../shared/eval/kfold_25ncs.csv")
	if err != nil {
		t.Skip("labelled data not available")
	}
	defer f.Close()
	ex, err := ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	m := Train(ex, TrainOptions{})
	if m.Bias != round4(defaultModel.Bias) && round4(m.Bias) != defaultModel.Bias {
		t.Errorf("bias %v, embedded %v: run go generate ./extract", m.Bias, defaultModel.Bias)
	}
	if len(m.names) != len(defaultModel.names) {
		t.Fatalf("%d features, embedded %d: run go generate ./extract", len(m.names), len(defaultModel.names))
	}
	for n, w := range m.names {
		if defaultModel.names[n] != w {
			t.Fatalf("feature %q: %v, embedded %v: run go generate ./extract", n, w, defaultModel.names[n])
		}
	}
}
