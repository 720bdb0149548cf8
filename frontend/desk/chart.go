package desk

import (
	"fmt"
	"strings"

	"factdesk/models"
)

// Chart is the dashboard's bar chart of claims by status, drawn as SVG on
// the server. Every bar carries its status and its count as text, so it
// reads without colour and without JavaScript.
type Chart struct {
	Width, Height int
	Bars          []Bar
	Summary       string // the counts in one sentence, for assistive technology
}

// Bar is one status of the chart; the numbers are SVG coordinates.
type Bar struct {
	Status     models.Status
	Label      string
	Count      int64
	Y, TextY   int
	BarX, BarW int
	NumX       int
	Link       string
}

const (
	chartWidth  = 360
	chartLabelW = 100 // room for the longest status label
	chartNumW   = 44  // room for the count after the longest bar
	chartRow    = 30
	chartBarH   = 20
)

// NewChart draws the counts of every status, in workflow order.
func NewChart(counts map[models.Status]int64) Chart {
	var most int64
	for _, s := range models.Statuses {
		most = max(most, counts[s])
	}
	c := Chart{Width: chartWidth, Height: chartRow * len(models.Statuses)}
	var parts []string
	span := chartWidth - chartLabelW - chartNumW
	for i, s := range models.Statuses {
		n := counts[s]
		w := 0
		if most > 0 {
			w = int(int64(span) * n / most)
		}
		if n > 0 && w < 2 {
			w = 2 // a status with claims is never drawn as nothing
		}
		y := i * chartRow
		c.Bars = append(c.Bars, Bar{
			Status: s, Label: s.Label(), Count: n,
			Y: y + (chartRow-chartBarH)/2, TextY: y + chartRow/2 + 5,
			BarX: chartLabelW, BarW: w, NumX: chartLabelW + w + 8,
			Link: "/desk/claims?status=" + string(s),
		})
		parts = append(parts, fmt.Sprintf("%s %d", s.Label(), n))
	}
	c.Summary = "Claims by status: " + strings.Join(parts, ", ") + "."
	return c
}
