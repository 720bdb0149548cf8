package desk

import (
	"html/template"
	"strconv"
	"time"

	"factdesk/models"
)

// Chrome is what every desk page shows around its content.
type Chrome struct {
	Title string
	User  *models.User // nil on the sign-in page
	CSRF  string
	Nav   string // the section the page belongs to, to mark the current link
	Flash string // a one-line confirmation of the last action
	// Scale is the newsroom's rating scale, for the names of ratings.
	Scale models.Scale
	// Unread is the user's count of unread notifications, in the header.
	Unread int64
	// NewReports is how many readers' reports wait for moderation.
	NewReports int64
}

// Errors are the messages of the fields at fault, by form field name.
type Errors map[string]string

// LoginPage is /desk/login.
type LoginPage struct {
	Chrome
	Email   string
	Next    string
	Message string
	// FormToken is the sign-in form's CSRF token, bound to a cookie of the
	// browser that asked for the form (there is no session yet).
	FormToken string
}

// ClaimRow is a claim in a list, with the names a list shows.
type ClaimRow struct {
	Claim    models.Claim
	Assignee string // the assignee's name, "" when nobody is assigned
	Document string // the document's title, "" for a free-standing claim
	// Rated is the claim's rating as the scale names it.
	Rated models.ScaleRating
	// Keys are what there is to check in the quote: its figures, actors
	// and checkable phrases, as detection reads them (triage only).
	Keys []KeyPhrase
	// Overdue: past its due day and not done.
	Overdue bool
	// Matches are what was already checked that says the same, strongest
	// first (triage only).
	Matches []Match
}

// KeyPhrase is a key span of a claim's quote and its role (figure, actor,
// quote, phrase).
type KeyPhrase struct{ Text, Role string }

// Activity is one recent revision, in words.
type Activity struct {
	When       time.Time
	Who        string
	Action     string
	Entity     string
	ClaimID    int64  // 0 when the change is not about a claim
	ClaimText  string // the claim as stated now, "" when it is gone
	DocumentID int64  // set for a change of a document
	Summary    string
}

// DashboardPage is /desk.
type DashboardPage struct {
	Chrome
	Chart     Chart
	Assigned  []ClaimRow
	ForReview []ClaimRow
	Activity  []Activity
	// Sources are cited sources whose archived copy needs a look.
	Sources []MarkedSource
	// Repeats are the claims said again in the chosen period.
	Repeats Repeats
}

// Repeats are the claims said again most over the last Days (one of
// Periods), and those said again after their verdict was published (a
// false claim said again is news).
type Repeats struct {
	Days         int
	Periods      []int
	Most         []RepeatRow
	AfterVerdict []RepeatRow
}

// RepeatRow is a claim said again Times times in the period.
type RepeatRow struct {
	Claim models.Claim
	Rated models.ScaleRating
	Times int
}

// MarkedSource is a cited source whose copy failed or whose live page
// changed or fails.
type MarkedSource struct {
	Title, URL string
	State      models.ArchiveState
	Error      string
	CheckedAt  *time.Time
	ClaimID    int64 // a claim citing it; 0 for none
}

// DocumentsPage lists documents.
type DocumentsPage struct {
	Chrome
	Documents []DocumentRow
	NextURL   string // the next page, "" on the last one
}

// DocumentRow is a document of the list with the work waiting in it.
type DocumentRow struct {
	models.Document
	Candidates int // proposals to accept or dismiss
	Orphaned   int // claims that lost their place after an edit
}

// DocumentForm is what was typed into the import form, or into the fields
// the document editor shares with it.
type DocumentForm struct {
	Title, Author, Publisher, URL, PublishedOn, Language, Body string
}

// DocumentNewPage is /desk/documents/new.
type DocumentNewPage struct {
	Chrome
	Form      DocumentForm
	ImportURL string // the address of the "From a web address" form
	Job       *ImportJob
	Errors    Errors
}

// ImportJob is where an import by URL stands: its job's state (queued,
// running, failed, done), the reason of a failure or of a retry, and the
// document once it is done.
type ImportJob struct {
	ID         int64
	State      string
	Error      string
	Note       string
	Attempts   int
	DocumentID int64
	Done       int // of Total steps, while it runs
	Total      int
}

// DocumentPage is the triage view of a document.
type DocumentPage struct {
	Chrome
	Document   models.Document
	Text       []Run
	Sections   []TextSection    // Text cut at the body's blocks
	Tail       []Run            // what follows the last block, hidden
	Original   *models.Original // the page it was imported from, nil when pasted
	Marked     []MarkedClaim
	Candidates []ClaimRow
	// Orphans are the claims whose quote an edit of the body removed: they
	// wait to be placed again at words the editor selects.
	Orphans []ClaimRow
	Errors  Errors
	Return  string // where triage forms come back to
	Notice  string // a confirmation of the last edit or placement
	Lost    int    // how many claims the edit just saved left without a place
	// Detection is the job proposing this document's claims, when the
	// page was opened to follow it.
	Detection *ImportJob
}

