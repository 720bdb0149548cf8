// Package demo holds the document a new Factdesk starts with: a real op-ed
// on Pakistan and Afghanistan, and the factual claims an editor listed in it.
// It carries claims only: no ratings, no verdicts, no sources.
package demo

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"factdesk/models"
)

//go:embed oped-pakistan-afghanistan.txt
var body string

// ImportKey marks in the database that the demo was imported once.
const ImportKey = "demo_imported"

// Summary is the note recorded with the import. The text states no title,
// author, publisher or date, and Factdesk does not invent them.
const Summary = "demo document imported; the text states no title, author, publisher or date, so none is recorded"

// Document returns the demo document.
func Document() models.Document {
	return models.Document{Body: body, Language: "en"}
}

// listed is a claim as the editor wrote it down: its exact words in the text.
type listed struct {
	quote    string
	claimant string
	kind     models.Kind
}

// The op-ed's author is not named, so claims the author makes have no
// claimant; the others name who the text says made them.
var claims = []listed{
	{"providing refuge to millions of Afghans during times of war", "", models.KindStatistic},
	{"lobbying on the global stage for the recognition of Taliban-led Kabul", "", models.KindEvent},
	{"the Afghan Taliban’s continued patronage of anti-Pakistan militant groups, most notably the banned Tehreek-e-Taliban Pakistan (TTP)", "", models.KindEvent},
	{"refusing to acknowledge the presence of safe havens for TTP and other terrorist factions on Afghan soil", "", models.KindEvent},
	{"The presence of TTP leadership and cadres inside Afghanistan is no longer a matter of speculation", "", models.KindEvent},
	{"they accuse Pakistan of targeting women and children", "Afghan Taliban", models.KindAttribution},
	{"news routinely emerges from within Afghanistan of TTP executing its own commanders for suspected links to Pakistani intelligence", "", models.KindEvent},
	{"with the former formally recognising the Taliban as a government", "", models.KindEvent},
	{"have publicly raised alarms about the presence of thousands of foreign terrorists on Afghan territory", "Russia, China and Iran", models.KindAttribution},
	{"Moscow’s warning about “23,000 terrorists” operating inside Afghanistan", "Russia", models.KindStatistic},
	{"The recent Moscow Format meeting, which, for the first time, included Afghan Foreign Minister Amir Khan Muttaqi", "", models.KindEvent},
	{"the UN even granted travel waivers to Muttaqi, allowing him to attend international conferences", "", models.KindEvent},
	{"India, a country credibly accused by Canada and the United States of orchestrating extrajudicial killings on foreign soil", "Canada and the United States", models.KindAttribution},
	{"India has exploited every regional conflict to undermine Pakistan, especially through proxy warfare in Balochistan and Khyber Pakhtunkhwa", "", models.KindCausal},
	{"Tribal elders have even issued ultimatums to militants to vacate certain areas by set deadlines", "", models.KindEvent},
	{"Militants target police stations, ambush officers, and use advanced technology, including drones and social media, to coordinate attacks", "", models.KindEvent},
}

// Claims returns the listed claims, anchored by code point in Document's
// body, status open.
func Claims() ([]models.Claim, error) {
	out := make([]models.Claim, 0, len(claims))
	for _, l := range claims {
		i := strings.Index(body, l.quote)
		if i < 0 || strings.Count(body, l.quote) != 1 {
			return nil, fmt.Errorf("demo: the quote %q does not occur exactly once", l.quote)
		}
		start := utf8.RuneCountInString(body[:i])
		out = append(out, models.Claim{
			Anchor:   models.Anchor{Start: start, End: start + utf8.RuneCountInString(l.quote)},
			Text:     l.quote,
			Claimant: l.claimant,
			Kind:     l.kind,
			Origin:   models.OriginManual,
			Status:   models.StatusOpen,
		})
	}
	return out, nil
}
