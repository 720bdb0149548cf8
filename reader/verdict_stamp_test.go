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

// The reader cache serves a verdict page for as long as its stamp is
// unchanged, so the stamp must cover everything the page shows. This test
// changes each field of the data a verdict page is built from, one at a
// time, the way the store would change it (bumpOnChange), and fails when
// the page's bytes change but its stamp does not: a field added to a model
// or to ClaimDetail that reaches the page without reaching store.StampOf
// fails here, before a reader is served a stale page.
func TestVerdictStampCoversThePage(t *testing.T) {
	r, err := frontend.New(frontend.Site{BaseURL: "http://factdesk.test", OrgName: "Desk", Bylines: true})
	if err != nil {
		t.Fatal(err)
	}
	render := func(d *store.ClaimDetail) ([]byte, string, error) {
		page, st := verdictOf(d)
		body, err := r.Verdict(page)
		return body, st.Key(), err
	}
	base, baseKey, err := render(verdictFixture())
	if err != nil {
		t.Fatal(err)
	}
	var paths []fieldPath
	leafPaths(reflect.ValueOf(verdictFixture()).Elem(), nil, &paths)
	if len(paths) < 80 {
		t.Fatalf("only %d fields walked: the fixture lost its parts", len(paths))
	}
	reached := 0
	for _, p := range paths {
		d := verdictFixture()
		change(reflect.ValueOf(d).Elem(), p, d)
		body, key, err := render(d)
		if err != nil || bytes.Equal(body, base) {
			continue // the field does not reach the page (or cannot be shown so)
		}
		reached++
		if key == baseKey {
			t.Errorf("%s reaches the verdict page but not its stamp (store.StampOf)", p)
		}
	}
	// The walk must see the page move, or it proves nothing.
	if reached < 20 {
		t.Errorf("only %d of %d fields changed the page", reached, len(paths))
	}
}

// bumpOnChange is the rule of the store the stamp relies on, for each kind
// of record a verdict page shows: what moves when such a record changes.
// Claims, documents, sources and the scale carry a version that every
// write moves (store.update); evidence and corrections are written with
// their claim, which moves its version; an appearance is never edited,
// only linked (a new ID) or unlinked. A record missing here moves nothing:
// its fields must then be in the stamp themselves (the bylines' names).
var bumpOnChange = map[reflect.Type]func(owner reflect.Value, d *store.ClaimDetail){
	reflect.TypeFor[models.Claim](): func(o reflect.Value, _ *store.ClaimDetail) {
		o.FieldByName("Version").SetInt(o.FieldByName("Version").Int() + 1)
	},
	reflect.TypeFor[models.Document](): func(o reflect.Value, _ *store.ClaimDetail) {
		o.FieldByName("Version").SetInt(o.FieldByName("Version").Int() + 1)
	},
	reflect.TypeFor[models.Source](): func(o reflect.Value, _ *store.ClaimDetail) {
		o.FieldByName("Version").SetInt(o.FieldByName("Version").Int() + 1)
	},
	reflect.TypeFor[models.Scale](): func(o reflect.Value, _ *store.ClaimDetail) {
		o.FieldByName("Version").SetInt(o.FieldByName("Version").Int() + 1)
	},
	reflect.TypeFor[models.Evidence]():   func(_ reflect.Value, d *store.ClaimDetail) { d.Claim.Version++ },
	reflect.TypeFor[models.Correction](): func(_ reflect.Value, d *store.ClaimDetail) { d.Claim.Version++ },
	reflect.TypeFor[models.Appearance](): func(o reflect.Value, _ *store.ClaimDetail) {
		o.FieldByName("ID").SetInt(o.FieldByName("ID").Int() + 1000)
	},
}

// A step of a path into ClaimDetail: a struct field, a slice element or a
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
func change(v reflect.Value, p fieldPath, d *store.ClaimDetail) {
	owner := innermostOwner(v, p)
	var walk func(v reflect.Value, p fieldPath, depth int)
	walk = func(v reflect.Value, p fieldPath, depth int) {
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if depth == owner {
			bumpOnChange[v.Type()](v, d)
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
// rule in bumpOnChange, or -1.
func innermostOwner(v reflect.Value, p fieldPath) int {
	owner := -1
	for depth := 0; ; depth++ {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return owner
			}
			v = v.Elem()
		}
		if _, ok := bumpOnChange[v.Type()]; ok {
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
