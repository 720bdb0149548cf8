package extract

import (
	"math"
	"math/bits"
	"unicode/utf8"
)

// Features are hashed with 64-bit FNV-1a over their printable name
// ("u:word", "b:word word", "c:cue"), so the model file stays readable
// while scoring never builds a string: the hash is streamed over the
// token bytes.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashName(s string) uint64 { return fnvAdd(fnvOffset, s) }

// featureSink receives the features of one sentence. names, when set,
// records the printable name of every hash; only training asks for it.
type featureSink struct {
	keys  []uint64
	names map[uint64]string
	// groups has a bit for each cue (groups[0]) and structural feature
	// (groups[1]) the sentence has, for their pairs.
	groups [2]uint32
	// sum and max are the sum and the per-dimension maximum of the
	// sentence's word vectors, over nvec words (featureSet.Vectors).
	sum, max [vecDims]float32
	nvec     int
}

// vectorGain scales the dense features (unit mean, maximum of unit
// vectors) to the size of a sparse weight's contribution; 10 was the best
// of 1, 3, 10 and 30 on the latest block of train.
const vectorGain = 10

// dense writes the sentence's 2×vecDims dense features into x: the mean
// of its word vectors, unit length, and their per-dimension maximum, both
// times vectorGain; zero when no word has a vector.
func (f *featureSink) dense(x []float32) {
	clear(x)
	if f.nvec == 0 {
		return
	}
	var n float64
	for _, v := range f.sum {
		n += float64(v) * float64(v)
	}
	if n > 0 {
		inv := float32(vectorGain / math.Sqrt(n))
		for d, v := range f.sum {
			x[d] = v * inv
		}
	}
	for d, v := range f.max {
		x[vecDims+d] = v * vectorGain
	}
}

// addVector adds one word's vector to the sentence's sum and maximum.
func (f *featureSink) addVector(v *[vecDims]float32) {
	if f.nvec == 0 {
		f.sum, f.max = *v, *v
		f.nvec = 1
		return
	}
	f.nvec++
	for d, x := range v {
		f.sum[d] += x
		if x > f.max[d] {
			f.max[d] = x
		}
	}
}

func (f *featureSink) add(h uint64, name func() string) {
	f.keys = append(f.keys, h)
	if f.names != nil {
		if _, ok := f.names[h]; !ok {
			f.names[h] = name()
		}
	}
}

const (
	bos = "<s>"
	eos = "</s>"
)

// modelToken reports whether a token takes part in the n-grams and under
// which form. Most punctuation is noise; "?", "$", "%" and quotes carry
// meaning.
func modelToken(t token) (string, bool) {
	if t.kind != tokPunct {
		return t.norm, true
	}
	switch t.norm {
	case "?", "$", "%", "\"", "!", ":":
		return t.norm, true
	}
	return "", false
}

// The cue features, in a fixed order; the model refers to them by name.
const (
	cueFigure = iota
	cueFigureNoun
	cueYear
	cueMoney
	cueQuantity
	cueAttribution
	cueComparison
	cueCausal
	cueHedge
	cueExhort
	cueFuture
	cueOpinion
	cueFirstPerson
	cueQuestion
	cueQuoted
	cueConditional
	cueActors1
	cueActors2
	cuePast
	cueLenShort
	cueLenMid
	cueLenLong
	cueHeading
	cueCount
)

var cueNames = [cueCount]string{cueFigure: "figure", cueFigureNoun: "figure_noun", cueYear: "year",
	cueMoney: "money", cueQuantity: "quantity", cueAttribution: "attribution", cueComparison: "comparison",
	cueCausal: "causal", cueHedge: "hedge", cueExhort: "exhort", cueFuture: "future", cueOpinion: "opinion",
	cueFirstPerson: "first_person", cueQuestion: "question", cueQuoted: "quoted",
	cueConditional: "conditional", cueActors1: "actors1", cueActors2: "actors2", cuePast: "past",
	cueLenShort: "len_short", cueLenMid: "len_mid", cueLenLong: "len_long", cueHeading: "heading"}

var cueFeatures = newFeatureGroup("c:", cueNames[:], 0)

// featureGroup is a fixed group of named features under one prefix. The
// names are hashed once, at start-up, and a sentence's features of the
// group are a bit set of their indexes, so scoring adds a stored hash
// instead of streaming or looking up the name; the prefix is kept in one
// place, so the names training prints always match the hashes scoring
// adds.
type featureGroup struct {
	prefix string
	names  []string
	hashes []uint64
	group  int // which bit set of featureSink.groups records the group's features
}

func newFeatureGroup(prefix string, names []string, group int) featureGroup {
	g := featureGroup{prefix: prefix, names: names, hashes: make([]uint64, len(names)), group: group}
	for i, n := range names {
		g.hashes[i] = hashName(prefix + n)
	}
	return g
}

// add gives the sentence the features whose bits are set in on, in
// index order.
func (g featureGroup) add(sink *featureSink, on uint32) {
	sink.groups[g.group] = on
	for b := on; b != 0; b &= b - 1 {
		i := bits.TrailingZeros32(b)
		sink.add(g.hashes[i], func() string { return g.prefix + g.names[i] })
	}
}

// bitIf is 1<<i when on holds.
func bitIf(on bool, i int) uint32 {
	if on {
		return 1 << i
	}
	return 0
}

// pairHashes are the hashes of every pair of a cue and a structural
// feature ("x:figure&num_unit"): a cue means more in some constructions
// than in others ("attribution" with "reported", "future" with "we").
var pairHashes = func() [][]uint64 {
	h := make([][]uint64, len(cueNames))
	for i := range h {
		h[i] = make([]uint64, len(structureNames))
		for j := range h[i] {
			h[i][j] = hashName(pairName(i, j))
		}
	}
	return h
}()

