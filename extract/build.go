package extract

import (
	"math"
	"slices"
	"strconv"
)

// BuildReport says how BuildModel chose its settings.
type BuildReport struct {
	Train, Dev       int     // sentences in each
	Early, Late      int     // the split of train by sentence ID used for choosing
	Scale, Shift     float64 // the calibration fitted on Late
	Threshold        float64 // the cut chosen on Late, on calibrated scores
	LateF1, LateAP   float64 // Late, scored by the model trained on Early
	LateP, LateR     float64
	Features         int
	DevF1, DevAP     float64 // dev, scored by the model trained on train alone, at Threshold
	DevP, DevR       float64
	LatePositiveRate float64
}

// lateShare is the share of the training sentences, by highest sentence
// ID, held out to choose the calibration and the threshold. ClaimBuster
// numbers sentences in debate order, so the late block is the debates the
// model has not seen, as a new document is; a random split (like dev)
// shares debates, and its figures are far rosier.
const lateShare = 0.2

// BuildModel is what `go generate ./extract` runs: it trains on train
// without its latest debates, fits the calibration and chooses the
// threshold on those, scores dev with a model trained on all of train,
// then trains the shipped model on train and dev together.
func BuildModel(train, dev []Example, opt TrainOptions) (*Model, BuildReport) {
	early, late := SplitByID(train, lateShare)
	r := BuildReport{Train: len(train), Dev: len(dev), Early: len(early), Late: len(late)}
	m0 := Train(early, opt)
	z, y := evidenceOf(m0, late)
	r.Scale, r.Shift = fitPlatt(z, y)
	m0.Scale, m0.Shift = r.Scale, r.Shift
	sc := make([]float64, len(z))
	pos := 0
	for i := range z {
		sc[i] = m0.prob(z[i])
		if y[i] {
			pos++
		}
	}
	r.LatePositiveRate = float64(pos) / float64(max(1, len(y)))
	r.Threshold = BestThreshold(sc, y)
	r.LateP, r.LateR, r.LateF1, r.LateAP = Metrics(sc, y, r.Threshold)

	m1 := Train(train, opt)
	m1.Scale, m1.Shift = r.Scale, r.Shift
	ds := Score(m1, dev)
	r.DevP, r.DevR, r.DevF1, r.DevAP = Metrics(ds, labelsOf(dev), r.Threshold)

	m := Train(append(slices.Clip(train), dev...), opt)
	m.Scale, m.Shift, m.Threshold = round4(r.Scale), round4(r.Shift), r.Threshold
	r.Features = m.Features()
	return m, r
}

// SplitByID puts the share of examples with the highest numeric IDs in
// late, the rest in early (an ID that is not a number counts as 0).
func SplitByID(ex []Example, share float64) (early, late []Example) {
	ids := make([]int, len(ex))
	for i, e := range ex {
		ids[i], _ = strconv.Atoi(e.ID)
	}
	s := slices.Clone(ids)
	slices.Sort(s)
	if len(s) == 0 {
		return nil, nil
	}
	cut := s[min(len(s)-1, int(float64(len(s))*(1-share)))]
	for i, e := range ex {
		if ids[i] >= cut {
			late = append(late, e)
		} else {
			early = append(early, e)
		}
	}
	return early, late
}

// Score returns the calibrated score of each example under m.
func Score(m *Model, ex []Example) []float64 {
	s := scorer{m: m}
	out := make([]float64, len(ex))
	for i, e := range ex {
		out[i], _ = s.score(e.Text, false)
	}
	return out
}

func labelsOf(ex []Example) []bool {
	out := make([]bool, len(ex))
	for i, e := range ex {
		out[i] = e.Label
	}
	return out
}

func evidenceOf(m *Model, ex []Example) ([]float64, []bool) {
	s := scorer{m: m}
	z := make([]float64, len(ex))
	for i, e := range ex {
		z[i] = s.evidence(e.Text)
	}
	return z, labelsOf(ex)
}

// BestThreshold is the cut in [0.05, 0.95], on a 0.01 grid, with the best
// F1 (the lowest of equals).
func BestThreshold(scores []float64, labels []bool) float64 {
	bt, bf := 0.5, -1.0
	for pct := 5; pct <= 95; pct++ {
		t := float64(pct) / 100
		if _, _, f, _ := Metrics(scores, labels, t); f > bf+1e-12 {
			bt, bf = t, f
		}
	}
	return bt
}

// fitPlatt fits p = sigmoid(a*z + b) to the labels by Newton's method on
// the log loss, with Platt's smoothed targets.
func fitPlatt(z []float64, y []bool) (a, b float64) {
	var npos, nneg float64
	for _, l := range y {
		if l {
			npos++
		} else {
			nneg++
		}
	}
	hi, lo := (npos+1)/(npos+2), 1/(nneg+2)
	a, b = 1, 0
	for range 50 {
		var ga, gb, haa, hab, hbb float64
		for i, x := range z {
			t := lo
			if y[i] {
				t = hi
			}
			p := sigmoid(a*x + b)
			d := p - t
			w := p * (1 - p)
			ga += d * x
			gb += d
			haa += w * x * x
			hab += w * x
			hbb += w
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a -= da
		b -= db
		if math.Abs(da)+math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}
