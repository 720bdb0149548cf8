package store

import (
	"context"

	"gorm.io/gorm"

	"factdesk/models"
)

// Placement is where an editor puts a claim back in its document: Start and
// End in code points of the body. Offsets mean something only for the body
// they were measured on, so DocumentVersion, when not zero, must be the
// document's version; Version is the claim's version the placement is based on.
type Placement struct {
	Version         int
	Start, End      int
	DocumentVersion int
}

// PlaceClaim anchors a claim at new words of its document, typically one
// whose quote an edit of the body left nowhere to be found: the quote,
// prefix and suffix are taken from the body, the orphaned flag is cleared,
// and the move is recorded. Any claim of a document may be placed, a
// published one too: that corrects where it stands, not what it says.
func (db *DB) PlaceClaim(ctx context.Context, id int64, p Placement, actor *models.User) (*models.Claim, error) {
	var out *models.Claim
	err := db.tx(ctx, func(tx *gorm.DB) error {
		old, err := claimToEdit(tx, id, p.Version)
		if err != nil {
			return err
		}
		if old.DocumentID == nil {
			return &models.Error{Code: models.EINVALID, Message: "a free-standing claim has no place in a document",
				Fields: map[string]string{"document_id": "the claim belongs to no document"}}
		}
		d, err := getDocument(tx, *old.DocumentID)
		if err != nil {
			return err
		}
		if p.DocumentVersion != 0 && p.DocumentVersion != d.Version {
			return models.Conflict(d, "the document was edited since the words were selected (now version %d, yours %d)", d.Version, p.DocumentVersion)
		}
		a, err := models.NewAnchor(d.Body, p.Start, p.End)
		if err != nil {
			return err
		}
		c := *old
		c.Anchor, c.Orphaned = a, false
		if err := db.saveClaim(tx, old, &c, "place", actor, "claim re-placed"); err != nil {
			return err
		}
		out = &c
		return nil
	})
	return out, err
}
