package models

// What readers (anyone not signed in) may see. Editors see every record;
// the reader pages, the JSON API and search all ask these rules, and the
// store's SQL mirrors them (store/visibility.go), checked by a test that runs
// both over the same records.

// PublicStatuses are the statuses readers may see, in workflow order.
func PublicStatuses() []Status {
	var out []Status
	for _, s := range Statuses {
		if s.Public() {
			out = append(out, s)
		}
	}
	return out
}

// ShowsDocument reports whether the claim makes its document public. Readers
// reach a document through the claims marked in it, so a document is public
// while at least one of its claims is in a public status and still anchored
// in the text; a document whose claims are all candidates, dismissed or
// orphaned by an edit is still the desk's draft, and readers get a 404.
func (c *Claim) ShowsDocument() bool { return c.Status.Public() && !c.Orphaned }

// DocumentPublic applies ShowsDocument to the claims of one document.
func DocumentPublic(claims []Claim) bool {
	return DocumentPublicWith(claims, nil)
}

// ShowsAppearance reports whether an appearance of the claim makes the
// document it stands in public: readers see the claim, and the annotated
// document marks where it was said again, so a document none of whose own
// claims is public yet is public while it holds an appearance of one.
func (c *Claim) ShowsAppearance() bool { return c.Status.Public() }

// DocumentPublicWith is DocumentPublic for a document whose own claims are
// claims and which holds appearances of the claims repeated.
func DocumentPublicWith(claims, repeated []Claim) bool {
	for i := range claims {
		if claims[i].ShowsDocument() {
			return true
		}
	}
	for i := range repeated {
		if repeated[i].ShowsAppearance() {
			return true
		}
	}
	return false
}

// VisibleTo reports whether u may see the claim at all: a signed-in
// editor sees every claim, a reader (nil) one in a public status.
func (c *Claim) VisibleTo(u *User) bool { return u != nil || c.Status.Public() }
