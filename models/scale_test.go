package models_test

import (
	"slices"
	"testing"

	"factdesk/models"
)

func TestPresetsAreValid(t *testing.T) {
	for _, p := range models.Presets() {
		s := p.Scale
		if err := s.Validate(); err != nil {
			t.Errorf("preset %s: %v", p.Name, err)
		}
	}
	six, _ := models.PresetNamed("six-step")
	if n := len(six.Scale.Ratings); n != 6 {
		t.Errorf("six-step has %d ratings", n)
	}
	none, _ := models.PresetNamed("no-label")
	if !none.Scale.Labelless() {
		t.Error("the no-label preset is not labelless")
	}
	def := models.DefaultScale()
	if def.Labelless() {
		t.Error("the default scale is labelless")
	}
}

func TestScaleValidate(t *testing.T) {
	five := func(v int) *int { return &v }
	base := func() models.Scale { return models.DefaultScale() }
	tests := []struct {
		name  string
		edit  func(s *models.Scale)
		field string // "" for valid
	}{
		{"default", func(*models.Scale) {}, ""},
		{"duplicate key", func(s *models.Scale) { s.Ratings[1].Key = s.Ratings[0].Key }, "ratings[1].key"},
		{"bad key", func(s *models.Scale) { s.Ratings[0].Key = "Very True" }, "ratings[0].key"},
		{"duplicate label", func(s *models.Scale) { s.Ratings[2].Label = "true" }, "ratings[2].label"},
		{"empty label", func(s *models.Scale) { s.Ratings[2].Label = " " }, "ratings[2].label"},
		{"colour off the palette", func(s *models.Scale) { s.Ratings[0].Colour = "#00ff00" }, "ratings[0].colour"},
		{"value above best", func(s *models.Scale) { s.Ratings[0].Value = five(6) }, "ratings[0].rating_value"},
		{"value below worst", func(s *models.Scale) { s.Ratings[0].Value = five(0) }, "ratings[0].rating_value"},
		{"best not above worst", func(s *models.Scale) { s.BestRating = 1 }, "best_rating"},
		{"empty", func(s *models.Scale) { s.Ratings = nil }, "ratings"},
		{"all retired", func(s *models.Scale) {
			for i := range s.Ratings {
				s.Ratings[i].Retired = true
			}
		}, "ratings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.edit(&s)
			err := s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid scale refused: %v", err)
				}
				return
			}
			e, ok := err.(*models.Error)
			if !ok || e.Code != models.EINVALID || e.Fields[tt.field] == "" {
				t.Fatalf("got %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestScaleOffer(t *testing.T) {
	s := models.DefaultScale()
	s.Ratings[6].Retired = true
	for _, tt := range []struct {
		key models.Rating
		ok  bool
	}{{models.RatingTrue, true}, {models.RatingUnproven, false}, {"pants_on_fire", false}} {
		if err := s.Offer(tt.key); (err == nil) != tt.ok {
			t.Errorf("Offer(%s) = %v, want ok %v", tt.key, err, tt.ok)
		}
	}
	if got := len(s.Offered()); got != 6 {
		t.Errorf("offered %d", got)
	}
}

func TestPlanScale(t *testing.T) {
	old := models.DefaultScale()
	relabel := func() models.Scale {
		s := models.DefaultScale()
		s.Ratings[2].Label = "Partly true"
		return s
	}
	drop := func() models.Scale {
		s := models.DefaultScale()
		s.Ratings = slices.Delete(s.Ratings, 6, 7)
		return s
	}
	inUse := map[models.Rating]models.RatingUse{models.RatingMixed: {Claims: 3, Published: 2}, models.RatingUnproven: {Claims: 1}}
	tests := []struct {
		name    string
		edit    models.ScaleEdit
		use     map[models.Rating]models.RatingUse
		field   string
		changed []models.Rating
		archive bool
	}{
		{"remove unused", models.ScaleEdit{Scale: drop()}, nil, "", nil, false},
		{"remove in use", models.ScaleEdit{Scale: drop()}, inUse, "ratings", nil, false},
		{"relabel unpublished", models.ScaleEdit{Scale: relabel()}, map[models.Rating]models.RatingUse{models.RatingMixed: {Claims: 3}}, "", nil, false},
		{"relabel published without mode", models.ScaleEdit{Scale: relabel(), Note: "n"}, inUse, "mode", nil, false},
		{"relabel published without note", models.ScaleEdit{Scale: relabel(), Mode: models.RelabelApplyAll}, inUse, "note", nil, false},
		{"relabel applied to all", models.ScaleEdit{Scale: relabel(), Mode: models.RelabelApplyAll, Note: "We now say partly true."}, inUse, "", []models.Rating{models.RatingMixed}, false},
		{"relabel reviewed", models.ScaleEdit{Scale: relabel(), Mode: models.RelabelReview, Note: "We now say partly true."}, inUse, "", []models.Rating{models.RatingMixed}, true},
		{"bounds moved", models.ScaleEdit{Scale: func() models.Scale { s := models.DefaultScale(); s.BestRating = 6; return s }(), Mode: models.RelabelApplyAll, Note: "n"}, inUse, "", []models.Rating{models.RatingMixed}, false},
		{"description only", models.ScaleEdit{Scale: func() models.Scale { s := models.DefaultScale(); s.Ratings[2].Description = "new"; return s }()}, inUse, "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := models.PlanScale(old, tt.edit, tt.use)
			if tt.field != "" {
				e, ok := err.(*models.Error)
				if !ok || e.Fields[tt.field] == "" {
					t.Fatalf("got %v, want invalid %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plan.Changed, tt.changed) {
				t.Errorf("changed %v, want %v", plan.Changed, tt.changed)
			}
			if !tt.archive {
				if len(plan.Archive) != 0 {
					t.Errorf("archive %v", plan.Archive)
				}
				return
			}
			key := plan.Archive[models.RatingMixed]
			kept, ok := plan.Next.Find(key)
			if !ok || !kept.Retired || kept.Label != "Half true" || kept.Value == nil || *kept.Value != 3 {
				t.Errorf("old wording kept as %+v (found %v)", kept, ok)
			}
			if now, _ := plan.Next.Find(models.RatingMixed); now.Label != "Partly true" {
				t.Errorf("new wording %q", now.Label)
			}
		})
	}
}

func TestFromPreset(t *testing.T) {
	old := models.DefaultScale()
	old.Version = 4
	six, _ := models.PresetNamed("six-step")
	tests := []struct {
		name    string
		use     map[models.Rating]models.RatingUse
		kept    []models.Rating // old ratings kept, retired
		label   map[models.Rating]string
		wantLen int
	}{
		{"nothing in use", nil, nil, nil, 6},
		{"mixed and unproven in use", map[models.Rating]models.RatingUse{models.RatingMixed: {Claims: 2, Published: 1}, models.RatingUnproven: {Claims: 1}, models.RatingTrue: {Claims: 3}},
			[]models.Rating{models.RatingMixed, models.RatingUnproven},
			map[models.Rating]string{models.RatingMixed: "Half true (earlier scale)", models.RatingUnproven: "Unproven"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := models.FromPreset(old, six, tt.use)
			if len(got.Ratings) != tt.wantLen {
				t.Fatalf("%d ratings, want %d: %+v", len(got.Ratings), tt.wantLen, got.Ratings)
			}
			if got.Version != 4 || got.BestRating != 6 || got.WorstRating != 1 {
				t.Errorf("version %d, best %d, worst %d", got.Version, got.BestRating, got.WorstRating)
			}
			for _, k := range tt.kept {
				r, ok := got.Find(k)
				if !ok || !r.Retired || r.Label != tt.label[k] {
					t.Errorf("%s kept as %+v (found %v), want retired %q", k, r, ok, tt.label[k])
				}
			}
			if err := got.Validate(); err != nil {
				t.Errorf("the scale from the preset is invalid: %v", err)
			}
			if _, err := models.PlanScale(old, models.ScaleEdit{Scale: got, Version: 4, Mode: models.RelabelApplyAll, Note: "New scale."}, tt.use); err != nil {
				t.Errorf("the plan refuses it: %v", err)
			}
		})
	}
}
