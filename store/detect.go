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

// DefaultMaxCandidates is how many untriaged proposals a document holds
// unless Options say otherwise, the best scored: a megabyte of prose dense
// with figures gave 11,000, more than any desk triages, and storing them
// held the write lock for seconds while editors' edits waited.
const DefaultMaxCandidates = 200

// detectBatch is how many proposals one transaction of DetectInBatches
// stores: 25 took about 15 ms of write lock on SQLite (a 2 MB body's 200
// proposals in 8 transactions), far under the 100 ms an editor's save may
// wait.
const detectBatch = 25

// propose runs detection on a body, outside any transaction where the
// caller can: on a 2 MB body it takes about 200 ms of CPU, which no write
// lock should wait for. Every proposal above the threshold, in text order.
func propose(body string) []extract.Proposal {
	return extract.Propose(body, extract.DefaultThreshold)
}

// DetectInBatches runs claim detection (again) on a document and stores
// the new candidates; it returns how many were added. A span that overlaps
// any claim of the document, triaged or not, is left alone, and the
// document holds at most the cap of untriaged proposals
// (Options.MaxCandidates). It proposes in short
// transactions (detectBatch proposals each), so that a large body holds the
// write lock for moments, not seconds. Detection runs before any of them.
// Run again (a job rerun after a crash), it adds only what is missing.
// progress, if set, hears how many of the chosen proposals are stored.
func (db *DB) DetectInBatches(ctx context.Context, documentID int64, progress func(done, total int)) (int, error) {
	d, err := db.GetDocument(ctx, documentID)
	if err != nil {
		return 0, err
	}
	taken, err := claimsTaken(db.gorm.WithContext(ctx), d.ID)
	if err != nil {
		return 0, err
	}
	chosen, more := db.choose(propose(d.Body), taken)
	body := []rune(d.Body)
	added := 0
	for start := 0; start == 0 || start < len(chosen); start += detectBatch {
		batch := chosen[start:min(start+detectBatch, len(chosen))]
		last := start+detectBatch >= len(chosen)
		err := db.tx(ctx, func(tx *gorm.DB) error {
			// Read again: an editor may have placed a claim meanwhile.
			taken, err := claimsTaken(tx, d.ID)
			if err != nil {
				return err
			}
			fit, _ := db.choose(batch, taken)
			n, err := db.placeProposals(tx, d, body, fit)
			added += n
			if err != nil || !last {
				return err
			}
			return setMoreCandidates(tx, d, more)
		})
		if err != nil {
			return added, err
		}
		if progress != nil {
			progress(min(start+detectBatch, len(chosen)), len(chosen))
		}
	}
	db.matchAtImport(ctx, d.ID)
	return added, nil
}

// detect stores, in tx, the proposals of d that overlap no claim of it, up
// to the cap.
func (db *DB) detect(tx *gorm.DB, d *models.Document, props []extract.Proposal) (int, error) {
	taken, err := claimsTaken(tx, d.ID)
	if err != nil {
		return 0, err
	}
	chosen, more := db.choose(props, taken)
	n, err := db.placeProposals(tx, d, []rune(d.Body), chosen)
	if err != nil {
		return n, err
	}
	return n, setMoreCandidates(tx, d, more)
}

// claimsTaken lists the spans of the claims of a document, with their
// status, for choose.
func claimsTaken(tx *gorm.DB, documentID int64) ([]models.Claim, error) {
	var taken []models.Claim
	if err := tx.Select("id, start, \"end\", orphaned, status").Where("document_id = ?", documentID).Find(&taken).Error; err != nil {
		return nil, fmt.Errorf("detect: %w", err)
	}
	return taken, nil
}

// choose keeps the proposals that overlap no claim of taken, the best
// scored first, as many as the cap leaves room for beside the untriaged
// proposals already there; more is how many above the threshold did not
// fit. chosen is in text order.
func (db *DB) choose(props []extract.Proposal, taken []models.Claim) (chosen []extract.Proposal, more int) {
	room := db.maxCandidates
	for _, c := range taken {
		if c.Status == models.StatusCandidate && !c.Orphaned {
			room--
		}
	}
	// Proposals come in text order; one that overlaps a proposal kept
	// before it is left out, as one that overlaps a claim.
	keptEnd := -1
	for _, p := range props {
		if p.Start >= keptEnd && !overlapsAny(taken, p.Start, p.End) {
			chosen = append(chosen, p)
			keptEnd = max(keptEnd, p.End)
		}
	}
	room = max(room, 0)
	if len(chosen) <= room {
		return chosen, 0
	}
	more = len(chosen) - room
	chosen = slices.Clone(chosen)
	slices.SortStableFunc(chosen, func(a, b extract.Proposal) int { return cmp.Compare(b.Score, a.Score) })
	chosen = chosen[:room]
	slices.SortFunc(chosen, func(a, b extract.Proposal) int { return cmp.Compare(a.Start, b.Start) })
	return chosen, more
}

// placeProposals stores props as candidates of d; body is d's, in runes.
func (db *DB) placeProposals(tx *gorm.DB, d *models.Document, body []rune, props []extract.Proposal) (int, error) {
	added := 0
	// A proposal is the checkable clause, not always the whole sentence,
	// stated in the short wording detection suggests for claimReviewed;
	// the editor rewrites it at triage. The claimant is only suggested on
	// the desk: nobody is credited with a claim by default.
	for _, p := range props {
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
		added++
	}
	return added, nil
}

// setMoreCandidates notes how many proposals the cap left out. It is a
// count the desk shows, not an edit: no version, no revision.
func setMoreCandidates(tx *gorm.DB, d *models.Document, more int) error {
	d.MoreCandidates = more
	if err := tx.Table("documents").Where("id = ?", d.ID).UpdateColumn("more_candidates", more).Error; err != nil {
		return fmt.Errorf("detect: %w", err)
	}
	return nil
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
