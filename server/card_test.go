package server_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/server/servertest"
)

// metaContent is the content of the <meta> whose property or name is key.
func metaContent(page, key string) string {
	m := regexp.MustCompile(`<meta (?:property|name)="` + regexp.QuoteMeta(key) + `" content="([^"]*)">`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// Every public claim has a share card, drawn by Factdesk, that its page
// names in OpenGraph and Twitter meta; it is cached like the page and
// follows the verdict and the scale.
func TestShareCards(t *testing.T) {
	f := newReaderFixture(t)
	ctx := context.Background()
	verdict := frontend.VerdictPath(f.verdict)
	card := frontend.CardPath(f.verdict)
	page := f.mustGet(t, verdict, 200)
	for key, want := range map[string]string{
		"og:image":       f.url + card,
		"twitter:image":  f.url + card,
		"twitter:card":   "summary_large_image",
		"og:image:width": "1200",
		"og:image:alt":   "Mostly false: “Moscow’s warning",
		"og:title":       "Moscow’s warning",
		"og:description": "Our rating: Mostly false.",
	} {
		if got := metaContent(page, key); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q…", key, got, want)
		}
	}

	fetch := func(path string, header ...string) (int, string, image.Image, string) {
		t.Helper()
		res, body := f.get(t, path, header...)
		if res.StatusCode != 200 {
			return res.StatusCode, res.Header.Get("ETag"), nil, res.Header.Get("Cache-Control")
		}
		if ct := res.Header.Get("Content-Type"); ct != "image/png" {
			t.Fatalf("card Content-Type = %q", ct)
		}
		img, err := png.Decode(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("card is not a PNG: %v", err)
		}
		return res.StatusCode, res.Header.Get("ETag"), img, res.Header.Get("Cache-Control")
	}
	band := func(img image.Image) color.RGBA {
		r, g, b, _ := img.At(8, 300).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
	}
	status, etag, img, cc := fetch(card)
	if _, raw := f.get(t, card); status == 200 {
		servertest.SaveScreenshot(t, "share-card.png", []byte(raw))
	}
	if status != 200 || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 630 {
		t.Fatalf("card: %d, %v", status, img.Bounds())
	}
	if res, _ := f.get(t, verdict); cc != res.Header.Get("Cache-Control") || etag == "" {
		t.Errorf("card Cache-Control %q, ETag %q; want the page's %q", cc, etag, res.Header.Get("Cache-Control"))
	}
	if got := band(img); got != (color.RGBA{0xa3, 0x3b, 0x00, 0xff}) {
		t.Errorf("band colour = %v, want Mostly false's orange", got)
	}
	if s, _, _, _ := fetch(card, "If-None-Match", etag); s != 304 {
		t.Errorf("revalidation: %d, want 304", s)
	}
	// Text is drawn: the claim's area is not blank paper.
	dark := 0
	for y := 280; y < 560; y++ {
		for x := 72; x < 1128; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x4000 {
				dark++
			}
		}
	}
	if dark < 5000 {
		t.Errorf("only %d dark pixels where the claim should be", dark)
	}

	// The scale gives the rating another colour: the card follows.
	sc, err := f.db.Scale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sc.Ratings {
		if sc.Ratings[i].Key == models.RatingMostlyFalse {
			sc.Ratings[i].Colour = "red"
		}
	}
	if _, err := f.db.UpdateScale(ctx, models.ScaleEdit{Scale: sc, Version: sc.Version}, nil); err != nil {
		t.Fatal(err)
	}
	_, etag2, img, _ := fetch(card)
	if etag2 == etag || band(img) != (color.RGBA{0xb7, 0x1c, 0x1c, 0xff}) {
		t.Errorf("after the scale change: ETag %s (was %s), band %v", etag2, etag, band(img))
	}

	// A claim being checked has a card without a rating; a candidate none.
	var checking, candidate *models.Claim
	for i := range f.claims {
		if f.claims[i].ID != f.verdict.ID {
			checking = &f.claims[i]
			break
		}
	}
	if _, img := fetchCard(t, f, checking); img == nil || band(img) != (color.RGBA{0x37, 0x47, 0x4f, 0xff}) {
		t.Errorf("card of a claim being checked: not the checking colour")
	}
	candidate = &models.Claim{DocumentID: &f.doc.ID, Anchor: models.Anchor{Start: 0, End: 8}, Status: models.StatusCandidate, Origin: models.OriginDetected, Kind: models.KindOther}
	if err := f.db.CreateClaim(ctx, candidate, nil); err != nil {
		t.Fatal(err)
	}
	if s, _, _, _ := fetch(frontend.CardPath(candidate)); s != 404 {
		t.Errorf("card of a candidate: %d, want 404", s)
	}
}

func fetchCard(t *testing.T, f *readerFixture, c *models.Claim) (int, image.Image) {
	t.Helper()
	res, body := f.get(t, frontend.CardPath(c))
	if res.StatusCode != 200 {
		return res.StatusCode, nil
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return 200, img
}
