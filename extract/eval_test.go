package extract

import (
	"os"
	"slices"
	"testing"
)

const evalDir = "../../shared/eval/"

func readExamplesT(t *testing.T, name string) []Example {
	t.Helper()
	f, err := os.Open(evalDir + name)
	if err != nil {
		t.Skip("labelled data not available")
	}
	defer f.Close()
	ex, err := ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// ClaimBuster 2.5xNCS, 4-fold cross-validation with the threshold chosen
// inside each fold (issue 16). The floor is below the target of 0.80: it
// guards against regressions, the README reports the figure.
func TestCrossValidateF1(t *testing.T) {
	if testing.Short() {
		t.Skip("trains eight models")
	}
	ex := readExamplesT(t, "kfold_25ncs.csv")
	if len(ex) != 9674 {
		t.Errorf("read %d examples, want 9674", len(ex))
	}
	var f1 float64
	res := CrossValidateTuned(ex, 4, TrainOptions{})
	for _, r := range res {
		f1 += r.F1 / float64(len(res))
	}
	if f1 < 0.77 {
		t.Errorf("mean F1 = %.4f, want >= 0.77", f1)
	}
}

func TestReadCheckThat(t *testing.T) {
	ex := readExamplesT(t, "CT24_checkworthy_english_train.tsv")
	// 22,500 lines; one of them holds two rows whose line end was lost.
	if len(ex) != 22501 {
		t.Errorf("read %d examples, want 22501", len(ex))
	}
	pos := 0
	for _, e := range ex {
		if e.Label {
			pos++
		}
		if e.Text == "" || e.ID == "" {
			t.Fatalf("empty example %+v", e)
		}
	}
	if pos != 5413 {
		t.Errorf("%d positives, want 5413", pos)
	}
}

// The embedded model is what `go generate` writes from the data: the
// generator is deterministic, so training again gives the same weights.
func TestEmbeddedModelReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three models")
	}
	tr := readExamplesT(t, "CT24_checkworthy_english_train.tsv")
	dv := readExamplesT(t, "CT24_checkworthy_english_dev.tsv")
	m, _ := BuildModel(tr, dv, TrainOptions{})
	if round4(m.Bias) != round4(defaultModel.Bias) || m.Scale != defaultModel.Scale ||
		m.Shift != defaultModel.Shift || m.Threshold != defaultModel.Threshold {
		t.Errorf("bias/calibration/threshold %v %v %v %v, embedded %v %v %v %v: run go generate ./extract",
			m.Bias, m.Scale, m.Shift, m.Threshold, defaultModel.Bias, defaultModel.Scale, defaultModel.Shift, defaultModel.Threshold)
	}
	if len(m.names) != len(defaultModel.names) {
		t.Fatalf("%d features, embedded %d: run go generate ./extract", len(m.names), len(defaultModel.names))
	}
	for n, w := range m.names {
		if defaultModel.names[n] != w {
			t.Fatalf("feature %q: %v, embedded %v: run go generate ./extract", n, w, defaultModel.names[n])
		}
	}
	if !slices.Equal(m.dense, defaultModel.dense) {
		t.Errorf("dense weights differ from the embedded model's: run go generate ./extract")
	}
	if DefaultThreshold != defaultModel.Threshold {
		t.Errorf("DefaultThreshold %v, the model chose %v", DefaultThreshold, defaultModel.Threshold)
	}
}
