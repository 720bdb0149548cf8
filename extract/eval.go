package extract

import "time"

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
		m := Train(train, opt)
		s := scorer{m: m}
		r := FoldResult{Fold: fi + 1, Train: len(train), Test: len(test)}
		start := time.Now()
		for _, i := range test {
			sc, _ := s.score(examples[i].Text, false)
			r.Scores = append(r.Scores, sc)
			r.Labels = append(r.Labels, examples[i].Label)
		}
		r.Seconds = time.Since(start).Seconds()
		r.Precision, r.Recall, r.F1, r.AveragePrecision = Metrics(r.Scores, r.Labels, threshold)
		out = append(out, r)
	}
	return out
}
