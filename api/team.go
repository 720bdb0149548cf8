package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// listNotifications is the caller's notifications, newest first, paged by
// cursor; ?unread=true keeps the unread ones.
func (s *Server) listNotifications(c *gin.Context) {
	web.RespondPage(s.Server, c, "notifications", func(after int64, limit int) ([]models.Notification, error) {
		f := store.NotificationFilter{UserID: web.CurrentUser(c).ID, Unread: c.Query("unread") == "true", Before: after, Limit: limit}
		return s.DB.ListNotifications(c.Request.Context(), f)
	}, func(n *models.Notification) int64 { return n.ID })
}

// getUnreadCount is the caller's count of unread notifications.
func (s *Server) getUnreadCount(c *gin.Context) {
	n, err := s.DB.UnreadNotifications(c.Request.Context(), web.CurrentUser(c).ID)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
}

type markReadRequest struct {
	IDs []int64 `json:"ids"`
}

// postNotificationsRead marks the given notifications read, or all of them.
func (s *Server) postNotificationsRead(c *gin.Context, in *markReadRequest) {
	if err := s.DB.MarkNotificationsRead(c.Request.Context(), web.CurrentUser(c).ID, in.IDs); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// getPreferences is the caller's choice of channels per event.
func (s *Server) getPreferences(c *gin.Context) {
	p, err := s.DB.Preferences(c.Request.Context(), web.CurrentUser(c).ID)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"preferences": p})
}

type preferencesRequest struct {
	Preferences models.Preferences `json:"preferences"`
}

// putPreferences sets the choices the body names; others keep theirs.
func (s *Server) putPreferences(c *gin.Context, in *preferencesRequest) {
	ctx := c.Request.Context()
	if err := s.DB.SetPreferences(ctx, web.CurrentUser(c).ID, in.Preferences); err != nil {
		s.RespondError(c, err)
		return
	}
	s.getPreferences(c)
}

// commentView is a comment as the API gives it: its Markdown and the HTML
// the desk shows, through the same sanitiser as verdicts.
type commentView struct {
	store.CommentDetail
	HTML     string `json:"html"`
	Editable bool   `json:"editable"`
}

func (s *Server) commentView(c *gin.Context, d store.CommentDetail) commentView {
	return commentView{CommentDetail: d, HTML: string(frontend.Markdown(d.Body)), Editable: d.MayEdit(web.CurrentUser(c), s.DB.Now()) == nil}
}

// listComments is a claim's thread, oldest first. Comments are never public.
func (s *Server) listComments(c *gin.Context, id int64) {
	list, err := s.DB.ListComments(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	out := make([]commentView, len(list))
	for i, d := range list {
		out[i] = s.commentView(c, d)
	}
	c.JSON(http.StatusOK, gin.H{"comments": out})
}

type commentRequest struct {
	Body    string `json:"body"`
	Version *int   `json:"version"`
}

func (in *commentRequest) BodyVersion() *int { return in.Version }

// postComment adds a comment; the users it @mentions are told.
func (s *Server) postComment(c *gin.Context, id int64, in *commentRequest) {
	me := web.CurrentUser(c)
	cm := &models.Comment{ClaimID: id, Body: in.Body}
	if err := s.DB.CreateComment(c.Request.Context(), cm, me); err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.commentView(c, store.CommentDetail{Comment: *cm, Author: me.Name}))
}

// patchComment edits a comment: its author, within the edit window, on
// the version they read.
func (s *Server) patchComment(c *gin.Context, id, cid int64) {
	var in commentRequest
	version, err := web.EditRequest(c, &in)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	me := web.CurrentUser(c)
	cm, err := s.DB.UpdateComment(c.Request.Context(), id, cid, version, in.Body, me)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.commentView(c, store.CommentDetail{Comment: *cm, Author: me.Name}))
}

// listWebhooks is every endpoint (admins).
func (s *Server) listWebhooks(c *gin.Context) {
	hooks, err := s.DB.ListWebhooks(c.Request.Context())
	web.RespondList(s.Server, c, "webhooks", hooks, err)
}

