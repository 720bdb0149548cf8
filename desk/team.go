package desk

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// deskNotifications lists the signed-in user's notifications, newest first.
func (s *Server) deskNotifications(c *gin.Context) {
	ctx := c.Request.Context()
	me := web.CurrentUser(c)
	list, next, err := web.ReadPage(c, "before", 50, func(before int64, limit int) ([]models.Notification, error) {
		return s.DB.ListNotifications(ctx, store.NotificationFilter{UserID: me.ID, Before: before, Limit: limit})
	}, func(n *models.Notification) int64 { return n.ID })
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.NotificationsPage{Chrome: s.chrome(c, "Notifications", "notifications"), NextURL: next}
	rows, err := s.notificationRows(c, list)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p.Rows = rows
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Notifications(w, p) })
}

func (s *Server) notificationRows(c *gin.Context, list []models.Notification) ([]deskview.NotificationRow, error) {
	ctx := c.Request.Context()
	var actors []*int64
	texts := map[int64]string{}
	for _, n := range list {
		actors = append(actors, n.ActorID)
		if n.ClaimID != nil {
			texts[*n.ClaimID] = ""
		}
	}
	ppl, err := s.peopleByID(ctx, actors...)
	if err != nil {
		return nil, err
	}
	for id := range texts {
		cl, err := s.DB.GetClaim(ctx, id)
		switch {
		case err == nil:
			texts[id] = cl.Text
		case models.ErrorCode(err) != models.ENOTFOUND:
			return nil, err
		}
	}
	out := make([]deskview.NotificationRow, len(list))
	for i, n := range list {
		out[i] = deskview.NotificationRow{Notification: n}
		if n.ActorID != nil {
			out[i].Actor = ppl.name(n.ActorID)
		}
		if n.ClaimID != nil {
			out[i].ClaimText = texts[*n.ClaimID]
		}
	}
	return out, nil
}

// deskNotificationsRead marks one notification read (id) or all of them.
func (s *Server) deskNotificationsRead(c *gin.Context) {
	var ids []int64
	if v := c.PostForm("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.deskError(c, models.Errorf(models.ENOTFOUND, "no such notification"))
			return
		}
		ids = append(ids, id)
	}
	if err := s.DB.MarkNotificationsRead(c.Request.Context(), web.CurrentUser(c).ID, ids); err != nil {
		s.deskError(c, err)
		return
	}
	deskRedirect(c, "/desk/notifications", "read", "")
}

// accountPage is the account page with the user's notification choices.
func (s *Server) accountPage(c *gin.Context) (*deskview.AccountPage, error) {
	prefs, err := s.DB.Preferences(c.Request.Context(), web.CurrentUser(c).ID)
	if err != nil {
		return nil, err
	}
	return &deskview.AccountPage{Chrome: s.chrome(c, "Your account", "account"), Preferences: deskview.PreferenceRows(prefs)}, nil
}

