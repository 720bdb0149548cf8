package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

// anchorSetup is a document whose body edit orphaned the claim on
// "unemployment fell by 4 per cent"; edited is the body after the edit.
func anchorSetup(t *testing.T, env *servertest.Env) (*models.Document, *models.Claim, string) {
	t.Helper()
	const quote = "unemployment fell by 4 per cent"
	return storetest.Orphaned(t, env.DB, body, quote, quote, "joblessness dropped a little", env.Editor)
}

func TestAnchorPlacesOrphanedClaim(t *testing.T) {
	env := servertest.New(t)
	ed := env.SignedIn(env.Editor)
	d, c, edited := anchorSetup(t, env)
	start, end := span(t, edited, "joblessness dropped a little")
	path := fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID)

	r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version, "document_version": d.Version})
	want(t, r, 200, "place")
	got := object(t, r)
	if got["exact"] != "joblessness dropped a little" || got["orphaned"] != false || got["start"] != float64(start) || got["end"] != float64(end) ||
		got["version"] != float64(c.Version+1) || !strings.HasSuffix(got["prefix"].(string), "He added that ") {
		t.Errorf("placed claim = %v", got)
	}
	if etag := r.Header.Get("ETag"); !strings.HasPrefix(etag, fmt.Sprintf(`"v%d-`, c.Version+1)) {
		t.Errorf("ETag = %q", etag)
	}
	revs := object(t, ed.Do("GET", path[:strings.LastIndex(path, "/")]+"/revisions", nil))
	first := revs["revisions"].([]any)[0].(map[string]any)
	if first["action"] != "place" || first["summary"] != "claim re-placed" {
		t.Errorf("latest revision = %v", first)
	}

	// The reader's document marks it again where it now stands.
	doc := object(t, env.Anonymous().Do("GET", fmt.Sprintf("/api/v1/documents/%d", d.ID), nil))
	if claims, _ := doc["claims"].([]any); len(claims) != 1 || claims[0].(map[string]any)["exact"] != "joblessness dropped a little" {
		t.Errorf("public document claims = %v", doc["claims"])
	}

	t.Run("IfMatch", func(t *testing.T) {
		s, e := span(t, edited, "joblessness")
		r := ed.Do("PUT", path, map[string]any{"start": s, "end": e}, "If-Match", r.Header.Get("ETag"))
		want(t, r, 200, "place with If-Match")
		if got := object(t, r); got["exact"] != "joblessness" {
			t.Errorf("exact = %v", got["exact"])
		}
	})
}

func TestAnchorRefusals(t *testing.T) {
	env := servertest.New(t)
	ed := env.NewToken(servertest.EditorEmail, "anchor tests")
	d, c, edited := anchorSetup(t, env)
	path := fmt.Sprintf("/api/v1/claims/%d/anchor", c.ID)
	start, end := span(t, edited, "joblessness")

	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"NoStart", map[string]any{"end": end, "version": c.Version}, "start"},
		{"NoEnd", map[string]any{"start": start, "version": c.Version}, "end"},
		{"NoVersion", map[string]any{"start": start, "end": end}, "version"},
		{"Empty", map[string]any{"start": start, "end": start, "version": c.Version}, "end"},
		{"Reversed", map[string]any{"start": end, "end": start, "version": c.Version}, "end"},
		{"PastEnd", map[string]any{"start": start, "end": 100000, "version": c.Version}, "end"},
		{"Negative", map[string]any{"start": -3, "end": end, "version": c.Version}, "start"},
		{"NotANumber", map[string]any{"start": "5", "end": end, "version": c.Version}, "start"},
		{"UnknownField", map[string]any{"start": start, "end": end, "version": c.Version, "exact": "x"}, "exact"},
		{"BadDocumentVersion", map[string]any{"start": start, "end": end, "version": c.Version, "document_version": 0}, "document_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ed.Do("PUT", path, tc.body)
			want(t, r, 400, tc.name)
			var e struct {
				Error struct{ Fields map[string]string } `json:"error"`
			}
			r.Decode(t, &e)
			if _, ok := e.Error.Fields[tc.field]; !ok {
				t.Errorf("fields = %v, want %s named", e.Error.Fields, tc.field)
			}
		})
	}
	t.Run("StaleVersion", func(t *testing.T) {
		r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version - 1})
		want(t, r, 409, "stale version")
		cur := object(t, r)["current"].(map[string]any)
		if cur["version"] != float64(c.Version) || cur["orphaned"] != true {
			t.Errorf("current = %v", cur)
		}
	})
	t.Run("DocumentEditedSince", func(t *testing.T) {
		r := ed.Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version, "document_version": d.Version - 1})
		want(t, r, 409, "old document version")
		cur := object(t, r)["current"].(map[string]any)
		if cur["version"] != float64(d.Version) || cur["body"] != edited {
			t.Errorf("current = %v, want the document", cur)
		}
	})
	t.Run("FreeStanding", func(t *testing.T) {
		free := &models.Claim{Text: "Unemployment fell to 4 percent.", Kind: models.KindStatistic}
		if err := env.DB.CreateClaim(context.Background(), free, env.Editor); err != nil {
			t.Fatal(err)
		}
		r := ed.Do("PUT", fmt.Sprintf("/api/v1/claims/%d/anchor", free.ID), map[string]any{"start": 0, "end": 3, "version": free.Version})
		want(t, r, 400, "free-standing claim")
	})
	t.Run("NotFound", func(t *testing.T) {
		want(t, ed.Do("PUT", "/api/v1/claims/0/anchor", map[string]any{"start": 0, "end": 3, "version": 1}), 404, "claim 0")
	})
	t.Run("CookieNeedsCSRF", func(t *testing.T) {
		r := env.SignedIn(env.Editor).Do("PUT", path, map[string]any{"start": start, "end": end, "version": c.Version}, "X-CSRF-Token", "")
		want(t, r, 403, "no CSRF token")
	})
	if got, _ := env.DB.GetClaim(context.Background(), c.ID); !got.Orphaned || got.Version != c.Version {
		t.Errorf("a refused placement wrote: %+v", got)
	}
}