type webhookRequest struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// postWebhook adds an endpoint; without a secret one is made, and the
// secret is shown this once.
func (s *Server) postWebhook(c *gin.Context, in *webhookRequest) {
	if in.Secret == "" {
		in.Secret = web.NewWebhookSecret()
	}
	h, err := s.DB.CreateWebhook(c.Request.Context(), in.URL, in.Secret)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"webhook": h, "secret": in.Secret})
}

type webhookPatch struct {
	Active *bool `json:"active"`
}

// patchWebhook pauses or resumes an endpoint.
func (s *Server) patchWebhook(c *gin.Context, id int64, in *webhookPatch) {
	if in.Active == nil {
		s.RespondError(c, web.InvalidField("say active: true or false", "active", "is required"))
		return
	}
	h, err := s.DB.SetWebhookActive(c.Request.Context(), id, *in.Active)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, h)
}

// deleteWebhook removes an endpoint and its delivery log.
func (s *Server) deleteWebhook(c *gin.Context, id int64) {
	if err := s.DB.DeleteWebhook(c.Request.Context(), id); err != nil {
		s.RespondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listDeliveries is the delivery log (admins), newest first: every email
// and webhook POST with its attempts and last answer.
func (s *Server) listDeliveries(c *gin.Context) {
	limit, err := web.PageLimit(c, 50)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	hook, err := web.QueryID(c, "webhook_id")
	if err != nil {
		s.RespondError(c, err)
		return
	}
	ch := models.Channel(c.Query("channel"))
	if ch != "" && !ch.Valid() {
		s.RespondError(c, web.InvalidField("channel must be desk, email or webhook", "channel", "is not a channel"))
		return
	}
	list, err := s.DB.ListDeliveries(c.Request.Context(), store.DeliveryFilter{WebhookID: hook, Channel: ch, Limit: limit})
	web.RespondList(s.Server, c, "deliveries", list, err)
}

// listReports is the moderation queue (editors); ?status= picks a tab.
func (s *Server) listReports(c *gin.Context) {
	limit, err := web.PageLimit(c, 50)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	st := models.ReportStatus(c.Query("status"))
	if st != "" && !st.Valid() {
		s.RespondError(c, web.InvalidField("status must be new, spam, duplicate or accepted", "status", "is not a report status"))
		return
	}
	list, err := s.DB.ListReports(c.Request.Context(), store.ReportFilter{Status: st, Kind: models.ReportKind(c.Query("kind")), Limit: limit})
	if err != nil {
		s.RespondError(c, err)
		return
	}
	out := make([]reportView, len(list))
	for i, r := range list {
		out[i] = reportView{ReportDetail: r, WantsReply: r.WantsReply()}
	}
	c.JSON(http.StatusOK, gin.H{"reports": out})
}

// reportView is a report as editors see it: whether the reader waits for
// an answer, never their address.
type reportView struct {
	store.ReportDetail
	WantsReply bool `json:"wants_reply"`
}

type moderationRequest struct {
	Status         models.ReportStatus `json:"status"`
	Note           string              `json:"note"`
	ClaimText      string              `json:"claim_text"`
	Claimant       string              `json:"claimant"`
	CorrectionNote string              `json:"correction_note"`
	Rating         string              `json:"rating"`
	Explanation    string              `json:"explanation"`
}

// postModeration decides on a report, as the desk's queue does.
func (s *Server) postModeration(c *gin.Context, id int64, in *moderationRequest) {
	fields := map[string]string{"status": string(in.Status), "note": in.Note, "claim_text": in.ClaimText, "claimant": in.Claimant,
		"correction_note": in.CorrectionNote, "rating": in.Rating, "explanation": in.Explanation}
	r, err := s.DB.ModerateReport(c.Request.Context(), id, web.ModerationOf(func(k string) string { return fields[k] }), web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.JSON(http.StatusOK, reportView{ReportDetail: store.ReportDetail{Report: *r}, WantsReply: r.WantsReply()})
}
