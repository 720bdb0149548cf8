package desk

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// deskReports is the moderation queue of readers' reports, one tab per status.
func (s *Server) deskReports(c *gin.Context) {
	s.renderReports(c, http.StatusOK, 0, nil, "")
}

func (s *Server) renderReports(c *gin.Context, status int, failedID int64, errs deskview.Errors, note string) {
	ctx := c.Request.Context()
	tab := models.ReportStatus(c.DefaultQuery("status", string(models.ReportNew)))
	if !tab.Valid() || failedID != 0 {
		tab = models.ReportNew
	}
	list, err := s.DB.ListReports(ctx, store.ReportFilter{Status: tab, Limit: 100})
	if err != nil {
		s.deskError(c, err)
		return
	}
	counts, err := s.DB.CountReports(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.ReportsPage{Chrome: s.chrome(c, "Readers' reports", "reports"), Status: tab, Counts: counts}
	var mods []*int64
	for _, r := range list {
		mods = append(mods, r.ModeratorID)
	}
	names, err := s.peopleByID(ctx, mods...)
	if err != nil {
		s.deskError(c, err)
		return
	}
	for _, r := range list {
		row := deskview.ReportRow{Report: r.Report, WantsReply: r.WantsReply()}
		if r.ModeratorID != nil {
			row.Moderator = names.name(r.ModeratorID)
		}
		if r.ClaimID != nil {
			cl, err := s.DB.GetClaim(ctx, *r.ClaimID)
			if err != nil && models.ErrorCode(err) != models.ENOTFOUND {
				s.deskError(c, err)
				return
			}
			row.Claim = cl
			if cl != nil {
				row.Rated, _ = p.Scale.Find(cl.Rating)
			}
		}
		if r.ID == failedID {
			row.Errors, row.CorrectNote = errs, note
		}
		p.Reports = append(p.Reports, row)
	}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Reports(w, p) })
}

// deskReportModerate records a decision on a report: spam, duplicate or
// accepted (a claim proposal, or a correction proposed on the verdict).
func (s *Server) deskReportModerate(c *gin.Context, id int64) {
	m := web.ModerationOf(c.PostForm)
	r, err := s.DB.ModerateReport(c.Request.Context(), id, m, web.CurrentUser(c))
	if err != nil {
		if models.ErrorCode(err) == models.EINVALID {
			errs := deskview.Errors{"form": "Not accepted: " + fieldSentence(err)}
			s.renderReports(c, http.StatusBadRequest, id, errs, c.PostForm("correction_note"))
			return
		}
		s.deskError(c, err)
		return
	}
	deskRedirect(c, "/desk/reports", string(r.Status), "")
}

// fieldSentence is an invalid error's message with its fields, in one line.
func fieldSentence(err error) string {
	msg := models.ErrorMessage(err)
	for k, v := range models.ErrorFields(err) {
		msg += "; " + strings.ReplaceAll(k, "_", " ") + " " + v
	}
	return msg
}
