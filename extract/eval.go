package extract

import (
	"strings"
	"time"
)

// CrossValidate trains one model per fold on the other folds and scores
// the held-out fold with the same scorer Detect uses.
func CrossValidate(examples []Example, k int, threshold float64, opt TrainOptions) []FoldResult {
	folds := Folds(examples, k)
	var out []FoldResult
	for fi, test := range folds {
		inTest := make(map[int]bool, len(test))
		for _, i := range test {
			inTest[i] = true
		}
		var train []Example
		for i, e := range examples {
			if !inTest[i] {
				train = append(train, e)
			}
		}
		out = append(out, scoreFold(Train(train, opt), examples, test, FoldResult{Fold: fi + 1, Train: len(train), Test: len(test), Threshold: threshold}))
	}
	return out
}

// innerShare is the share of a fold's training sentences held out to
// choose that fold's threshold.
const innerShare = 4

// CrossValidateTuned is CrossValidate with the threshold chosen inside
// each fold: a stratified quarter of the fold's training sentences is held
// out, a model trained on the rest picks the cut with the best F1 there,
// and the model trained on all of the fold's training sentences is scored
// on the test fold at that cut. Nothing about the test fold chooses
// anything. FoldResult.Threshold holds each fold's cut.
func CrossValidateTuned(examples []Example, k int, opt TrainOptions) []FoldResult {
	return CrossValidateWith(examples, nil, k, opt)
}

// CrossValidateWith is CrossValidateTuned with more training sentences:
// every fold also trains on extra, less any sentence that shares an ID or
// a text (case and space aside) with the test fold.
func CrossValidateWith(examples, extra []Example, k int, opt TrainOptions) []FoldResult {
	folds := Folds(examples, k)
	var out []FoldResult
	for fi, test := range folds {
		inTest := make(map[int]bool, len(test))
		testIDs, testTexts := map[string]bool{}, map[string]bool{}
		for _, i := range test {
			inTest[i] = true
			if id := examples[i].ID; id != "" {
				testIDs[id] = true
			}
			testTexts[normText(examples[i].Text)] = true
		}
		var train []Example
		seen := map[string]bool{}
		for i, e := range examples {
			if !inTest[i] {
				train = append(train, e)
				if e.ID != "" {
					seen[e.ID] = true
				}
			}
		}
		for _, e := range extra {
			if (e.ID == "" || !testIDs[e.ID] && !seen[e.ID]) && !testTexts[normText(e.Text)] {
				train = append(train, e)
			}
		}
		inner := Folds(train, innerShare)[0]
		inInner := make(map[int]bool, len(inner))
		for _, i := range inner {
			inInner[i] = true
		}
		var fit, hold []Example
		for i, e := range train {
			if inInner[i] {
				hold = append(hold, e)
			} else {
				fit = append(fit, e)
			}
		}
		t := BestThreshold(Score(Train(fit, opt), hold), labelsOf(hold))
		out = append(out, scoreFold(Train(train, opt), examples, test, FoldResult{Fold: fi + 1, Train: len(train), Test: len(test), Threshold: t}))
	}
	return out
}

// scoreFold scores the test sentences of a fold with m, as Detect would,
// and fills r's figures at r.Threshold.
func scoreFold(m *Model, examples []Example, test []int, r FoldResult) FoldResult {
	s := scorer{m: m}
	start := time.Now()
	for _, i := range test {
		sc, _ := s.score(examples[i].Text, false)
		r.Scores = append(r.Scores, sc)
		r.Labels = append(r.Labels, examples[i].Label)
	}
	r.Seconds = time.Since(start).Seconds()
	r.Precision, r.Recall, r.F1, r.AveragePrecision = Metrics(r.Scores, r.Labels, r.Threshold)
	return r
}

func normText(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
