package store

import (
	"context"
	"fmt"

	"factdesk/models"
)

// DocumentDetail is what an annotated document page is built from: the
// document, every claim of it, the appearances linked in it with the
// claims they repeat, and the rating scale. The page shows part of it
// (the claims and repeats readers may see); DocumentStampOf covers all of
// it, as the DocumentStamp query does, so a page rendered from a detail
// carries the stamp the query returns for the same state.
type DocumentDetail struct {
	Document models.Document
	// Claims are in text order: start, longest first, then ID.
	Claims []models.Claim
	// Appearances are in text order; Repeated holds the claims they
	// repeat, by ID.
	Appearances []models.Appearance
	Repeated    map[int64]models.Claim
	Scale       models.Scale
}

// GetDocumentDetail reads a document whole, for its reader page.
func (db *DB) GetDocumentDetail(ctx context.Context, id int64) (*DocumentDetail, error) {
	d, err := db.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &DocumentDetail{Document: *d, Repeated: map[int64]models.Claim{}}
	g := db.gorm.WithContext(ctx)
	if err := g.Where("document_id = ?", id).Order("start, \"end\" DESC, id").Find(&out.Claims).Error; err != nil {
		return nil, fmt.Errorf("document claims: %w", err)
	}
	if err := g.Where("document_id = ?", id).Order("start, id").Find(&out.Appearances).Error; err != nil {
		return nil, fmt.Errorf("document appearances: %w", err)
	}
	if len(out.Appearances) > 0 {
		var repeated []models.Claim
		if err := g.Where("id IN ?", idsOf(out.Appearances, func(a models.Appearance) int64 { return a.ClaimID })).Find(&repeated).Error; err != nil {
			return nil, fmt.Errorf("repeated claims: %w", err)
		}
		for _, c := range repeated {
			out.Repeated[c.ID] = c
		}
	}
	if out.Scale, err = db.Scale(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// Public is what readers see of the document: its claims that show it
// (models.Claim.ShowsDocument) and the claims said again in it that they
// may see, each with the anchor of its appearance here, in text order.
func (d *DocumentDetail) Public() (claims, repeats []models.Claim) {
	for _, c := range d.Claims {
		if c.ShowsDocument() {
			claims = append(claims, c)
		}
	}
	for _, a := range d.Appearances {
		if c, ok := d.Repeated[a.ClaimID]; ok && c.ShowsAppearance() {
			c.Anchor, c.Orphaned = a.Anchor, false
			repeats = append(repeats, c)
		}
	}
	return claims, repeats
}

// DocumentStampOf computes the stamp of a document detail, equal to what
// DocumentStamp reads for the same state.
func DocumentStampOf(d *DocumentDetail) DocumentStamp {
	s := DocumentStamp{Version: d.Document.Version, ScaleVersion: d.Scale.Version, LastModified: d.Document.UpdatedAt}
	for _, c := range d.Claims {
		s.ClaimCount++
		s.ClaimVersions += int64(c.Version)
		s.LastModified = later(s.LastModified, c.UpdatedAt)
		if c.ShowsDocument() {
			s.PublicClaims++
		}
	}
	for _, a := range d.Appearances {
		s.Appearances++
		s.AppearanceMaxID = max(s.AppearanceMaxID, a.ID)
		c, ok := d.Repeated[a.ClaimID]
		if !ok {
			continue
		}
		s.RepeatedVersions += int64(c.Version)
		s.LastModified = later(s.LastModified, c.UpdatedAt)
		if c.ShowsAppearance() {
			s.PublicAppearances++
		}
	}
	return s
}
