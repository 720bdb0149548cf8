package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"factdesk/demo"
	"factdesk/fetch"
	"factdesk/intake"
	"factdesk/models"
	"factdesk/server/servertest"
	"factdesk/store/storetest"
)

func TestDeskDocumentUpload(t *testing.T) {
	e := newDeskEnv(t)
	c := e.signIn(t, e.ed1)
	upload := func(name, content string) *http.Response {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("csrf_token", c.csrf())
		_ = w.WriteField("title", "Uploaded")
		_ = w.WriteField("published_on", "2025-10-14")
		f, _ := w.CreateFormFile("file", name)
		_, _ = f.Write([]byte(content))
		w.Close()
		res, err := c.http.Post(c.base+"/desk/documents", w.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, res)
		return res
	}
	if res := upload("oped.exe", "MZ"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an .exe upload = %d, want 400", res.StatusCode)
	}
	if res := upload("oped.md", "\ufeffPakistan hosted “3 million” naïve refugees in 2023.\r\n"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a .md upload = %d, want 303", res.StatusCode)
	}
	docs, _ := e.db.ListDocuments(context.Background(), storeDocs())
	if len(docs) != 1 || docs[0].Title != "Uploaded" || docs[0].PublishedOn == nil || docs[0].PublishedOn.Format("2006-01-02") != "2025-10-14" {
		t.Fatalf("documents = %+v", docs)
	}
	d, _ := e.db.GetDocument(context.Background(), docs[0].ID)
	if d.Body != "Pakistan hosted “3 million” naïve refugees in 2023.\n" {
		t.Errorf("body = %q: the byte-order mark and CRLF are not part of the text", d.Body)
	}
}

func TestDeskLoginFromElsewhere(t *testing.T) {
	e := newDeskEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/desk/login", strings.NewReader(url.Values{
		"email": {e.ed1.Email}, "password": {storetest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://elsewhere.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, res)
	if res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
		t.Errorf("sign-in posted from another site = %d with %d cookies, want 403 and none", res.StatusCode, len(res.Cookies()))
	}
}

func TestDeskNextStaysOnDesk(t *testing.T) {
	e := newDeskEnv(t)
	for _, next := range []string{"https://elsewhere.example/desk", "//elsewhere.example/desk", "/\\elsewhere.example", "/claims/1", "/desk/login"} {
		res, _ := e.anonymous(t).signInForm(url.Values{"email": {e.ed1.Email}, "password": {storetest.Password}, "next": {next}})
		if got := res.Header.Get("Location"); got != "/desk" {
			t.Errorf("next %q: sent to %q, want /desk", next, got)
		}
	}
}

