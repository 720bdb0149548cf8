package reader

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"factdesk/frontend"
	"factdesk/models"
	"factdesk/store"
)

// The reader cache serves a page for as long as its stamp is unchanged, so
// the stamp must cover everything the page shows. This test changes each
// field of the data a page is built from, one at a time, the way the store
// would change it (its bumps), and fails when the page's bytes change but
// its stamp does not: a field added to a model or to a detail that reaches
// a page without reaching its stamp fails here, before a reader is served
// a stale page.
func TestStampCoversThePage(t *testing.T) {
	r, err := frontend.New(frontend.Site{BaseURL: "http://factdesk.test", OrgName: "Desk", Bylines: true})
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		name    string
		fixture func() any
		render  func(detail any) ([]byte, string, error)
		bumps   map[reflect.Type]func(owner reflect.Value, detail any)
	}{
		{"verdict", func() any { return verdictFixture() }, func(detail any) ([]byte, string, error) {
			page, st := verdictOf(detail.(*store.ClaimDetail))
			body, err := r.Verdict(page)
			return body, st.Key(), err
		}, verdictBumps},
		{"document", func() any { return documentFixture() }, func(detail any) ([]byte, string, error) {
			page, st := documentOf(detail.(*store.DocumentDetail))
			body, err := r.Document(page)
			return body, st.Key(), err
		}, documentBumps},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			base, baseKey, err := pg.render(pg.fixture())
			if err != nil {
				t.Fatal(err)
			}
			var paths []fieldPath
			leafPaths(reflect.ValueOf(pg.fixture()).Elem(), nil, &paths)
			reached := 0
			for _, p := range paths {
				d := pg.fixture()
				change(reflect.ValueOf(d).Elem(), p, d, pg.bumps)
				body, key, err := pg.render(d)
				if err != nil || bytes.Equal(body, base) {
					continue // the field does not reach the page (or cannot be shown so)
				}
				reached++
				if key == baseKey {
					t.Errorf("%s reaches the %s page but not its stamp", p, pg.name)
				}
			}
			// The walk must see the page move, or it proves nothing.
			if reached < 15 {
				t.Errorf("only %d of %d fields changed the page: the fixture lost its parts", reached, len(paths))
			}
		})
	}
}

// The bumps are the rule of the store a stamp relies on, for each kind of
// record a page shows: what moves when such a record changes. Claims,
// documents, sources and the scale carry a version that every write moves
// (store.update); evidence and corrections are written with their claim,
// which moves its version; an appearance is never edited, only linked (a
// new ID) or unlinked. A record missing here moves nothing: its fields
// must then be in the stamp themselves (the bylines' names, an archive's
// copy).
var (
	moveVersion = func(o reflect.Value, _ any) { o.FieldByName("Version").SetInt(o.FieldByName("Version").Int() + 1) }
	newRecord   = func(o reflect.Value, _ any) { o.FieldByName("ID").SetInt(o.FieldByName("ID").Int() + 1000) }

	verdictBumps = map[reflect.Type]func(reflect.Value, any){
		reflect.TypeFor[models.Claim]():      moveVersion,
		reflect.TypeFor[models.Document]():   moveVersion,
		reflect.TypeFor[models.Source]():     moveVersion,
		reflect.TypeFor[models.Scale]():      moveVersion,
		reflect.TypeFor[models.Evidence]():   func(_ reflect.Value, d any) { d.(*store.ClaimDetail).Claim.Version++ },
		reflect.TypeFor[models.Correction](): func(_ reflect.Value, d any) { d.(*store.ClaimDetail).Claim.Version++ },
		reflect.TypeFor[models.Appearance](): newRecord,
	}
	documentBumps = map[reflect.Type]func(reflect.Value, any){
		reflect.TypeFor[models.Claim]():      moveVersion,
		reflect.TypeFor[models.Document]():   moveVersion,
		reflect.TypeFor[models.Scale]():      moveVersion,
		reflect.TypeFor[models.Appearance](): newRecord,
	}
)

// A step of a path into a detail: a struct field, a slice element or a
// map entry.
type step struct {
	field int
	index int
	key   reflect.Value
	name  string
}