// DocumentEditForm is what was typed into the document editor.
type DocumentEditForm struct {
	DocumentForm
	Version int
	Summary string
}

// DocumentEditPage is /desk/documents/{id}/edit.
type DocumentEditPage struct {
	Chrome
	Document models.Document // as stored
	Form     DocumentEditForm
	Errors   Errors
	Conflict *Compare
	Claims   int // claims anchored in the text, which an edit of the body re-anchors
}

// Compare is a record saved by someone else while it was being edited: what
// was typed beside what is stored now, field by field.
type Compare struct {
	Message      string
	YourVersion  int
	TheirVersion int
	Rows         []ConflictRow
}

// QueueFilter is the claims queue's query, echoed into its form.
type QueueFilter struct {
	Status     string
	Rating     string
	AssigneeID int64
	DocumentID int64
	Query      string
	Sort       string
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
}

// ClaimsPage is /desk/claims.
type ClaimsPage struct {
	Chrome
	Filter    QueueFilter
	Rows      []ClaimRow
	Users     []models.User
	Documents []models.Document
	Sorts     []Option
	NextURL   string // the next page, "" on the last one
}

// ClaimForm is what was typed into the claim editor's main form.
type ClaimForm struct {
	Version     int
	Text        string
	Claimant    string
	Kind        models.Kind
	AssigneeID  int64
	DueOn       string // YYYY-MM-DD, "" for none
	Priority    models.Priority
	Rating      models.Rating
	Explanation string
	// Note is the public note of the correction that editing a published
	// claim proposes.
	Note string
}

// ConflictRow is one field of a conflict: what was typed and what is stored.
type ConflictRow struct {
	Field   string
	Yours   string
	Theirs  string
	Differs bool
	// Excerpt is set when Yours and Theirs are only the stretch where two
	// long texts differ, with a little context, not the texts whole.
	Excerpt bool
}

// Conflict is shown when the claim was saved by someone else since the form
// was opened: both versions side by side, the form keeping what was typed.
type Conflict struct {
	Message     string
	YourVersion int
	Theirs      models.Claim
	Rows        []ConflictRow
}

// Table is the conflict as the comparison table shows it.
func (c *Conflict) Table() Compare {
	return Compare{Message: c.Message, YourVersion: c.YourVersion, TheirVersion: c.Theirs.Version, Rows: c.Rows}
}

// EvidenceItem is one source cited for a claim.
type EvidenceItem struct {
	Evidence models.Evidence
	Source   models.Source
	AddedBy  string
	// Archive is the archiving state of the source's URL, nil without one.
	Archive *models.Archive
}

// ArchivePath is where the newest kept copy of the source is served, "" for
// none.
func (e EvidenceItem) ArchivePath() string {
	if e.Archive == nil || e.Archive.SnapshotID == nil {
		return ""
	}
	return "/archive/" + strconv.FormatInt(*e.Archive.SnapshotID, 10)
}

// SourceChoice is an existing source offered when adding evidence.
type SourceChoice struct {
	Source models.Source
	Claims int64 // how many claims cite it
}

// EvidenceForm is what was typed into the add-evidence form.
type EvidenceForm struct {
	SourceID     int64
	URL          string
	Title        string
	Publisher    string
	Author       string
	PublishedOn  string
	AccessedOn   string
	ArchiveURL   string
	Kind         models.SourceKind
	Stance       models.Stance
	Excerpt      string
	PublicNote   string
	ResearchNote string
}

// ActionButton is one workflow action this user may take now.
type ActionButton struct {
	Action   models.Action
	Label    string
	NeedNote bool
	NoteHelp string
	// Verdict is set for correct: the form carries a new rating and explanation.
	Verdict bool
	Danger  bool
	// NeedReason is set for an admin's approve of their own work: the
	// override of the two-person rule needs a reason.
	NeedReason bool
}

// ReviewRow is one field readers see: as published and as it will be
// once approved.
type ReviewRow struct {
	Field     string
	Published string
	Proposed  string
	Differs   bool
}

// Review is what a reviewer approves: every reader-visible field against
// the published verdict (empty before the first publication).
type Review struct {
	// Correction is set on a published claim: the rows are its pending
	// correction, with its public note.
	Correction bool
	Note       string
	Authors    []string
	Rows       []ReviewRow
}

// HistoryEntry is one revision of the claim, in words.
type HistoryEntry struct {
	When   time.Time
	Who    string
	Action string
	// Verb is the recorded action ("approve"); Correction is set when it
	// acted on a correction of a published verdict.
	Verb       string
	Correction bool
	Entity     string
	Summary    string
	Changes    []models.FieldChange
}

// Match is something already checked that says much the same: one of the
// newsroom's claims (Claim, rated as Rated) or another fact-checker's
// review (Review), how strongly (Score) and why (what both name).
type Match struct {
	Claim  *models.Claim
	Rated  models.ScaleRating
	Review *models.ExternalReview
	Score  float64
	// Figures, Actors and Words are what the two share, in the words of
	// the text matched.
	Figures, Actors, Words []string
	// Link is the "same claim" form that links the proposal to the
	// matched claim as an appearance; nil where that cannot be done.
	Link *LinkForm
}