func pairName(cue, st int) string { return "x:" + cueNames[cue] + "&" + structureNames[st] }

// featureSet says which feature groups a model uses. It is stored in the
// model file, so a model is always scored with the features it learned.
type featureSet struct {
	Chars     int  `json:"chars,omitempty"`     // character n-grams of words, this long (0: none)
	Structure bool `json:"structure,omitempty"` // structural cues (structureNames)
	Vectors   bool `json:"vectors,omitempty"`   // mean and maximum word vector (dense)
	Clusters  bool `json:"clusters,omitempty"`  // each word's clusters of 256 and 1,024 ("k256:17")
	Pairs     bool `json:"pairs,omitempty"`     // every pair of a cue and a structural feature
}

var (
	hashU = hashName("u:")
	hashB = hashName("b:")
	hashS = hashName("s:")
	hashP = hashName("p:")
	hashG = hashName("g:")
)

// features writes the hashed features of a sentence into sink.
func features(toks []token, c cueSet, heading bool, fs featureSet, sink *featureSink) {
	sink.groups = [2]uint32{}
	sink.nvec = 0
	var vs *wordVectors
	if fs.Vectors || fs.Clusters {
		vs = embeddedVectors()
	}
	prev := bos
	for _, t := range toks {
		w, ok := modelToken(t)
		if !ok {
			continue
		}
		if t.vec > 0 && vs != nil {
			id := t.vec - 1
			if fs.Vectors {
				sink.addVector(vs.row(id))
			}
			if fs.Clusters {
				c1, c2 := int(vs.k256[id]), int(vs.k1024[id])
				sink.add(clusterHashes[0][c1], func() string { return clusterName(256, c1) })
				sink.add(clusterHashes[1][c2], func() string { return clusterName(1024, c2) })
			}
		}
		sink.add(fnvAdd(hashU, w), func() string { return "u:" + w })
		p := prev
		h := fnvAdd(fnvAdd(fnvAdd(hashB, p), " "), w)
		sink.add(h, func() string { return "b:" + p + " " + w })
		// Affixes let the model generalise over word forms it has not
		// seen ("destabilising" and "destabilised" share "des", "ing").
		if t.kind == tokWord && len(w) > 5 {
			if sf := w[len(w)-3:]; utf8.ValidString(sf) {
				sink.add(fnvAdd(hashS, sf), func() string { return "s:" + sf })
			}
			if pf := w[:4]; utf8.ValidString(pf) {
				sink.add(fnvAdd(hashP, pf), func() string { return "p:" + pf })
			}
		}
		if n := fs.Chars; n > 0 && t.kind == tokWord && len(w) > n {
			// Character n-grams inside the word, with "<" and ">" at its
			// edges: "<tax", "taxe", "axes", "xes>".
			charGrams(w, n, sink)
		}
		prev = w
	}
	p := prev
	sink.add(fnvAdd(fnvAdd(hashB, p), " "+eos), func() string { return "b:" + p + " " + eos })
	if fs.Structure {
		structure(toks, c, sink)
	}
	cueFeatures.add(sink, bitIf(c.figure, cueFigure)|bitIf(c.figureNoun, cueFigureNoun)|
		bitIf(c.year, cueYear)|bitIf(c.money, cueMoney)|bitIf(c.quantity, cueQuantity)|
		bitIf(c.attribution, cueAttribution)|bitIf(c.comparison, cueComparison)|
		bitIf(c.causal, cueCausal)|bitIf(c.hedge, cueHedge)|bitIf(c.exhort, cueExhort)|
		bitIf(c.future, cueFuture)|bitIf(c.opinion, cueOpinion)|bitIf(c.firstPerson, cueFirstPerson)|
		bitIf(c.question, cueQuestion)|bitIf(c.quoted, cueQuoted)|bitIf(c.conditional, cueConditional)|
		bitIf(c.actors >= 1, cueActors1)|bitIf(c.actors >= 2, cueActors2)|bitIf(c.pastTense >= 1, cuePast)|
		bitIf(c.words < 7, cueLenShort)|bitIf(c.words >= 7 && c.words < 20, cueLenMid)|
		bitIf(c.words >= 20, cueLenLong)|bitIf(heading, cueHeading))
	if fs.Pairs {
		for cm := sink.groups[0]; cm != 0; cm &= cm - 1 {
			i := bits.TrailingZeros32(cm)
			for sm := sink.groups[1]; sm != 0; sm &= sm - 1 {
				j := bits.TrailingZeros32(sm)
				sink.add(pairHashes[i][j], func() string { return pairName(i, j) })
			}
		}
	}
}

// charGrams adds the n-byte grams of "<"+w+">" that are whole UTF-8. It
// hashes in place, so scoring builds no string.
func charGrams(w string, n int, sink *featureSink) {
	L := len(w) + 2
	at := func(i int) byte {
		switch i {
		case 0:
			return '<'
		case L - 1:
			return '>'
		}
		return w[i-1]
	}
	for i := 0; i+n <= L; i++ {
		if b := at(i); b >= 0x80 && b < 0xc0 {
			continue // inside a code point
		}
		if e := i + n; e < L {
			if b := at(e); b >= 0x80 && b < 0xc0 {
				continue
			}
		}
		h := hashG
		for k := i; k < i+n; k++ {
			h ^= uint64(at(k))
			h *= fnvPrime
		}
		if sink.names == nil {
			sink.keys = append(sink.keys, h)
			continue
		}
		start := i
		sink.add(h, func() string {
			b := make([]byte, n)
			for k := range b {
				b[k] = at(start + k)
			}
			return "g:" + string(b)
		})
	}
}
