package desk

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	deskview "factdesk/frontend/desk"
	"factdesk/models"
	"factdesk/store"
	"factdesk/web"
)

// blankScaleRows are the empty rows the scale form offers for new ratings.
const blankScaleRows = 2

// maxScaleRows bounds the rows a posted form may name.
const maxScaleRows = 60

// deskScale shows the scale editor (admins).
func (s *Server) deskScale(c *gin.Context) {
	ctx := c.Request.Context()
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	use, err := s.DB.RatingUse(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	p := &deskview.ScalePage{Chrome: s.chrome(c, "Rating scale", "scale"), Version: scale.Version,
		Best: strconv.Itoa(scale.BestRating), Worst: strconv.Itoa(scale.WorstRating), Rows: scaleRows(scale, use), Presets: models.Presets()}
	s.deskRender(c, http.StatusOK, func(w gin.ResponseWriter) error { return deskPages.Scale(w, p) })
}

// scaleRows is the form of scale: a row per rating, then blank ones.
func scaleRows(scale models.Scale, use map[models.Rating]models.RatingUse) []deskview.ScaleRow {
	var out []deskview.ScaleRow
	for i, r := range scale.Ratings {
		row := deskview.ScaleRow{N: i, Key: string(r.Key), Label: r.Label, Description: r.Description, Colour: string(r.Colour),
			Order: strconv.Itoa(i + 1), Retired: r.Retired, Claims: use[r.Key].Claims, Published: use[r.Key].Published}
		if r.Value != nil {
			row.Value = strconv.Itoa(*r.Value)
		}
		out = append(out, row)
	}
	for i := 0; i < blankScaleRows; i++ {
		n := len(out)
		out = append(out, deskview.ScaleRow{N: n, New: true, Colour: "slate", Order: strconv.Itoa(n + 1)})
	}
	return out
}

// deskScaleSave saves the scale as the form gives it.
func (s *Server) deskScaleSave(c *gin.Context) {
	rows, next, errs := scaleForm(c)
	mode, note := models.RelabelMode(c.PostForm("mode")), c.PostForm("note")
	version, err := formNumber(c, "version", 1)
	if err != nil {
		errs["form"] = "the form does not say which version of the scale it was based on: reload the page"
	}
	if len(errs) > 0 {
		s.scaleAgain(c, http.StatusBadRequest, version, rows, mode, note, errs, false)
		return
	}
	s.saveScale(c, models.ScaleEdit{Scale: next.scale, Version: version, Mode: mode, Note: note}, func(err error) {
		status, _ := s.ErrorResponse(c, err)
		s.scaleAgain(c, status, version, rows, mode, note, scaleErrors(err, next.rowOf), models.ErrorCode(err) == models.ECONFLICT)
	})
}

// deskScalePreset replaces the scale with a preset.
func (s *Server) deskScalePreset(c *gin.Context) {
	mode, note := models.RelabelMode(c.PostForm("mode")), c.PostForm("note")
	version, err := formNumber(c, "version", 1)
	var next models.Scale
	if err == nil {
		next, err = s.PresetScale(c, c.PostForm("preset"))
	}
	if err == nil {
		s.saveScale(c, models.ScaleEdit{Scale: next, Version: version, Mode: mode, Note: note}, func(e error) { err = e })
		if err == nil {
			return
		}
	}
	if models.ErrorCode(err) != models.EINVALID && models.ErrorCode(err) != models.ECONFLICT {
		s.deskError(c, err)
		return
	}
	// Show the preset's trouble on the form of the current scale.
	ctx := c.Request.Context()
	scale, serr := s.DB.Scale(ctx)
	use, uerr := s.DB.RatingUse(ctx)
	if serr != nil || uerr != nil {
		s.deskError(c, cmp.Or(serr, uerr))
		return
	}
	errs := invalidFields(err)
	if errs == nil {
		errs = deskview.Errors{}
	}
	if msg, ok := errs["ratings"]; ok {
		errs["preset"] = msg
	}
	if _, ok := errs["preset"]; !ok {
		errs["preset"] = "The preset was not applied: " + models.ErrorMessage(err)
		for k, v := range errs {
			if k != "preset" {
				errs["preset"] += " (" + k + ": " + v + ")"
			}
		}
	}
	status, _ := s.ErrorResponse(c, err)
	p := &deskview.ScalePage{Chrome: s.chrome(c, "Rating scale", "scale"), Version: scale.Version,
		Best: strconv.Itoa(scale.BestRating), Worst: strconv.Itoa(scale.WorstRating), Rows: scaleRows(scale, use),
		Presets: models.Presets(), Errors: deskview.Errors{"preset": errs["preset"]}}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Scale(w, p) })
}

// saveScale stores edit and redirects with what it did, or calls failed.
func (s *Server) saveScale(c *gin.Context, edit models.ScaleEdit, failed func(error)) {
	res, err := s.DB.UpdateScale(c.Request.Context(), edit, web.CurrentUser(c))
	if err != nil {
		failed(err)
		return
	}
	deskRedirect(c, "/desk/scale", scaleDone(res), "")
}