// deskPreferencesSave stores the account page's table of checkboxes: an
// unticked box is a channel turned off.
func (s *Server) deskPreferencesSave(c *gin.Context) {
	p := models.Preferences{}
	for _, e := range models.Events {
		p[e] = map[models.Channel]bool{}
		for _, ch := range models.Channels {
			p[e][ch] = c.PostForm(string(e)+"."+string(ch)) == "on"
		}
	}
	if err := s.DB.SetPreferences(c.Request.Context(), web.CurrentUser(c).ID, p); err != nil {
		s.deskError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/desk/account?done=prefs#prefs")
}

// commentItems renders a claim's thread for the claim page; me may edit
// their own comments while the window lasts.
func commentItems(list []store.CommentDetail, me *models.User, now time.Time) []deskview.CommentItem {
	out := make([]deskview.CommentItem, len(list))
	for i, cm := range list {
		out[i] = deskview.CommentItem{ID: cm.ID, Author: cm.Author, HTML: frontend.Markdown(cm.Body), Body: cm.Body,
			Version: cm.Version, At: cm.CreatedAt, Edited: cm.Version > 1, Editable: cm.MayEdit(me, now) == nil}
		if cm.Author == "" {
			out[i].Author = "a former user"
		}
	}
	return out
}

// deskCommentAdd adds a comment to the claim's thread.
func (s *Server) deskCommentAdd(c *gin.Context, id int64) {
	cm := &models.Comment{ClaimID: id, Body: c.PostForm("body")}
	if err := s.DB.CreateComment(c.Request.Context(), cm, web.CurrentUser(c)); err != nil {
		s.commentRefused(c, err, c.PostForm("body"))
		return
	}
	deskRedirect(c, claimPath(id), "commented", "comment-"+strconv.FormatInt(cm.ID, 10))
}

// deskCommentEdit changes a comment, by its author within the window.
func (s *Server) deskCommentEdit(c *gin.Context, id, cid int64) {
	version, err := formInt(c, "version", 1)
	if err != nil {
		const why = "the form does not say which version of the comment it was based on: reload the page"
		s.commentRefused(c, web.InvalidField(why, "form", why), c.PostForm("body"))
		return
	}
	if _, err := s.DB.UpdateComment(c.Request.Context(), id, cid, version, c.PostForm("body"), web.CurrentUser(c)); err != nil {
		s.commentRefused(c, err, "")
		return
	}
	deskRedirect(c, claimPath(id), "comment_ed", "comment-"+strconv.FormatInt(cid, 10))
}

// commentRefused shows the claim page again with the comment's error.
func (s *Server) commentRefused(c *gin.Context, err error, draft string) {
	code := models.ErrorCode(err)
	if code != models.EINVALID && code != models.EFORBIDDEN && code != models.ECONFLICT {
		s.deskError(c, err)
		return
	}
	p, perr := s.claimPage(c)
	if perr != nil {
		s.deskError(c, perr)
		return
	}
	p.CommentDraft = draft
	p.CommentErrors = invalidFields(err)
	if p.CommentErrors == nil {
		p.CommentErrors = deskview.Errors{"form": models.ErrorMessage(err)}
	}
	status, _ := s.ErrorResponse(c, err)
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Claim(w, p) })
}

// deskWebhooks is the admin's page of endpoints and the delivery log.
func (s *Server) deskWebhooks(c *gin.Context) {
	s.renderWebhooks(c, http.StatusOK, "", nil, "")
}

func (s *Server) renderWebhooks(c *gin.Context, status int, url string, errs deskview.Errors, secret string) {
	ctx := c.Request.Context()
	hooks, err := s.DB.ListWebhooks(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	log, err := s.DB.ListDeliveries(ctx, store.DeliveryFilter{Limit: 50})
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.WebhooksPage{Chrome: s.chrome(c, "Webhooks", "webhooks"), Errors: errs, Secret: secret}
	p.Form.URL = url
	for _, h := range hooks {
		p.Webhooks = append(p.Webhooks, deskview.WebhookRow{ID: h.ID, URL: h.URL, Active: h.Active})
	}
	for _, d := range log {
		var payload store.NotificationPayload
		_ = json.Unmarshal([]byte(d.Payload), &payload) // the log shows what it can
		p.Deliveries = append(p.Deliveries, deskview.DeliveryRow{ID: d.ID, Channel: d.Channel, Recipient: d.Recipient, Status: d.Status, Event: string(payload.Event),
			Attempts: d.Attempts, LastStatus: d.LastStatus, LastError: d.LastError, NextAt: d.NextAt, UpdatedAt: d.UpdatedAt})
	}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Webhooks(w, p) })
}

// deskWebhookCreate adds an endpoint with a fresh secret.
func (s *Server) deskWebhookCreate(c *gin.Context) {
	secret := web.NewWebhookSecret()
	if _, err := s.DB.CreateWebhook(c.Request.Context(), c.PostForm("url"), secret); err != nil {
		if f := invalidFields(err); f != nil {
			s.renderWebhooks(c, http.StatusBadRequest, c.PostForm("url"), f, "")
			return
		}
		s.deskError(c, err)
		return
	}
	s.renderWebhooks(c, http.StatusCreated, "", nil, secret)
}

// deskWebhookActive pauses or resumes an endpoint.
func (s *Server) deskWebhookActive(c *gin.Context, id int64) {
	if _, err := s.DB.SetWebhookActive(c.Request.Context(), id, c.PostForm("active") == "true"); err != nil {
		s.deskError(c, err)
		return
	}
	deskRedirect(c, "/desk/webhooks", "hook_saved", "")
}

// deskWebhookDelete removes an endpoint.
func (s *Server) deskWebhookDelete(c *gin.Context, id int64) {
	if err := s.DB.DeleteWebhook(c.Request.Context(), id); err != nil {
		s.deskError(c, err)
		return
	}
	deskRedirect(c, "/desk/webhooks", "hook_gone", "")
}

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