type fieldPath []step

func (p fieldPath) String() string {
	var b strings.Builder
	for _, s := range p {
		b.WriteString(s.name)
	}
	return b.String()
}

// leafPaths lists the paths to every leaf of v: strings, numbers, booleans,
// times, and nil pointers (set to a value by change).
func leafPaths(v reflect.Value, prefix fieldPath, out *[]fieldPath) {
	add := func(s step) fieldPath { return append(append(fieldPath{}, prefix...), s) }
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			*out = append(*out, prefix)
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				leafPaths(v.Field(i), add(step{field: i, name: "." + f.Name}), out)
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			*out = append(*out, prefix)
			return
		}
		leafPaths(v.Elem(), prefix, out)
	case reflect.Slice:
		for i := range v.Len() {
			leafPaths(v.Index(i), add(step{field: -1, index: i, name: fmt.Sprintf("[%d]", i)}), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			leafPaths(v.MapIndex(k), add(step{field: -2, key: k, name: fmt.Sprintf("[%v]", k)}), out)
		}
	default:
		*out = append(*out, prefix)
	}
}

// change follows p into v, applying the store's rule for the innermost
// record it passes through, and changes the leaf at its end.
func change(v reflect.Value, p fieldPath, d any, bumps map[reflect.Type]func(reflect.Value, any)) {
	owner := innermostOwner(v, p, bumps)
	var walk func(v reflect.Value, p fieldPath, depth int)
	walk = func(v reflect.Value, p fieldPath, depth int) {
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if depth == owner {
			bumps[v.Type()](v, d)
		}
		if len(p) == 0 {
			changeLeaf(v)
			return
		}
		s := p[0]
		switch s.field {
		case -1:
			walk(v.Index(s.index), p[1:], depth+1)
		case -2:
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(s.key))
			walk(e, p[1:], depth+1)
			v.SetMapIndex(s.key, e)
		default:
			walk(v.Field(s.field), p[1:], depth+1)
		}
	}
	walk(v, p, 0)
}

// innermostOwner is the depth along p of the last value whose type has a
// rule in bumps, or -1.
func innermostOwner(v reflect.Value, p fieldPath, bumps map[reflect.Type]func(reflect.Value, any)) int {
	owner := -1
	for depth := 0; ; depth++ {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return owner
			}
			v = v.Elem()
		}
		if _, ok := bumps[v.Type()]; ok {
			owner = depth
		}
		if depth == len(p) {
			return owner
		}
		switch s := p[depth]; s.field {
		case -1:
			v = v.Index(s.index)
		case -2:
			v = v.MapIndex(s.key)
		default:
			v = v.Field(s.field)
		}
	}
}

func changeLeaf(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float()/2 + 0.25)
	case reflect.Pointer: // a nil pointer: give it a value
		e := reflect.New(v.Type().Elem())
		if e.Elem().Type() == reflect.TypeFor[time.Time]() {
			e.Elem().Set(reflect.ValueOf(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)))
		} else if e.Elem().Kind() == reflect.Int64 || e.Elem().Kind() == reflect.Int {
			e.Elem().SetInt(7)
		}
		v.Set(e)
	case reflect.Struct: // time.Time
		v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(36 * time.Hour)))
	}
}

