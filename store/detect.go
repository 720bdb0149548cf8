package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"factdesk/extract"
	"factdesk/models"
)

// DetectClaims runs claim detection again on a document and stores the new
// candidates; it returns how many were added. A span that overlaps any claim
// of the document, triaged or not, is left alone.
func (db *DB) DetectClaims(ctx context.Context, documentID int64) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *gorm.DB) error {
		d, err := getDocument(tx, documentID)
		if err != nil {
			return err
		}
		n, err = db.detect(tx, d, propose(d.Body))
		return err
	})
	return n, err
}

// MaxCandidates is how many proposals detection stores for one document,
// the best scored: a megabyte of prose dense with figures gave 11,000,
// more than any desk triages, and storing them held the write lock for
// seconds while editors' edits waited.
const MaxCandidates = 200

// propose runs detection on a body, outside any transaction where the
// caller can: on a 2 MB body it takes a fraction of a second of CPU, which
// no write lock should wait for. At most MaxCandidates, in text order.
func propose(body string) []extract.Proposal {
	ps := extract.Propose(body, extract.DefaultThreshold)
	if len(ps) <= MaxCandidates {
		return ps
	}
	slices.SortStableFunc(ps, func(a, b extract.Proposal) int { return cmp.Compare(b.Score, a.Score) })
	ps = ps[:MaxCandidates]
	slices.SortFunc(ps, func(a, b extract.Proposal) int { return cmp.Compare(a.Start, b.Start) })
	return ps
}

// detect stores the proposals of d that overlap no claim of it.
func (db *DB) detect(tx *gorm.DB, d *models.Document, props []extract.Proposal) (int, error) {
	var taken []models.Claim
	if err := tx.Select("id, start, \"end\", orphaned").Where("document_id = ?", d.ID).Find(&taken).Error; err != nil {
		return 0, fmt.Errorf("detect: %w", err)
	}
	added := 0
	body := []rune(d.Body)
	// A proposal is the checkable clause, not always the whole sentence,
	// stated in the short wording detection suggests for claimReviewed;
	// the editor rewrites it at triage. The claimant is only suggested on
	// the desk: nobody is credited with a claim by default.
	for _, p := range props {
		if overlapsAny(taken, p.Start, p.End) {
			continue
		}
		text := p.Short
		if text == "" {
			text = p.Text
		}
		c := models.Claim{
			DocumentID: &d.ID,
			Anchor:     models.Anchor{Start: p.Start, End: p.End},
			Text:       text,
			Kind:       p.Kind,
			Score:      p.Score,
			Origin:     models.OriginDetected,
			Status:     models.StatusCandidate,
		}
		if err := db.createClaim(tx, body, &c, nil, "proposed by claim detection"); err != nil {
			return added, err
		}
		taken = append(taken, c)
		added++
	}
	return added, nil
}

func overlapsAny(claims []models.Claim, start, end int) bool {
	for _, c := range claims {
		if !c.Orphaned && c.Start < end && start < c.End {
			return true
		}
	}
	return false
}

// reanchor finds every claim of d again in its new body. Claims found are
// moved to where their quote now stands; the others are flagged orphaned,
// and orphaned counts those that had a place before.
func (db *DB) reanchor(tx *gorm.DB, d *models.Document, props []extract.Proposal, actor *models.User) (orphaned int, err error) {
	var claims []models.Claim
	if err := tx.Where("document_id = ?", d.ID).Order("id").Find(&claims).Error; err != nil {
		return 0, fmt.Errorf("reanchor: %w", err)
	}
	for i := range claims {
		old := claims[i]
		if old.Exact == "" {
			continue
		}
		c := old
		a, ok := extract.Reanchor(old.Anchor, d.Body)
		summary := "quote found again after the document was edited"
		if ok {
			c.Anchor, c.Orphaned = a, false
			// A proposal nobody has triaged yet states its own quote: it
			// follows the words, or the editor would triage the old ones.
			if old.Status == models.StatusCandidate && old.Origin == models.OriginDetected && old.Text == old.Exact {
				c.Text = a.Exact
			}
		} else {
			c.Orphaned = true
			summary = "quote not found after the document was edited: place it again"
		}
		if c.Anchor == old.Anchor && c.Orphaned == old.Orphaned {
			continue
		}
		if err := db.saveClaim(tx, &old, &c, "reanchor", actor, summary); err != nil {
			return 0, err
		}
		if c.Orphaned {
			orphaned++
		}
	}
	_, err = db.detect(tx, d, props)
	return orphaned, err
}
