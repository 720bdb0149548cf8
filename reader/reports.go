package reader

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/web"
)

// Messages of a refused report: each says that nothing was kept.
const (
	refusedHoneypot  = "Your report was not sent: a field that must stay empty (it catches automated spam) was filled in. Nothing was stored. If you are a person, empty the field \"Leave this field empty\" and send the form again."
	refusedCrossSite = "Your report was not sent: the form was not sent from this site. Nothing was stored."
	refusedInvalid   = "Your report was not sent: please correct the fields marked below. Nothing was stored."
)

func refusedRate(wait string) string {
	return "Your report was not sent: too many reports came from your address in the last hour. Nothing was stored. Please try again in " + wait + "."
}

// suggestPage is the "Suggest a claim to check" form.
func (s *Server) suggestPage(c *gin.Context) {
	s.writeReportPage(c, http.StatusOK, frontend.ReportPage{Kind: models.ReportSuggestion})
}

// postSuggestion takes a reader's claim to check.
func (s *Server) postSuggestion(c *gin.Context) {
	s.takeReport(c, models.ReportSuggestion, nil)
}

// postErrorReport takes a reader's report of an error in a published verdict.
func (s *Server) postErrorReport(c *gin.Context) {
	id, ok := readerPathID(c)
	if !ok {
		s.readerNotFound(c)
		return
	}
	cl, err := s.DB.GetClaim(c.Request.Context(), id)
	if err != nil || cl.Status != models.StatusPublished {
		if err == nil || models.ErrorCode(err) == models.ENOTFOUND {
			s.readerNotFound(c)
		} else {
			s.pageError(c, err)
		}
		return
	}
	s.takeReport(c, models.ReportError, cl)
}

// takeReport runs the spam guards in order, then stores the report. A
// refusal answers 4xx with the form, the reason and what the reader
// typed, and stores nothing.
func (s *Server) takeReport(c *gin.Context, kind models.ReportKind, cl *models.Claim) {
	form := frontend.ReportForm{Body: c.PostForm("body"), Link: c.PostForm("link"), Email: c.PostForm("email")}
	page := frontend.ReportPage{Kind: kind, Claim: cl, Form: form}
	refuse := func(status int, msg string) {
		page.Message = msg
		s.writeReportPage(c, status, page)
	}
	// A form posted from another site (browsers say so) is not a reader's.
	if c.GetHeader("Sec-Fetch-Site") == "cross-site" {
		refuse(http.StatusForbidden, refusedCrossSite)
		return
	}
	if ok, wait := s.ReportLimits.Allow(s.ClientIP(c)); !ok {
		c.Header("Retry-After", web.RetrySeconds(wait))
		refuse(http.StatusTooManyRequests, refusedRate(waitWords(web.RetrySeconds(wait))))
		return
	}
	if strings.TrimSpace(c.PostForm(frontend.HoneypotField)) != "" {
		refuse(http.StatusBadRequest, refusedHoneypot)
		return
	}
	r := &models.Report{Kind: kind, Body: form.Body, Link: form.Link, Email: form.Email}
	if cl != nil {
		r.ClaimID = &cl.ID
	}
	if err := s.DB.CreateReport(c.Request.Context(), r); err != nil {
		if models.ErrorCode(err) == models.EINVALID {
			page.Errors = models.ErrorFields(err)
			refuse(http.StatusBadRequest, refusedInvalid)
			return
		}
		s.pageError(c, err)
		return
	}
	q := "?kind=" + string(kind)
	if r.Email != "" {
		q += "&reply=1"
	}
	c.Redirect(http.StatusSeeOther, "/reports/thanks"+q)
}

// waitWords says a Retry-After in words.
func waitWords(seconds string) string {
	n, _ := strconv.Atoi(seconds)
	if n < 90 {
		return fmt.Sprintf("%d seconds", n)
	}
	return fmt.Sprintf("%d minutes", (n+59)/60)
}

// reportThanks is the page after a report was stored.
func (s *Server) reportThanks(c *gin.Context) {
	kind := models.ReportKind(c.Query("kind"))
	if !kind.Valid() {
		kind = models.ReportSuggestion
	}
	body, err := s.Reader.Render.ReportSent(frontend.ReportSentPage{Kind: kind, HasEmail: c.Query("reply") == "1"})
	if err != nil {
		s.pageError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}

// correctionsPolicy is the published corrections policy.
func (s *Server) correctionsPolicy(c *gin.Context) {
	body, err := s.Reader.Render.CorrectionsPolicy()
	if err != nil {
		s.pageError(c, err)
		return
	}
	c.Header("Cache-Control", web.CacheControl)
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}

func (s *Server) writeReportPage(c *gin.Context, status int, p frontend.ReportPage) {
	body, err := s.Reader.Render.Report(p)
	if err != nil {
		s.pageError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", body)
	if status >= 400 {
		c.Abort()
	}
}