// Date is when the match was decided: the verdict's publication, the
// review's date, or nil.
func (m Match) Date() *time.Time {
	switch {
	case m.Claim != nil:
		return m.Claim.PublishedAt
	case m.Review != nil:
		return m.Review.ReviewDate
	}
	return nil
}

// AppearanceRow is an appearance of the claim with the names it shows.
type AppearanceRow struct {
	Appearance models.Appearance
	Document   string
	LinkedBy   string
}

// LinkForm links a proposal's words (FromClaimID, its anchor Start, End in
// DocumentID) to claim ClaimID, based on its Version. A published claim's
// link is a correction and needs a public Note, proposed here.
type LinkForm struct {
	ClaimID, FromClaimID, DocumentID int64
	Version                          int
	Start, End                       int
	NeedNote                         bool
	Note                             string
	Return                           string
	CSRF                             string
}

// ClaimPage is the claim editor.
type ClaimPage struct {
	Chrome
	Claim        models.Claim
	Document     *models.Document
	Form         ClaimForm
	Errors       Errors
	Conflict     *Conflict
	Users        []models.User
	Evidence     []EvidenceItem
	SourceQuery  string
	Sources      []SourceChoice
	EvidenceForm EvidenceForm
	Actions      []ActionButton
	Corrections  []models.Correction
	History      []HistoryEntry
	Matches      []Match
	// Appearances are the other places the claim was made, linked as
	// repeats, the earliest first.
	Appearances []AppearanceRow
	Preview     template.HTML // the explanation rendered, when asked for
	Saved       bool          // the last save went through: the browser drops its draft
	Submitter   string
	Reviewer    string
	// Review is set when something waits for approval.
	Review *Review
	// Claimant is who the claim's sentence says made it, for a claim
	// without a claimant: a suggestion an editor confirms.
	Claimant *ClaimantSuggestion
	// Keys are the key spans of the quote, what there is to check.
	Keys []KeyPhrase
	// Comments are the desk's own thread on the claim, never public.
	Comments      []CommentItem
	CommentDraft  string
	CommentErrors Errors
	// ReaderReports are readers' error reports on the verdict still
	// waiting for moderation.
	ReaderReports []models.Report
}

// ClaimantSuggestion is a claimant read from the sentence: the name, the
// words it came from and the pattern that named it.
type ClaimantSuggestion struct {
	Claimant, Cue, Reason string
}

// AccountPage is /desk/account: the user changes their own password.
type AccountPage struct {
	Chrome
	Errors  Errors
	Changed bool
	// Preferences is the table of events by channel.
	Preferences []PreferenceRow
}

// NewUserForm is what was typed into the add-user form.
type NewUserForm struct {
	Email, Name string
	Role        models.Role
}

// UsersPage is /desk/users.
type UsersPage struct {
	Chrome
	Users  []models.User
	Form   NewUserForm
	Errors Errors
}

// ErrorPage is shown for a refused or failed request.
type ErrorPage struct {
	Chrome
	Status  int
	Heading string
	Message string
}

// Kinds, ratings, stances and roles offered by the forms.
func (ClaimPage) Kinds() []models.Kind { return models.Kinds }

// Priorities are offered by the claim form, none first.
func (ClaimPage) Priorities() []models.Priority { return models.Priorities }

// Ratings are those on offer, and the claim's own if it was retired since.
func (p ClaimPage) Ratings() []models.ScaleRating {
	out := p.Scale.Offered()
	for _, r := range []models.Rating{p.Claim.Rating, p.Form.Rating} {
		if step, ok := p.Scale.Find(r); ok && step.Retired {
			out = append(out, step)
		}
	}
	return out
}
func (ClaimPage) SourceKinds() []models.SourceKind { return models.SourceKinds }
func (ClaimPage) Stances() []models.Stance {
	return []models.Stance{models.StanceSupports, models.StanceRefutes, models.StanceContext}
}
func (ClaimsPage) Statuses() []models.Status       { return models.Statuses }
func (p ClaimsPage) Ratings() []models.ScaleRating { return p.Scale.Ratings }
func (UsersPage) Roles() []models.Role             { return []models.Role{models.RoleEditor, models.RoleAdmin} }

// JobsPage is /desk/jobs: the background work in one state, newest first.
type JobsPage struct {
	Chrome
	State  string   // the tab shown: running, queued, failed, done
	States []string // every tab, in order
	Kind   string   // "" for every kind but the scheduled ones
	Kinds  []JobKind
	Jobs   []JobRow
}

// JobRow is one job in the list.
type JobRow struct {
	ID          int64
	Kind        string // in words: "Import by address"
	Subject     string
	State       string
	Done, Total int // progress, when the job reported it
	Note        string
	Attempts    int
	MaxAttempts int
	Error       string
	CreatedAt   time.Time
	FinishedAt  *time.Time
	DocumentID  int64 // what it made or worked on, when a document
}

// JobKind is a kind of job, by its name and in words.
type JobKind struct{ Name, Label string }
