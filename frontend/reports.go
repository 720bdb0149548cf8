package frontend

import (
	"strconv"

	"factdesk/models"
)

// HoneypotField is the name of the form field people never see and bots
// fill in: a report that has it is refused.
const HoneypotField = "website"

// ReportForm is what a reader typed into a report form.
type ReportForm struct {
	Body, Link, Email string
}

// ReportPage is the data of the reader's forms: "Suggest a claim to
// check" (/suggest) and "Report an error" on a verdict when the form
// comes back with a refusal. Message says why a report was refused.
type ReportPage struct {
	Kind    models.ReportKind
	Claim   *models.Claim // the verdict an error report is about
	Form    ReportForm
	Errors  map[string]string
	Message string
}

type reportView struct {
	ReportPage
	Action      string
	ClaimPath   string
	Honeypot    string
	HasEmail    bool
	IsError     bool
	FieldErrors []string
}

// ReportAction is where the error report form of a claim posts.
func ReportAction(claimID int64) string {
	return "/claims/" + strconv.FormatInt(claimID, 10) + "/report"
}

// Report renders a report form.
func (r *Renderer) Report(p ReportPage) ([]byte, error) {
	v := reportView{ReportPage: p, Honeypot: HoneypotField, IsError: p.Kind == models.ReportError, Action: "/suggest"}
	title := "Suggest a claim to check"
	if v.IsError && p.Claim != nil {
		title = "Report an error"
		v.Action = ReportAction(p.Claim.ID)
		v.ClaimPath = VerdictPath(p.Claim)
	}
	path := "/suggest"
	if v.IsError {
		path = "" // the form's page exists only as the answer to a refused POST
	}
	return r.render("report", Meta{Title: title, Path: path, NoIndex: true}, v)
}

// ReportSentPage is the thank-you page after a report is stored.
type ReportSentPage struct {
	Kind     models.ReportKind
	HasEmail bool
}

// ReportSent renders the thank-you page.
func (r *Renderer) ReportSent(p ReportSentPage) ([]byte, error) {
	return r.render("report_sent", Meta{Title: "Thank you", NoIndex: true}, p)
}

// CorrectionsPolicy renders the published corrections policy.
func (r *Renderer) CorrectionsPolicy() ([]byte, error) {
	return r.render("policy", Meta{Title: "Corrections policy", Path: "/corrections-policy",
		Description: "How " + r.site.OrgName + " corrects its verdicts and how to report an error."}, struct{ Site Site }{r.site})
}