// verdictFixture is a published verdict with every part a page can show:
// its document, two sources (one archived), a correction, an appearance
// elsewhere and bylines. Each call builds a fresh one.
func verdictFixture() *store.ClaimDetail {
	at := time.Date(2025, 10, 14, 8, 30, 0, 0, time.UTC)
	later := at.Add(48 * time.Hour)
	docID, otherDoc, snapshot := int64(3), int64(9), int64(41)
	body := "In a naïve reading, the minister said 23,000 terrorists operate in Afghanistan. Others disagree."
	quote := "23,000 terrorists operate in Afghanistan"
	start := len([]rune(body[:strings.Index(body, quote)]))
	anchor := models.Anchor{Start: start, End: start + len([]rune(quote)), Exact: quote, Prefix: "the minister said ", Suffix: ". Others"}
	published := later
	user := int64(2)
	claim := models.Claim{ID: 17, DocumentID: &docID, Anchor: anchor, Text: "Moscow says 23,000 terrorists operate in Afghanistan",
		Claimant: "Russia's foreign ministry", Kind: models.KindStatistic, Score: 0.91, Origin: models.OriginManual, Status: models.StatusPublished,
		Rating: models.RatingMostlyFalse, Explanation: "The **UN monitoring team** counts far fewer fighters.", SubmitterID: &user, ReviewerID: &user,
		PublishedAt: &published, Priority: models.PriorityHigh, Version: 6, CreatedAt: at, UpdatedAt: later}
	doc := models.Document{ID: docID, Title: "Op-ed: the region", Author: "A. Writer", Publisher: "The Daily", URL: "https://daily.example/oped",
		PublishedOn: &at, Language: "en", Body: body, Version: 2, CreatedAt: at, UpdatedAt: at}
	src := func(id int64, url string) models.Source {
		return models.Source{ID: id, URL: url, Title: "Report " + fmt.Sprint(id), Publisher: "UN", Author: "Team", PublishedOn: &at, AccessedOn: &later,
			ArchiveURL: "https://archive.example/" + fmt.Sprint(id), Kind: models.SourceKind("report"), Notes: "notes", Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	scale := models.DefaultScale()
	scale.Version = 4
	return &store.ClaimDetail{
		Claim:    claim,
		Document: &doc,
		Evidence: []store.EvidenceDetail{
			{Evidence: models.Evidence{ID: 5, ClaimID: 17, SourceID: 11, Stance: models.StanceRefutes, Excerpt: "about 6,000 fighters", PublicNote: "the UN's own count",
				ResearchNote: "called the team", AddedBy: &user, CreatedAt: at}, Source: src(11, "https://un.example/report")},
			{Evidence: models.Evidence{ID: 6, ClaimID: 17, SourceID: 12, Stance: models.StanceSupports, Excerpt: "thousands", CreatedAt: later}, Source: src(12, "https://press.example/brief")},
		},
		Corrections: []models.Correction{{ID: 1, ClaimID: 17, Note: "The rating was changed after a second source.", UserID: &user, CreatedAt: later}},
		Scale:       scale,
		Archives: map[int64]models.Archive{11: {SourceID: 11, URL: "https://un.example/report", State: models.ArchiveArchived, LiveStatus: 200,
			CheckedAt: &later, Attempts: 1, SnapshotID: &snapshot, UpdatedAt: later}},
		Bylines:     store.Bylines{Checker: "Ayesha Khan", Reviewer: "Omar Ali"},
		Appearances: []models.Appearance{{ID: 8, ClaimID: 17, DocumentID: otherDoc, Anchor: models.Anchor{Start: 0, End: 10, Exact: "23,000 men"}, SaidAt: later, LinkedBy: &user, CreatedAt: later}},
		AppearanceDocuments: map[int64]models.Document{otherDoc: {ID: otherDoc, Title: "A speech", URL: "https://speech.example", PublishedOn: &later,
			Version: 1, CreatedAt: later, UpdatedAt: later}},
	}
}

// documentFixture is a document with a claim readers see, one they do not
// (a candidate), and a claim checked elsewhere said again in it.
func documentFixture() *store.DocumentDetail {
	v := verdictFixture()
	doc := *v.Document
	candidate := v.Claim
	candidate.ID, candidate.Status, candidate.Anchor = 18, models.StatusCandidate, models.Anchor{Start: 82, End: 96, Exact: "Others disagree"}
	repeated := v.Claim
	repeated.ID, repeated.DocumentID = 30, nil
	repeated.Rating = models.RatingFalse
	return &store.DocumentDetail{
		Document:    doc,
		Claims:      []models.Claim{v.Claim, candidate},
		Appearances: []models.Appearance{{ID: 4, ClaimID: 30, DocumentID: doc.ID, Anchor: models.Anchor{Start: 3, End: 8, Exact: "naïve"}, CreatedAt: v.Claim.UpdatedAt}},
		Repeated:    map[int64]models.Claim{30: repeated},
		Scale:       v.Scale,
	}
}