func TestDeskPreviewIsSanitised(t *testing.T) {
	e := newDeskEnv(t)
	c := e.signIn(t, e.ed1)
	md := "**Mostly false** <script>alert(1)</script> [x](javascript:alert(1))"
	res, frag := c.post("/desk/preview", url.Values{"csrf_token": {c.csrf()}, "explanation": {md}})
	if res.StatusCode != http.StatusOK || !strings.Contains(frag, "<strong>Mostly false</strong>") ||
		strings.Contains(frag, "<script") || strings.Contains(frag, "javascript:") {
		t.Errorf("preview = %d %q", res.StatusCode, frag)
	}
	// Without the script, the Preview button posts the form and the page shows it.
	d := storeDoc(t, e)
	cl := storeClaim(t, e, d)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	res, page := c.post(path, url.Values{"csrf_token": {c.csrf()}, "version": {"1"}, "text": {cl.Text}, "kind": {"statistic"},
		"rating": {"false"}, "explanation": {md}, "op": {"preview"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "<strong>Mostly false</strong>") || strings.Contains(page, "<script>alert") {
		t.Errorf("preview page = %d", res.StatusCode)
	}
	if got, _ := e.db.GetClaim(context.Background(), cl.ID); got.Version != 1 {
		t.Error("a preview saved the claim")
	}
}

func TestDeskEvidenceAndCorrection(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d := storeDoc(t, e)
	cl := storeClaim(t, e, d)
	src := &models.Source{Title: "Border crossings, 2024", Publisher: "Statistics Office", Kind: models.SourceOfficial}
	if err := e.db.CreateSource(ctx, src, e.ed1); err != nil {
		t.Fatal(err)
	}
	one, two := e.signIn(t, e.ed1), e.signIn(t, e.ed2)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)

	_, page := one.get(path + "?sources=crossings")
	mustContain(t, page, `id="src-`+strconv.FormatInt(src.ID, 10)+`"`, "Border crossings, 2024")
	res, page := one.post(path+"/evidence", url.Values{"csrf_token": {one.csrf()}, "source_id": {"0"}, "url": {"not a url"}, "stance": {"supports"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad URL = %d, want 400", res.StatusCode)
	}
	mustContain(t, page, `id="f-url-error"`, `value="not a url"`)
	res, _ = one.post(path+"/evidence", url.Values{"csrf_token": {one.csrf()}, "source_id": {strconv.FormatInt(src.ID, 10)},
		"stance": {"refutes"}, "excerpt": {"18,000 crossings"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("evidence from an existing source = %d", res.StatusCode)
	}
	detail, _ := e.db.GetClaimDetail(ctx, cl.ID)
	if len(detail.Evidence) != 1 || detail.Evidence[0].SourceID != src.ID || detail.Evidence[0].Stance != models.StanceRefutes {
		t.Fatalf("evidence = %+v", detail.Evidence)
	}

	act := func(c *deskClient, action string, extra url.Values) (*http.Response, string) {
		cur, _ := e.db.GetClaim(ctx, cl.ID)
		f := url.Values{"csrf_token": {c.csrf()}, "action": {action}, "version": {strconv.Itoa(cur.Version)}}
		for k, v := range extra {
			f[k] = v
		}
		return c.post(path+"/transition", f)
	}
	if res, _ := act(one, "start", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", res.StatusCode)
	}
	cur, _ := e.db.GetClaim(ctx, cl.ID)
	res, page = one.post(path, url.Values{"csrf_token": {one.csrf()}, "version": {strconv.Itoa(cur.Version)}, "text": {cur.Text},
		"kind": {"statistic"}, "rating": {""}, "explanation": {""}, "op": {"submit"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("submit without a verdict = %d, want 400", res.StatusCode)
	}
	mustContain(t, page, "not submitted", `id="f-rating-error"`)
	cur, _ = e.db.GetClaim(ctx, cl.ID)
	res, _ = one.post(path, url.Values{"csrf_token": {one.csrf()}, "version": {strconv.Itoa(cur.Version)}, "text": {cur.Text},
		"kind": {"statistic"}, "rating": {"false"}, "explanation": {"Official figures show 18,000."}, "op": {"submit"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", res.StatusCode)
	}
	if res, page := act(one, "approve", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("the submitter approving = %d, want 403", res.StatusCode)
	} else {
		mustContain(t, page, "a second editor must approve")
	}
	if res, _ := act(two, "approve", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", res.StatusCode)
	}
	res, page = act(two, "correct", url.Values{"rating": {"mostly_false"}, "explanation": {"Official figures show 18,000; others 21,000."}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("correction without a note = %d, want 400", res.StatusCode)
	}
	mustContain(t, page, "a correction needs a public note")
	res, _ = act(two, "correct", url.Values{"rating": {"mostly_false"}, "explanation": {"Official figures show 18,000; others 21,000."},
		"note": {"A second estimate was added."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct = %d", res.StatusCode)
	}
	_, page = two.get(path)
	mustContain(t, page, "A correction waits for review", "A second estimate was added.")
	if res, _ := act(two, "approve", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("approving one's own correction = %d, want 403", res.StatusCode)
	}
	if res, _ := act(one, "approve", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approving a colleague's correction = %d", res.StatusCode)
	}
	_, page = two.get(path)
	mustContain(t, page, "Public corrections", "A second estimate was added.")
	if res, _ := act(two, "retract", url.Values{"note": {"no"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor retracting = %d, want 403", res.StatusCode)
	}
}

func TestDeskQueueAndDashboard(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	d := storetest.Document(t, e.db, "The army said 23,000 fighters crossed. The minister said 40 camps exist.", e.ed1)
	a := storetest.Claim(t, e.db, d, 0, 38, e.ed1)
	b := storetest.Claim(t, e.db, d, 39, 72, e.ed1)
	ed2 := e.ed2.ID
	ptr := &ed2
	if _, err := e.db.UpdateClaim(ctx, b.ID, models.ClaimUpdate{Version: b.Version, AssigneeID: &ptr}, e.ed1); err != nil {
		t.Fatal(err)
	}
	c := e.signIn(t, e.ed2)
	_, page := c.get("/desk/claims?assignee=" + strconv.FormatInt(ed2, 10))
	mustContain(t, page, "40 camps")
	if strings.Contains(page, "23,000 fighters crossed") {
		t.Error("the assignee filter let another's claim through")
	}
	_, page = c.get("/desk/claims?q=fighters&document=" + strconv.FormatInt(d.ID, 10))
	mustContain(t, page, "23,000 fighters")
	_, page = c.get("/desk/claims?sort=-id")
	if strings.Index(page, "/desk/claims/"+strconv.FormatInt(b.ID, 10)+`"`) > strings.Index(page, "/desk/claims/"+strconv.FormatInt(a.ID, 10)+`"`) {
		t.Error("newest first does not put the newer claim first")
	}
	_, page = c.get("/desk")
	mustContain(t, page, "Claims by status", "Open: 2 claims", "Assigned to me", "40 camps")
}

func TestDeskShowsClaimsCheckedElsewhere(t *testing.T) {
	e := newDeskEnv(t)
	ctx := context.Background()
	first := storetest.Document(t, e.db, "Officials say 23,000 terrorists are operating inside Afghanistan today.", e.ed1)
	second := storetest.Document(t, e.db, "A minister repeated that 23,000 terrorists are operating inside Afghanistan.", e.ed1)
	phrase := "23,000 terrorists are operating inside Afghanistan"
	at := func(d *models.Document) (int, int) {
		i := len([]rune(d.Body[:strings.Index(d.Body, phrase)]))
		return i, i + len([]rune(phrase))
	}
	s1, e1 := at(first)
	checked := storetest.Claim(t, e.db, first, s1, e1, e.ed1)
	if _, err := storetest.Transition(ctx, e.db, checked.ID, models.TransitionInput{Action: models.ActionStart}, e.ed1); err != nil {
		t.Fatal(err)
	}
	s2, e2 := at(second)
	fresh := storetest.Claim(t, e.db, second, s2, e2, e.ed1)
	if m, err := e.db.MatchClaims(ctx, fresh.ID, 5); err != nil || len(m) == 0 {
		t.Fatalf("store matches = %v, %v", m, err)
	}
	_, page := e.signIn(t, e.ed2).get("/desk/claims/" + strconv.FormatInt(fresh.ID, 10))
	mustContain(t, page, "Already checked", `href="/desk/claims/`+strconv.FormatInt(checked.ID, 10)+`"`)
}

// The documents list says where work waits: proposals to triage, and
// claims an edit left without a place.
func TestDeskDocumentsListWork(t *testing.T) {
	e := newDeskEnv(t)
	text := "Exports to China fell by 12 percent in 2024, according to customs data. We must act now."
	d, _, _ := storetest.Orphaned(t, e.db, text, "12 percent", "12 percent", "a little", e.ed1)
	quiet := storetest.Document(t, e.db, "We must act now.", e.ed1)
	c := e.signIn(t, e.ed1)
	res, page := c.get("/desk/documents")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk/documents = %d", res.StatusCode)
	}
	docPath := "/desk/documents/" + strconv.FormatInt(d.ID, 10)
	// The claim and detection's proposal of the same sentence lost their
	// figure; the edited sentence is proposed again, in place.
	mustContain(t, page, `href="`+docPath+`#orphans">2 lost their place</a>`, `href="`+docPath+`#candidates">1 to triage</a>`)
	if strings.Contains(page, "/desk/documents/"+strconv.FormatInt(quiet.ID, 10)+"#") {
		t.Error("a document without work shows some")
	}
}

// A claim without claimant gets a suggestion from its sentence, which an
// editor confirms; nobody is credited before that.
func TestDeskClaimantSuggestion(t *testing.T) {
	e := newDeskEnv(t)
	body := "The talks stalled again. Moscow’s warning about “23,000 terrorists” operating inside Afghanistan went unanswered."
	d := storetest.Document(t, e.db, body, e.ed1)
	start, end := span(t, body, "Moscow’s warning about “23,000 terrorists” operating inside Afghanistan")
	cl := storetest.Claim(t, e.db, d, start, end, e.ed1)
	one := e.signIn(t, e.ed1)
	path := "/desk/claims/" + strconv.FormatInt(cl.ID, 10)
	_, page := one.get(path)
	mustContain(t, page, "Nobody is credited with this claim yet", "<strong>Russia</strong>", "Moscow’s warning")
	if got, _ := e.db.GetClaim(context.Background(), cl.ID); got.Claimant != "" {
		t.Fatalf("a suggestion credited %q before anyone confirmed it", got.Claimant)
	}
	res, _ := one.post(path+"/claimant", url.Values{"csrf_token": {one.csrf()}, "claimant": {"Russia"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("a confirmation without a version = %d, want 400", res.StatusCode)
	}
	res, _ = one.post(path+"/claimant", url.Values{"csrf_token": {one.csrf()}, "version": {strconv.Itoa(cl.Version)}, "claimant": {"Russia"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm = %d", res.StatusCode)
	}
	if got, _ := e.db.GetClaim(context.Background(), cl.ID); got.Claimant != "Russia" {
		t.Errorf("claimant = %q", got.Claimant)
	}
	_, page = one.get(path)
	if strings.Contains(page, "Nobody is credited with this claim yet") {
		t.Error("the suggestion is still offered once a claimant is set")
	}
}

// The triage view shows what there is to check in each proposal: the
// figure, and for a claim without one its checkable phrase (issue 16).
func TestDeskTriageShowsKeySpans(t *testing.T) {
	env := servertest.New(t)
	ed := env.SignedIn(env.Editor)
	doc := demo.Document()
	if err := env.DB.CreateDocument(context.Background(), &doc, nil, env.Editor); err != nil {
		t.Fatal(err)
	}
	r := ed.Do("GET", "/desk/documents/"+strconv.FormatInt(doc.ID, 10), nil)
	if r.Status != 200 {
		t.Fatalf("triage view: %d", r.Status)
	}
	page := string(r.Body)
	for _, want := range []string{
		`<span class="key key-figure" title="figure">23,000 terrorists</span>`,
		`title="phrase">safe havens`,
		`title="phrase">travel waivers`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the triage view lacks %s", want)
		}
	}
}

// The statistics page counts claims per status, times verdicts and names
// each editor's work; it links the export of each status.
func TestDeskStatsPage(t *testing.T) {
	e := newDeskEnv(t)
	f := &fixture{t: t, env: e.Env, as: e.ed1}
	f.claim(models.StatusPublished)
	f.claim(models.StatusPublished)
	f.claim(models.StatusOpen)
	ed := e.signIn(t, e.ed1)
	res, page := ed.get("/desk/stats")
	if res.StatusCode != 200 {
		t.Fatalf("GET /desk/stats: %d", res.StatusCode)
	}
	row := func(table, head string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<table class="list" id="` + table + `">.*?</table>`).FindString(page)
		for _, tr := range strings.Split(m, "<tr>") {
			if strings.Contains(tr, head) {
				return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(tr, "|")
			}
		}
		t.Fatalf("no row %q in #%s", head, table)
		return ""
	}
	tests := []struct{ table, head, want string }{
		{"by-status", "Published", "|2|"},
		{"by-status", "Open", "|1|"},
		{"by-status", "Dismissed", "|0|"},
		{"per-editor", e.ed1.Email, "|2|2|0|0|"},
		{"per-editor", e.ed2.Email, "|0|0|2|0|"},
	}
	for _, tt := range tests {
		if got := strings.ReplaceAll(row(tt.table, tt.head), "||", "|"); !strings.Contains(got, tt.want) {
			t.Errorf("#%s row %s = %q, want %s", tt.table, tt.head, got, tt.want)
		}
	}
	mustContain(t, page, `id="median"`, "median", "Over 2 published verdicts", `href="/api/v1/claims/export?format=csv&amp;status=published"`)
	// The export link works from the desk's session.
	res, body := ed.get("/api/v1/claims/export?format=csv&status=published")
	if res.StatusCode != 200 || strings.Count(body, "\n") != 3 {
		t.Errorf("export from the stats page: %d, %d lines", res.StatusCode, strings.Count(body, "\n"))
	}
}

// TestDeskOriginal: a document imported from a page links the page as
// fetched, which editors get byte for byte, sandboxed with no script and
// nothing loaded from elsewhere; a pasted document has none; readers are
// sent to sign in.
func TestDeskOriginal(t *testing.T) {
	e := newDeskEnv(t)
	page, err := os.ReadFile("../intake/testdata/jsonld.html")
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer site.Close()
	im := intake.NewImporter(e.db, fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	d, err := im.Import(context.Background(), site.URL+"/story", e.ed1)
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(d.ID, 10)
	c := e.signIn(t, e.ed1)

	res, doc := c.get("/desk/documents/" + id)
	if res.StatusCode != 200 || !strings.Contains(doc, `href="/desk/documents/`+id+`/original"`) {
		t.Errorf("the document page (%d) does not link its original", res.StatusCode)
	}
	res, got := c.get("/desk/documents/" + id + "/original")
	csp := res.Header.Get("Content-Security-Policy")
	if res.StatusCode != 200 || got != string(page) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("original: %d %s, %d bytes, want the page (%d bytes)", res.StatusCode, res.Header.Get("Content-Type"), len(got), len(page))
	}
	for _, want := range []string{"sandbox", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("CSP %q allows scripts, or nosniff is missing", csp)
	}

	pasted := storetest.Document(t, e.db, "A pasted text of the desk, with a line or two.", e.ed1)
	if res, _ := c.get("/desk/documents/" + strconv.FormatInt(pasted.ID, 10) + "/original"); res.StatusCode != 404 {
		t.Errorf("a pasted document's original: %d, want 404", res.StatusCode)
	}
	if res, _ := e.anonymous(t).get("/desk/documents/" + id + "/original"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want a redirect to sign in", res.StatusCode)
	}
}