func scaleDone(res store.ScaleResult) string {
	switch {
	case res.Proposed > 0:
		return "scale_review"
	case res.Published > 0:
		return "scale_applied"
	}
	return "scale_saved"
}

// scaleAgain shows the form as posted with its errors; after a conflict,
// on the current version, with the use counts as they stand.
func (s *Server) scaleAgain(c *gin.Context, status int, version int64, rows []deskview.ScaleRow, mode models.RelabelMode, note string, errs deskview.Errors, conflict bool) {
	ctx := c.Request.Context()
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	if conflict {
		version = scale.Version
	}
	use, err := s.DB.RatingUse(ctx)
	if err != nil {
		s.deskError(c, err)
		return
	}
	for i := range rows {
		u := use[models.Rating(rows[i].Key)]
		if !rows[i].New {
			rows[i].Claims, rows[i].Published = u.Claims, u.Published
		}
	}
	p := &deskview.ScalePage{Chrome: s.chrome(c, "Rating scale", "scale"), Version: version, Best: c.PostForm("best_rating"), Worst: c.PostForm("worst_rating"),
		Rows: rows, Mode: mode, Note: note, Presets: models.Presets(), Errors: errs, Conflict: conflict}
	s.deskRender(c, status, func(w gin.ResponseWriter) error { return deskPages.Scale(w, p) })
}

// postedScale is the scale a form gives, and for each of its ratings the
// form row it came from.
type postedScale struct {
	scale models.Scale
	rowOf []int
}

// scaleForm reads the posted rows: blank new rows are skipped, removed
// ones left out, the rest ordered by their order field.
func scaleForm(c *gin.Context) ([]deskview.ScaleRow, postedScale, deskview.Errors) {
	errs := deskview.Errors{}
	n, err := strconv.Atoi(c.PostForm("rows"))
	if err != nil || n < 0 || n > maxScaleRows {
		errs["form"] = "the form is not one this page gave: reload the page"
		return nil, postedScale{}, errs
	}
	var rows []deskview.ScaleRow
	type kept struct {
		order int
		row   int
		r     models.ScaleRating
	}
	var keep []kept
	for i := 0; i < n; i++ {
		f := func(name string) string { return strings.TrimSpace(c.PostForm(fmt.Sprintf("%s_%d", name, i))) }
		row := deskview.ScaleRow{N: i, Key: f("key"), Label: f("label"), Description: f("description"), Colour: f("colour"), Value: f("value"),
			Order: f("order"), Retired: f("retired") != "", Remove: f("remove") != ""}
		row.New = f("new") != ""
		rows = append(rows, row)
		if row.New && row.Key == "" && row.Label == "" {
			continue // a blank row
		}
		if row.Remove {
			continue
		}
		r := models.ScaleRating{Key: models.Rating(row.Key), Label: row.Label, Description: row.Description, Colour: models.Colour(row.Colour), Retired: row.Retired}
		if row.Value != "" {
			v, err := strconv.Atoi(row.Value)
			if err != nil {
				errs[fmt.Sprintf("row-%d-rating_value", i)] = "a whole number, or blank for none"
			}
			r.Value = &v
		}
		order, err := strconv.Atoi(row.Order)
		if err != nil {
			errs[fmt.Sprintf("row-%d-order", i)] = "a whole number"
		}
		keep = append(keep, kept{order, i, r})
	}
	slices.SortStableFunc(keep, func(a, b kept) int { return cmp.Compare(a.order, b.order) })
	var out postedScale
	for _, k := range keep {
		out.scale.Ratings = append(out.scale.Ratings, k.r)
		out.rowOf = append(out.rowOf, k.row)
	}
	var berr, werr error
	out.scale.BestRating, berr = strconv.Atoi(strings.TrimSpace(c.PostForm("best_rating")))
	out.scale.WorstRating, werr = strconv.Atoi(strings.TrimSpace(c.PostForm("worst_rating")))
	if berr != nil {
		errs["best_rating"] = "a whole number"
	}
	if werr != nil {
		errs["worst_rating"] = "a whole number"
	}
	return rows, out, errs
}

var ratingField = regexp.MustCompile(`^ratings\[(\d+)\]\.(\w+)$`)

// scaleErrors are the messages of err by form field: ratings[i].label of
// the scale becomes row-N-label of the row rating i came from.
func scaleErrors(err error, rowOf []int) deskview.Errors {
	f := invalidFields(err)
	if f == nil {
		if models.ErrorCode(err) == models.ECONFLICT {
			return deskview.Errors{}
		}
		return deskview.Errors{"form": models.ErrorMessage(err)}
	}
	out := deskview.Errors{}
	for k, v := range f {
		if m := ratingField.FindStringSubmatch(k); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(rowOf) {
				out[fmt.Sprintf("row-%d-%s", rowOf[i], m[2])] = v
				continue
			}
		}
		out[k] = v
	}
	return out
}
