package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// maxExportClaims bounds one export; past it the export says truncated.
const maxExportClaims = 100000

// exportRow is one claim in an export: flat, with names instead of IDs
// where a spreadsheet wants them.
type exportRow struct {
	ID            int64         `json:"id"`
	Status        models.Status `json:"status"`
	Text          string        `json:"text"`
	Claimant      string        `json:"claimant"`
	Kind          models.Kind   `json:"kind"`
	Rating        models.Rating `json:"rating"`
	RatingLabel   string        `json:"rating_label"`
	RatingValue   *int          `json:"rating_value"`
	Explanation   string        `json:"explanation"`
	DocumentID    *int64        `json:"document_id"`
	DocumentTitle string        `json:"document_title"`
	Assignee      string        `json:"assignee"`
	Checker       string        `json:"checker"`
	Reviewer      string        `json:"reviewer"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	PublishedAt   *time.Time    `json:"published_at"`
	VerdictURL    string        `json:"verdict_url"`
}

var exportColumns = []string{"id", "status", "text", "claimant", "kind", "rating", "rating_label", "rating_value", "explanation",
	"document_id", "document_title", "assignee", "checker", "reviewer", "created_at", "updated_at", "published_at", "verdict_url"}

// exportClaims answers GET /api/v1/claims/export: every claim the filters
// of GET /api/v1/claims select (no paging), as CSV or JSON, for editors.
func (s *Server) exportClaims(c *gin.Context) {
	format := c.DefaultQuery("format", "csv")
	if format != "csv" && format != "json" {
		s.RespondError(c, web.InvalidField(`format must be "csv" or "json"`, "format", `must be "csv" or "json"`))
		return
	}
	f, err := claimFilter(c)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	rows, truncated, err := s.exportRows(c.Request.Context(), f)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	name := "factdesk-claims-" + time.Now().UTC().Format("2006-01-02") + "." + format
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	if truncated {
		c.Header("X-Factdesk-Truncated", strconv.Itoa(maxExportClaims))
	}
	if format == "json" {
		b, err := json.Marshal(gin.H{"claims": rows, "truncated": truncated})
		if err != nil {
			s.RespondError(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", b)
		return
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(exportColumns)
	for _, r := range rows {
		_ = w.Write(r.record())
	}
	w.Flush()
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// exportRows reads every claim f selects, page by page.
func (s *Server) exportRows(ctx context.Context, f models.ClaimFilter) ([]exportRow, bool, error) {
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		return nil, false, err
	}
	f.Limit, f.After = 100, 0
	out := []exportRow{}
	for {
		page, err := s.DB.ListClaims(ctx, f)
		if err != nil {
			return nil, false, err
		}
		titles, err := s.DocumentTitles(ctx, page.Claims)
		if err != nil {
			return nil, false, err
		}
		var ids []int64
		for _, cl := range page.Claims {
			for _, id := range []*int64{cl.AssigneeID, cl.SubmitterID, cl.ReviewerID} {
				if id != nil {
					ids = append(ids, *id)
				}
			}
		}
		names, err := s.DB.UserNames(ctx, ids)
		if err != nil {
			return nil, false, err
		}
		for i := range page.Claims {
			if len(out) == maxExportClaims {
				return out, true, nil
			}
			out = append(out, s.exportRowOf(&scale, &page.Claims[i], titles, names))
		}
		if page.Next == 0 {
			return out, false, nil
		}
		f.After = page.Next
	}
}

func (s *Server) exportRowOf(scale *models.Scale, cl *models.Claim, titles map[int64]string, names map[int64]string) exportRow {
	b := store.BylinesOf(cl, names)
	r := exportRow{ID: cl.ID, Status: cl.Status, Text: cl.Text, Claimant: cl.Claimant, Kind: cl.Kind, Rating: cl.Rating,
		Explanation: cl.Explanation, DocumentID: cl.DocumentID, Checker: b.Checker, Reviewer: b.Reviewer,
		CreatedAt: cl.CreatedAt, UpdatedAt: cl.UpdatedAt, PublishedAt: cl.PublishedAt}
	if step, ok := scale.Find(cl.Rating); ok {
		r.RatingLabel, r.RatingValue = step.Label, step.Value
	}
	if cl.DocumentID != nil {
		r.DocumentTitle = titles[*cl.DocumentID]
	}
	if cl.AssigneeID != nil {
		r.Assignee = names[*cl.AssigneeID]
	}
	if cl.Status.Public() {
		r.VerdictURL = s.Config.BaseURL + frontend.VerdictPath(cl)
	}
	return r
}

// record is the row as CSV cells, in exportColumns' order.
func (r exportRow) record() []string {
	opt := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	val := ""
	if r.RatingValue != nil {
		val = strconv.Itoa(*r.RatingValue)
	}
	at := ""
	if r.PublishedAt != nil {
		at = r.PublishedAt.UTC().Format(time.RFC3339)
	}
	cells := []string{strconv.FormatInt(r.ID, 10), string(r.Status), r.Text, r.Claimant, string(r.Kind), string(r.Rating), r.RatingLabel, val, r.Explanation,
		opt(r.DocumentID), r.DocumentTitle, r.Assignee, r.Checker, r.Reviewer, r.CreatedAt.UTC().Format(time.RFC3339), r.UpdatedAt.UTC().Format(time.RFC3339), at, r.VerdictURL}
	for i, v := range cells {
		cells[i] = spreadsheetSafe(v)
	}
	return cells
}

// spreadsheetSafe keeps a spreadsheet from reading a cell as a formula
// (a claim quoted as "=HYPERLINK(…)"): such a cell starts with a quote.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
