package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/web"
)

// scalePut is an admin's new scale: the ratings and bounds in full, or the
// name of a preset to start from (ratings still in use that the preset
// lacks are kept, retired).
type scalePut struct {
	Version     *int                 `json:"version"`
	Preset      string               `json:"preset"`
	Ratings     []models.ScaleRating `json:"ratings"`
	BestRating  *int                 `json:"best_rating"`
	WorstRating *int                 `json:"worst_rating"`
	Mode        models.RelabelMode   `json:"mode"`
	Note        string               `json:"note"`
}

// ratingUseView is how many claims hold a rating.
type ratingUseView struct {
	Claims    int `json:"claims"`
	Published int `json:"published"`
}

// getScale returns the newsroom's rating scale, public as "how we check"
// is; editors also see how many claims use each rating (a rating in use
// cannot be removed, only retired).
func (s *Server) getScale(c *gin.Context) {
	ctx := c.Request.Context()
	scale, err := s.DB.Scale(ctx)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	body := gin.H{"scale": scale}
	if web.CurrentUser(c) != nil {
		use, err := s.DB.RatingUse(ctx)
		if err != nil {
			s.RespondError(c, err)
			return
		}
		body["use"] = useView(use)
	}
	web.RespondRecord(c, http.StatusOK, int(scale.Version), body)
}

func useView(use map[models.Rating]models.RatingUse) map[string]ratingUseView {
	out := make(map[string]ratingUseView, len(use))
	for k, u := range use {
		out[string(k)] = ratingUseView{Claims: u.Claims, Published: u.Published}
	}
	return out
}

// getScalePresets lists the ready-made scales an admin may start from.
func (s *Server) getScalePresets(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"presets": models.Presets()})
}

// putScale replaces the scale (admins), based on a version like every
// edit. Published verdicts whose rating changes are corrected as mode
// says: review (a correction of each, for a second editor) or apply_all
// (one public note on every one).
func (s *Server) putScale(c *gin.Context, in *scalePut) {
	version, err := web.VersionOf(c, in.Version)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	ctx := c.Request.Context()
	next, err := s.scaleOf(c, *in)
	if err != nil {
		s.RespondError(c, err)
		return
	}
	res, err := s.DB.UpdateScale(ctx, models.ScaleEdit{Scale: next, Version: int64(version), Mode: in.Mode, Note: in.Note}, web.CurrentUser(c))
	if err != nil {
		s.RespondError(c, err)
		return
	}
	if res.Changed == nil {
		res.Changed = []models.Rating{}
	}
	web.RespondRecord(c, http.StatusOK, int(res.Scale.Version), res)
}

// scaleOf is the scale a PUT asks for: its ratings and bounds, or a preset
// applied to the scale as it stands.
func (s *Server) scaleOf(c *gin.Context, in scalePut) (models.Scale, error) {
	if in.Preset == "" {
		f := models.FieldErrors{}
		if in.Ratings == nil {
			f.Add("ratings", "send the scale's ratings, or a preset")
		}
		if in.BestRating == nil {
			f.Add("best_rating", "is required with ratings")
		}
		if in.WorstRating == nil {
			f.Add("worst_rating", "is required with ratings")
		}
		if err := f.Err(); err != nil {
			return models.Scale{}, err
		}
		return models.Scale{Ratings: in.Ratings, BestRating: *in.BestRating, WorstRating: *in.WorstRating}, nil
	}
	if in.Ratings != nil || in.BestRating != nil || in.WorstRating != nil {
		return models.Scale{}, web.InvalidField("send a preset or the ratings, not both", "preset", "cannot be combined with ratings or bounds")
	}
	return s.PresetScale(c, in.Preset)
}
