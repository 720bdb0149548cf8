package frontend_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"factdesk/frontend"
	"factdesk/models"
)

// Cards of every length and script render at 1200 × 630: a long claim is
// cut, a word longer than a line is cut, text outside the Go fonts' range
// draws as boxes, never an error.
func TestCard(t *testing.T) {
	r, err := frontend.New(frontend.Site{BaseURL: "https://checks.example", OrgName: "Test Desk"})
	if err != nil {
		t.Fatal(err)
	}
	s := models.DefaultScale()
	now := time.Now()
	for _, tt := range []struct{ name, text string }{
		{"short", "Unemployment fell by 4 per cent"},
		{"long", strings.Repeat("The figure of 23,000 terrorists is not naïve arithmetic ", 12)},
		{"one long word", strings.Repeat("x", 400)},
		{"other scripts", "Экономика выросла на 4 % · 失业率下降了 · البطالة انخفضت"},
		{"empty", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &models.Claim{ID: 7, Text: tt.text, Status: models.StatusPublished, Rating: models.RatingFalse, PublishedAt: &now}
			b, err := r.Card(&s, c)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil || img.Bounds().Dx() != frontend.CardWidth || img.Bounds().Dy() != frontend.CardHeight {
				t.Fatalf("decode: %v, %v", err, img)
			}
		})
	}
}

func BenchmarkCard(b *testing.B) {
	r, _ := frontend.New(frontend.Site{BaseURL: "https://checks.example", OrgName: "Test Desk"})
	s := models.DefaultScale()
	now := time.Now()
	c := &models.Claim{ID: 7, Text: "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan", Claimant: "Russia", Status: models.StatusPublished, Rating: models.RatingMostlyFalse, PublishedAt: &now}
	for b.Loop() {
		if _, err := r.Card(&s, c); err != nil {
			b.Fatal(err)
		}
	}
}
