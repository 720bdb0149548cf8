package desk

import (
	"html/template"
	"io"
	"time"

	"factdesk/models"
)

// The pages of the desk's own conversation and of readers' reports.
const (
	pageReports       = "reports.html"
	pageNotifications = "notifications.html"
	pageWebhooks      = "webhooks.html"
)

func init() { pages = append(pages, pageReports, pageNotifications, pageWebhooks) }

// ReportRow is a reader's report in the moderation queue; Claim is the
// verdict an error report is about (nil for a suggestion).
type ReportRow struct {
	Report      models.Report
	WantsReply  bool
	Claim       *models.Claim
	Rated       models.ScaleRating
	Moderator   string
	Errors      Errors // the refusal of the last decision on this row
	CorrectNote string
}

// ReportsPage is /desk/reports: the moderation queue.
type ReportsPage struct {
	Chrome
	Status  models.ReportStatus // the tab shown
	Counts  map[models.ReportStatus]int64
	Reports []ReportRow
}

// Statuses are the queue's tabs.
func (ReportsPage) Statuses() []models.ReportStatus {
	return []models.ReportStatus{models.ReportNew, models.ReportAccepted, models.ReportDuplicate, models.ReportSpam}
}

// Ratings are the ratings a correction may give.
func (p ReportsPage) Ratings() []models.ScaleRating { return p.Scale.Offered() }

// Reports renders the moderation queue.
func (r *Renderer) Reports(w io.Writer, p *ReportsPage) error { return r.render(w, pageReports, p) }

// NotificationRow is a notification with its claim and actor named.
type NotificationRow struct {
	models.Notification
	ClaimText string
	Actor     string
}

// NotificationsPage is /desk/notifications.
type NotificationsPage struct {
	Chrome
	Rows    []NotificationRow
	NextURL string
}

// Notifications renders the user's notifications.
func (r *Renderer) Notifications(w io.Writer, p *NotificationsPage) error {
	return r.render(w, pageNotifications, p)
}

// PreferenceRow is one event of the account page's table of channels.
type PreferenceRow struct {
	Event    models.Event
	Label    string
	Channels []PreferenceCell
}

// PreferenceCell is one checkbox of the table.
type PreferenceCell struct {
	Channel models.Channel
	On      bool
}

// PreferenceRows turns a user's preferences into the account page's table.
func PreferenceRows(p models.Preferences) []PreferenceRow {
	var out []PreferenceRow
	for _, e := range models.Events {
		row := PreferenceRow{Event: e, Label: e.Label()}
		for _, c := range models.Channels {
			row.Channels = append(row.Channels, PreferenceCell{Channel: c, On: p.Wants(e, c)})
		}
		out = append(out, row)
	}
	return out
}

// Channels are the columns of the preferences table.
func (AccountPage) Channels() []models.Channel { return models.Channels }

// CommentItem is a comment of a claim's thread, rendered.
type CommentItem struct {
	ID       int64
	Author   string
	HTML     template.HTML // the Markdown through the sanitiser
	Body     string
	Version  int
	At       time.Time
	Edited   bool
	Editable bool // by the reader of the page, now
}

// WebhookRow is an endpoint with its latest deliveries.
type WebhookRow struct {
	ID     int64
	URL    string
	Active bool
}

// DeliveryRow is one line of the delivery log.
type DeliveryRow struct {
	ID         int64
	Channel    models.Channel
	Recipient  string
	Event      string
	Status     string
	Attempts   int
	LastStatus int
	LastError  string
	NextAt     time.Time
	UpdatedAt  time.Time
}

// WebhooksPage is /desk/webhooks (admins): endpoints and the delivery log.
type WebhooksPage struct {
	Chrome
	Webhooks   []WebhookRow
	Deliveries []DeliveryRow
	Form       struct{ URL string }
	Errors     Errors
	// Secret is shown once, right after an endpoint is added.
	Secret string
}

// Webhooks renders the admin's webhook page.
func (r *Renderer) Webhooks(w io.Writer, p *WebhooksPage) error { return r.render(w, pageWebhooks, p) }
