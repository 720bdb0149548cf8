package models

import "time"

// Snapshot is an archived copy of a source's URL, taken by Factdesk itself:
// the bytes as the site answered them, kept whatever the page becomes.
type Snapshot struct {
	ID       int64  `json:"id"`
	SourceID int64  `json:"source_id"`
	URL      string `json:"url"`       // the URL asked for
	FinalURL string `json:"final_url"` // the URL answered, after redirects
	Status   int    `json:"status"`
	// ContentType is the media type stored and served (text/html,
	// application/pdf, image/png, …).
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// TextSHA256 is the SHA-256 of a page's visible text (HTML only, ""
	// otherwise): a re-check compares it, so that a page whose scripts,
	// tokens or markup change on every load is not reported as changed.
	TextSHA256 string    `json:"text_sha256"`
	FetchedAt  time.Time `json:"fetched_at"`
}

// ArchiveState is where the archiving of a source's URL stands.
type ArchiveState string

const (
	// ArchivePending: a copy is wanted and not taken yet.
	ArchivePending ArchiveState = "pending"
	// ArchiveArchived: a copy is kept, and the live page matched it when
	// last checked.
	ArchiveArchived ArchiveState = "archived"
	// ArchiveFailed: no copy could be taken; Error says why.
	ArchiveFailed ArchiveState = "failed"
	// ArchiveChanged: the live page no longer matches the copy kept.
	ArchiveChanged ArchiveState = "changed"
	// ArchiveLiveFails: a copy is kept but the live page now fails.
	ArchiveLiveFails ArchiveState = "live_fails"
)

// Label is the state in the desk's words.
func (s ArchiveState) Label() string {
	switch s {
	case ArchivePending:
		return "archiving"
	case ArchiveArchived:
		return "archived"
	case ArchiveFailed:
		return "not archived"
	case ArchiveChanged:
		return "live page changed"
	case ArchiveLiveFails:
		return "live page fails"
	}
	return string(s)
}

// Archive is the archiving state of one source.
type Archive struct {
	SourceID int64        `json:"source_id"`
	URL      string       `json:"url"` // the URL this state is about
	State    ArchiveState `json:"state"`
	// Reason and Error say why the last fetch failed (fetch.Reason and its
	// message); empty after a fetch that worked.
	Reason string `json:"reason"`
	Error  string `json:"error"`
	// LiveStatus and LiveSHA256 are what the last fetch of the live page
	// answered; CheckedAt when that was.
	LiveStatus int        `json:"live_status"`
	LiveSHA256 string     `json:"live_sha256"`
	CheckedAt  *time.Time `json:"checked_at"`
	// Attempts counts fetches that failed in a row.
	Attempts int `json:"attempts"`
	// SnapshotID is the newest copy kept of URL, if any.
	SnapshotID *int64    `json:"snapshot_id"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Marked reports whether the desk should draw attention to the source: its
// copy could not be taken, or the live page has moved away from it.
func (a *Archive) Marked() bool {
	return a != nil && (a.State == ArchiveFailed || a.State == ArchiveChanged || a.State == ArchiveLiveFails)
}
