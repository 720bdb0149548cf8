package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/jobs"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

type documentCreate struct {
	Title       string        `json:"title"`
	Author      string        `json:"author"`
	Publisher   string        `json:"publisher"`
	URL         string        `json:"url"`
	PublishedOn *web.JSONDate `json:"published_on"`
	Language    string        `json:"language"`
	Body        string        `json:"body"`
	Claims      []claimOfSpan `json:"claims"`
}

// claimOfSpan is a claim listed with a new document, by its span.
type claimOfSpan struct {
	Start    int         `json:"start"`
	End      int         `json:"end"`
	Text     string      `json:"text"`
	Claimant string      `json:"claimant"`
	Kind     models.Kind `json:"kind"`
}

func (c claimOfSpan) claim() *models.Claim {
	return &models.Claim{Anchor: models.Anchor{Start: c.Start, End: c.End}, Text: c.Text, Claimant: c.Claimant, Kind: c.Kind}
}

// listDocuments lists documents newest first, without their bodies;
// readers see the public ones only.
func (s *Server) listDocuments(c *gin.Context) {
	web.RespondPage(s.Server, c, "documents", func(after int64, limit int) ([]web.DocumentSummary, error) {
		docs, err := s.DB.ListDocuments(c.Request.Context(), store.DocumentFilter{After: after, Limit: limit, PublicOnly: web.CurrentUser(c) == nil})
		out := make([]web.DocumentSummary, len(docs))
		for i := range docs {
			out[i] = web.NewDocumentSummary(&docs[i])
		}
		return out, err
	}, func(d *web.DocumentSummary) int64 { return d.ID })
}

// postDocument imports a document with the claims listed with it;
// detection proposes candidates in the same transaction, or, for a large
// body, in a job whose state the answer carries. A repeat of a request
// (the same Idempotency-Key, or the same large text) answers 200 with the
// document the first made.
func (s *Server) postDocument(c *gin.Context, in *documentCreate) {
	if in.Body == "" && in.URL != "" {
		s.postDocumentURL(c, in)
		return
	}
	key, err := web.IdempotencyKey(c)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	d := &models.Document{Title: in.Title, Author: in.Author, Publisher: in.Publisher, URL: in.URL,
		PublishedOn: web.TimePtr(in.PublishedOn), Language: in.Language, Body: in.Body}
	claims := make([]models.Claim, len(in.Claims))
	for i, cl := range in.Claims {
		claims[i] = *cl.claim()
	}
	imp, err := s.ImportText(c.Request.Context(), d, claims, key, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Location", "/api/v1/documents/"+web.Itoa(d.ID))
	status := http.StatusCreated
	if !imp.Created {
		status = http.StatusOK
	}
	s.respondDocument(c, status, d, imp.Detect)
}

// postDetection queues claim detection again on a document: it proposes
// what overlaps no claim, up to the cap of untriaged proposals.
func (s *Server) postDetection(c *gin.Context, id int64) {
	job, err := s.StartDetection(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	c.Header("Location", "/api/v1/jobs/"+web.Itoa(job.ID))
	c.JSON(http.StatusAccepted, gin.H{"job": job})
}

// getDocument returns a document with the claims the caller may see; to
// readers, a document that is not public does not exist.
func (s *Server) getDocument(c *gin.Context, id int64) {
	get := s.DB.GetDocument
	if web.CurrentUser(c) == nil {
		get = s.DB.GetPublicDocument
	}
	d, err := get(c.Request.Context(), id)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	s.respondDocument(c, http.StatusOK, d, nil)
}

// patchDocument edits a document based on a version; a changed body
// re-anchors its claims (store.UpdateDocument).
func (s *Server) patchDocument(c *gin.Context, id int64, u *store.DocumentUpdate) {
	d, _, err := s.DB.UpdateDocument(c.Request.Context(), id, *u, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	s.respondDocument(c, http.StatusOK, d, nil)
}

// deleteDocument removes a document and its claims, unless one is published.
func (s *Server) deleteDocument(c *gin.Context, id int64) {
	if err := s.DB.DeleteDocument(c.Request.Context(), id, web.CurrentUser(c)); err != nil {
		s.RespondError(c, web.WithCurrent(err, func() (any, error) { return s.DB.GetDocument(c.Request.Context(), id) }))
		return
	}
	c.Status(http.StatusNoContent)
}

// respondDocument answers with d and the claims of it the caller may see,
// under status, with the job detecting its claims if one was just queued.
func (s *Server) respondDocument(c *gin.Context, status int, d *models.Document, detection *jobs.Job) {
	claims, err := s.documentClaimViews(c, d.ID)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	web.RespondRecord(c, status, d.Version, web.DocumentDetail{Document: d, Claims: claims, Detection: detection})
}

// documentClaimViews lists every claim of a document the caller may see, in
// the order of the text.
func (s *Server) documentClaimViews(c *gin.Context, id int64) ([]any, error) {
	f := models.ClaimFilter{DocumentID: id, Limit: 200}
	if web.CurrentUser(c) == nil {
		f.Statuses = models.PublicStatuses()
	}
	claims, err := s.DB.AllClaims(c.Request.Context(), f)
	if err != nil {
		return nil, err
	}
	sortByPosition(claims)
	out := make([]any, len(claims))
	for i := range claims {
		out[i] = web.ClaimView(c, &claims[i])
	}
	return out, nil
}
