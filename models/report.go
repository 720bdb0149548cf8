package models

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// ReportKind says what a reader sent.
type ReportKind string

const (
	// ReportError is "Report an error" on a verdict page.
	ReportError ReportKind = "error"
	// ReportSuggestion is "Suggest a claim to check".
	ReportSuggestion ReportKind = "suggestion"
)

// Valid reports whether k is a known kind.
func (k ReportKind) Valid() bool { return k == ReportError || k == ReportSuggestion }

// ReportStatus is where a report stands in the desk's moderation queue.
type ReportStatus string

const (
	ReportNew       ReportStatus = "new"       // waiting for an editor
	ReportSpam      ReportStatus = "spam"      // junk: dropped, the reader is not written to
	ReportDuplicate ReportStatus = "duplicate" // already reported or already checked
	ReportAccepted  ReportStatus = "accepted"  // became a claim proposal or a pending correction
)

// Valid reports whether s is a known status.
func (s ReportStatus) Valid() bool {
	return s == ReportNew || s == ReportSpam || s == ReportDuplicate || s == ReportAccepted
}

// Limits of a reader's report.
const (
	MaxReportRunes     = 5000
	MaxReportLinkRunes = 2000
)

// Report is what a reader sent through a form of the reader site: an error
// on a published verdict (ClaimID set) or a claim to check. Email is the
// address the reader left to be told the outcome; it is kept only until
// that message is sent (or given up), then erased, and never shown.
type Report struct {
	ID      int64        `json:"id"`
	Kind    ReportKind   `json:"kind"`
	ClaimID *int64       `json:"claim_id"`
	Body    string       `json:"body"`
	Link    string       `json:"link"`
	Email   string       `json:"-"`
	Status  ReportStatus `json:"status"`
	// ResultClaimID is the claim an accepted report became or corrects.
	ResultClaimID *int64 `json:"result_claim_id"`
	// Note is the editor's word on the decision, told to the reader.
	Note        string     `json:"note"`
	ModeratorID *int64     `json:"moderator_id"`
	ModeratedAt *time.Time `json:"moderated_at"`
	CreatedAt   time.Time  `json:"created_at"`
	// Reply is where the message to the reader stands: "" when none was
	// asked for, pending, sent, dropped (spam: never written to) or failed.
	Reply         string     `json:"reply"`
	ReplyAttempts int        `json:"-"`
	ReplyNextAt   *time.Time `json:"-"`
	ReplyError    string     `json:"-"`
}

// Reply states of a report.
const (
	ReplyNone    = ""
	ReplyWanted  = "wanted"  // the reader left an address; no outcome yet
	ReplyPending = "pending" // the outcome waits to be mailed
	ReplySent    = "sent"
	ReplyDropped = "dropped" // spam: the address was erased unused
	ReplyFailed  = "failed"  // given up: the address was erased
	ReplyExpired = "expired" // not moderated in time: the address was erased unused
)

// KeepReplyAddress is how long the address of a reader waiting for an
// answer is kept while the report waits for moderation.
const KeepReplyAddress = 90 * 24 * time.Hour

// WantsReply reports whether the reader left an address that is still kept.
func (r *Report) WantsReply() bool { return r.Email != "" }

// Normalize trims what the reader typed.
func (r *Report) Normalize() {
	trimSpace(&r.Body, &r.Link, &r.Email)
}

// Validate checks a report as a reader sent it.
func (r *Report) Validate() error {
	f := FieldErrors{}
	if !r.Kind.Valid() {
		f.Add("kind", "must be error or suggestion")
	}
	if r.Kind == ReportError && r.ClaimID == nil {
		f.Add("claim_id", "an error report names the verdict")
	}
	what := "what is wrong"
	if r.Kind == ReportSuggestion {
		what = "the claim"
	}
	switch n := utf8.RuneCountInString(r.Body); {
	case n == 0:
		f.Add("body", "tell us "+what)
	case n < 10:
		f.Add("body", "is too short to act on: write at least 10 characters")
	case n > MaxReportRunes:
		f.Add("body", "must be at most 5000 characters")
	}
	if r.Link != "" {
		u, err := url.Parse(r.Link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || utf8.RuneCountInString(r.Link) > MaxReportLinkRunes {
			f.Add("link", "must be a web address starting with http:// or https://")
		}
	}
	if r.Email != "" {
		a, err := mail.ParseAddress(r.Email)
		if err != nil || a.Address != r.Email || len(r.Email) > 254 {
			f.Add("email", "is not an email address (leave it empty if you do not want an answer)")
		}
	}
	return f.Err()
}

// Moderation is an editor's decision on a report.
type Moderation struct {
	Status ReportStatus `json:"status"`
	Note   string       `json:"note"`
	// For an accepted error report: the correction it becomes on the claim
	// (a public note, and the rating or explanation as corrected).
	Correction *TransitionInput `json:"-"`
	// For an accepted suggestion: the claim as it will be proposed (the
	// reader's text when empty) and who said it.
	ClaimText string `json:"claim_text"`
	Claimant  string `json:"claimant"`
}

// CheckModeration checks a decision on r.
func CheckModeration(r *Report, m *Moderation) error {
	if r.Status != ReportNew {
		return Conflict(r, "this report was already moderated (%s)", r.Status)
	}
	f := FieldErrors{}
	switch m.Status {
	case ReportSpam, ReportDuplicate, ReportAccepted:
	default:
		f.Add("status", "must be spam, duplicate or accepted")
	}
	if utf8.RuneCountInString(m.Note) > 2000 {
		f.Add("note", "must be at most 2000 characters")
	}
	return f.Err()
}

// ReplyText is the message to the reader once r is moderated: its subject
// and body, in plain text. org names the newsroom.
func ReplyText(r *Report, org, claimURL string) (subject, body string) {
	what := "your report of an error"
	if r.Kind == ReportSuggestion {
		what = "your suggestion of a claim to check"
	}
	subject = org + ": about " + what
	var b strings.Builder
	b.WriteString("Thank you for " + what + ".\n\n")
	switch r.Status {
	case ReportAccepted:
		if r.Kind == ReportSuggestion {
			b.WriteString("Our editors will check the claim you suggested.")
		} else {
			b.WriteString("Our editors agreed, and a correction of the verdict is under review. Once approved it is listed on the verdict page with its date.")
		}
	case ReportDuplicate:
		b.WriteString("It repeats something already reported to us or already checked.")
	default:
		b.WriteString("Our editors read it and decided to take no action.")
	}
	b.WriteString("\n")
	if claimURL != "" {
		b.WriteString("\n" + claimURL + "\n")
	}
	if n := strings.TrimSpace(r.Note); n != "" && r.Status != ReportSpam {
		b.WriteString("\nA note from the editors: " + n + "\n")
	}
	b.WriteString("\nWe have now erased your email address.\n")
	return subject, b.String()
}
