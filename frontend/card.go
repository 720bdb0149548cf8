package frontend

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"factdesk/models"
)

// A share card is the picture social sites show with a link to a verdict
// (og:image, twitter:image): 1200 × 630, the size they all accept, with
// the organisation, the rating as a coloured badge and the claim as stated.
const (
	CardWidth  = 1200
	CardHeight = 630
)

// cardColours are the palette's badge colours, as in site.css (--r-*),
// each checked for contrast with white text.
var cardColours = map[models.Colour]color.RGBA{
	"green": {0x1b, 0x5e, 0x20, 0xff}, "olive": {0x33, 0x69, 0x1e, 0xff}, "amber": {0x7a, 0x4f, 0x01, 0xff},
	"orange": {0xa3, 0x3b, 0x00, 0xff}, "red": {0xb7, 0x1c, 0x1c, 0xff}, "purple": {0x6a, 0x1b, 0x9a, 0xff},
	"slate": {0x45, 0x5a, 0x64, 0xff},
}

var (
	cardChecking = color.RGBA{0x37, 0x47, 0x4f, 0xff}
	cardInk      = color.RGBA{0x1d, 0x1d, 0x1b, 0xff}
	cardMuted    = color.RGBA{0x55, 0x55, 0x50, 0xff}
	cardPaper    = color.RGBA{0xfb, 0xfb, 0xf8, 0xff}
	cardLine     = color.RGBA{0xc9, 0xc9, 0xc3, 0xff}
)

// The Go fonts are parsed once; a font.Face is not safe for concurrent
// use, so each card makes its own faces from them.
var cardFonts = sync.OnceValues(func() (fonts [2]*opentype.Font, err error) {
	if fonts[0], err = opentype.Parse(goregular.TTF); err != nil {
		return fonts, err
	}
	fonts[1], err = opentype.Parse(gobold.TTF)
	return fonts, err
})

func cardFace(f *opentype.Font, size float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// CardAlt is the text of a verdict's card, for og:image:alt.
func CardAlt(s *models.Scale, c *models.Claim) string {
	return cardRating(s, c) + ": “" + excerpt(c.Text, 200) + "”"
}

// cardRating is what the card's badge says: the rating of a published
// verdict ("Being checked" for any other), the conclusion in words on a
// scale without labels.
func cardRating(s *models.Scale, c *models.Claim) string {
	v := VerdictOf(s, c)
	if v.Published && s.Labelless() {
		return excerpt(firstSentence(PlainText(c.Explanation)), 60)
	}
	return v.Label()
}

// Card renders the share card of claim c as a PNG.
func (r *Renderer) Card(s *models.Scale, c *models.Claim) ([]byte, error) {
	fonts, err := cardFonts()
	if err != nil {
		return nil, fmt.Errorf("card fonts: %w", err)
	}
	faces := map[string]font.Face{}
	for name, spec := range map[string]struct {
		f    *opentype.Font
		size float64
	}{"org": {fonts[1], 34}, "kicker": {fonts[0], 26}, "badge": {fonts[1], 40}, "claim": {fonts[1], 50}, "small": {fonts[0], 28}, "claimSmall": {fonts[1], 40}} {
		if faces[name], err = cardFace(spec.f, spec.size); err != nil {
			return nil, fmt.Errorf("card face: %w", err)
		}
		defer faces[name].Close()
	}

	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	draw.Draw(img, img.Bounds(), &image.Uniform{cardPaper}, image.Point{}, draw.Src)
	v := VerdictOf(s, c)
	badge := cardChecking
	if v.Published {
		if col, ok := cardColours[v.Step.Colour]; ok {
			badge = col
		}
	}
	// A band of the rating's colour down the left edge, as on the page.
	draw.Draw(img, image.Rect(0, 0, 24, CardHeight), &image.Uniform{badge}, image.Point{}, draw.Src)

	const left, right = 72, CardWidth - 72
	text(img, faces["org"], cardInk, left, 92, r.site.OrgName)
	kicker := "FACT-CHECK"
	if !v.Published {
		kicker = "BEING CHECKED"
	}
	text(img, faces["kicker"], cardMuted, left, 134, kicker)

	// The rating as a pill.
	label := fit(faces["badge"], cardRating(s, c), right-left-56)
	w := font.MeasureString(faces["badge"], label).Ceil()
	pill(img, image.Rect(left, 168, left+w+56, 240), badge)
	text(img, faces["badge"], color.White, left+28, 219, label)

	// The claim, wrapped; a long one in a smaller size, then cut.
	face, lineH, maxLines := faces["claim"], 64, 4
	quoted := "“" + strings.TrimSpace(c.Text) + "”"
	lines := wrap(face, quoted, right-left)
	if len(lines) > maxLines {
		face, lineH, maxLines = faces["claimSmall"], 52, 5
		lines = wrap(face, quoted, right-left)
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = fit(face, lines[maxLines-1]+" …", right-left)
	}
	y := 320
	for _, l := range lines {
		text(img, face, cardInk, left, y, l)
		y += lineH
	}

	// The footer: who said it, and where the verdict is.
	draw.Draw(img, image.Rect(left, CardHeight-86, right, CardHeight-84), &image.Uniform{cardLine}, image.Point{}, draw.Src)
	foot := "Claimant not identified"
	if c.Claimant != "" {
		foot = "Said by " + c.Claimant
	}
	host := strings.TrimPrefix(strings.TrimPrefix(r.site.BaseURL, "https://"), "http://")
	hw := font.MeasureString(faces["small"], host).Ceil()
	text(img, faces["small"], cardMuted, left, CardHeight-40, fit(faces["small"], foot, right-left-hw-40))
	text(img, faces["small"], cardMuted, right-hw, CardHeight-40, host)

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode card: %w", err)
	}
	return buf.Bytes(), nil
}

// text draws s with its baseline at y.
func text(img draw.Image, face font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// pill fills r with rounded ends.
func pill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	rad := r.Dy() / 2
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cx := x
			switch {
			case x < r.Min.X+rad:
				cx = r.Min.X + rad
			case x >= r.Max.X-rad:
				cx = r.Max.X - rad - 1
			}
			dx, dy := x-cx, y-(r.Min.Y+rad)
			if dx*dx+dy*dy <= rad*rad {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

// wrap breaks s into lines no wider than width, at spaces; a word wider
// than a line is cut.
func wrap(face font.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if font.MeasureString(face, try).Ceil() <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = fit(face, word, width)
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fit cuts s, with an ellipsis, to width.
func fit(face font.Face, s string, width int) string {
	if font.MeasureString(face, s).Ceil() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(face, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}
