package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// hostileServer is Factdesk on a real listener, configured as `factdesk
// serve` configures it but with short timeouts so the slow clients below
// take seconds, not minutes.
func hostileServer(t *testing.T) (*httptest.Server, *store.DB, string, *models.Claim) {
	t.Helper()
	db, token, claim := hostileData(t, storetest.DSN(t))
	h, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://factdesk.test", OrgName: "Factdesk"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ReadHeaderTimeout = 500 * time.Millisecond
	ts.Config.ReadTimeout = 5 * time.Second
	ts.Config.WriteTimeout = 10 * time.Second
	ts.Config.IdleTimeout = 10 * time.Second
	ts.Config.MaxHeaderBytes = 64 << 10
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, db, token, claim
}

// hostileData is the database of the hostile tests: an editor with an API
// token and one claim of a document.
func hostileData(t *testing.T, dsn string) (*store.DB, string, *models.Claim) {
	t.Helper()
	db := storetest.OpenDSN(t, dsn)
	ed := storetest.User(t, db, "editor@hostile.test", models.RoleEditor)
	doc := storetest.Document(t, db, "The army counted 23,000 fighters in 2024, the report said.", ed)
	claim := storetest.Claim(t, db, doc, 4, 40, ed)
	token, _, err := db.CreateAPIToken(context.Background(), ed.ID, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	return db, token, claim
}

// stored counts what a request could have written.
type stored struct{ claims, documents, revisions, sources int64 }

func countStored(t *testing.T, db *store.DB) stored {
	t.Helper()
	ctx := context.Background()
	var s stored
	byStatus, err := db.CountClaimsByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range byStatus {
		s.claims += n
	}
	if s.documents, err = db.CountDocuments(ctx); err != nil {
		t.Fatal(err)
	}
	revs, err := db.ListRevisions(ctx, store.RevisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	s.revisions = int64(len(revs))
	srcs, err := db.ListSources(ctx, store.SourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	s.sources = int64(len(srcs))
	return s
}

// TestHostileRequests sends malformed and oversized requests to a real
// server: every one gets a 4xx (or the connection is closed), never a 500
// or a hang, and nothing is stored.
func TestHostileRequests(t *testing.T) {
	ts, db, token, claim := hostileServer(t)
	before := countStored(t, db)
	big := strings.Repeat("a", 5<<20)
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	deepObj := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	claimPath := fmt.Sprintf("/api/v1/claims/%d", claim.ID)
	tests := []struct {
		name, method, path, ctype, body string
	}{
		{"5 MB claim", "POST", "/api/v1/claims", "application/json", `{"text":"` + big + `"}`},
		{"5 MB document", "POST", "/api/v1/documents", "application/json", `{"title":"t","body":"` + big + `"}`},
		{"5 MB edit", "PATCH", claimPath, "application/json", `{"version":1,"text":"` + big + `"}`},
		{"5 MB source", "POST", "/api/v1/sources", "application/json", `{"title":"` + big + `"}`},
		{"10,000-deep arrays", "POST", "/api/v1/claims", "application/json", deep},
		{"10,000-deep arrays in a field", "POST", "/api/v1/claims", "application/json", `{"text":` + deep + `}`},
		{"10,000-deep objects", "PATCH", claimPath, "application/json", deepObj},
		{"10,000-deep transition", "POST", claimPath + "/transitions", "application/json", `{"action":` + deep + `}`},
		{"invalid UTF-8", "POST", "/api/v1/claims", "application/json", "{\"text\":\"bad \xff\xfe bytes\"}"},
		{"invalid UTF-8 in a document", "POST", "/api/v1/documents", "application/json", "{\"title\":\"t\",\"body\":\"caf\xc3\"}"},
		{"raw NUL byte", "POST", "/api/v1/claims", "application/json", "{\"text\":\"a\x00b\"}"},
		{"escaped NUL", "POST", "/api/v1/claims", "application/json", `{"text":"a\u0000b"}`},
		{"escaped NUL in a document body", "POST", "/api/v1/documents", "application/json", `{"title":"t","body":"x\u0000y"}`},
		{"raw control character", "POST", "/api/v1/claims", "application/json", "{\"text\":\"a\x07b\"}"},
		{"escaped control characters in the claimant", "PATCH", claimPath, "application/json", `{"version":1,"claimant":"\u001b[31mred\u001b[0m\u0007"}`},
		{"not JSON", "POST", "/api/v1/claims", "application/json", `text=hello`},
		{"wrong content type", "POST", "/api/v1/claims", "text/plain", `{"text":"hello there"}`},
		{"empty body", "POST", "/api/v1/claims", "application/json", ``},
		{"two JSON values", "POST", "/api/v1/claims", "application/json", `{"text":"one"} {"text":"two"}`},
		{"unknown field", "POST", "/api/v1/claims", "application/json", `{"text":"a claim","is_admin":true}`},
		// Review finding 9: the last of two keys won, silently.
		{"duplicate key", "PATCH", claimPath, "application/json", `{"version":1,"claimant":"The army","claimant":"The ministry"}`},
		{"duplicate key in a nested object", "POST", "/api/v1/documents", "application/json", `{"title":"t","body":"The army counted.","claims":[{"start":0,"end":8,"end":16}]}`},
		{"duplicate version", "POST", claimPath + "/transitions", "application/json", `{"action":"start","version":999,"version":1}`},
		{"huge number as version", "PATCH", claimPath, "application/json", `{"version":1e400,"text":"x"}`},
		{"version as a string", "PATCH", claimPath, "application/json", `{"version":"1","text":"x"}`},
		{"stale version", "PATCH", claimPath, "application/json", `{"version":999,"text":"x"}`},
		{"SQL in an action", "POST", claimPath + "/transitions", "application/json", `{"action":"start'; DROP TABLE claims; --"}`},
		{"SQL in a status filter", "GET", "/api/v1/claims?status=open'%20OR%201=1--", "", ""},
		{"SQL in an ID", "GET", "/api/v1/claims/1%20OR%201=1", "", ""},
		{"ID past int64", "GET", "/api/v1/claims/99999999999999999999999", "", ""},
		{"negative ID", "PATCH", "/api/v1/claims/-1", "application/json", `{"version":1,"text":"x"}`},
		{"forged cursor", "GET", "/api/v1/claims?cursor=%27%3B--", "", ""},
		{"limit out of range", "GET", "/api/v1/claims?limit=100000000", "", ""},
		{"path traversal", "GET", "/static/../../../../etc/passwd", "", ""},
		{"encoded path traversal", "GET", "/static/%2e%2e/%2e%2e/etc/passwd", "", ""},
		{"invalid UTF-8 in the path", "GET", "/claims/%ff%fe", "", ""},
		{"document with a bad URL", "POST", "/api/v1/documents", "application/json", `{"title":"t","body":"b","url":"javascript:alert(1)"}`},
		{"source with a script URL", "POST", "/api/v1/sources", "application/json", `{"title":"t","url":"javascript:alert(document.cookie)","kind":"news"}`},
		{"new password of twelve spaces", "PATCH", "/api/v1/me/password", "application/json", `{"current_password":"` + storetest.Password + `","new_password":"            "}`},
		{"new password of one repeated character", "PATCH", "/api/v1/me/password", "application/json", `{"current_password":"` + storetest.Password + `","new_password":"aaaaaaaaaaaa"}`},
		{"new password on the common list", "PATCH", "/api/v1/me/password", "application/json", `{"current_password":"` + storetest.Password + `","new_password":"password1234"}`},
		{"new password that is the email", "PATCH", "/api/v1/me/password", "application/json", `{"current_password":"` + storetest.Password + `","new_password":"editor@hostile.test"}`},
		{"sign-in as a form", "POST", "/api/v1/auth/login", "application/x-www-form-urlencoded", "email=editor%40hostile.test&password=correct+horse+battery+staple"},
		{"sign-in as text/plain JSON", "POST", "/api/v1/auth/login", "text/plain", `{"email":"editor@hostile.test","password":"` + storetest.Password + `"}`},
	}
	cl := &http.Client{Timeout: 20 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			start := time.Now()
			resp, err := cl.Do(req)
			if err != nil {
				// A closed connection is an acceptable answer; a hang is not.
				if time.Since(start) > 15*time.Second {
					t.Fatalf("no answer for %s: %v", time.Since(start), err)
				}
				t.Logf("connection closed: %v", err)
				return
			}
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Fatalf("status %d, want a 4xx: %.300s", resp.StatusCode, b)
			}
			if strings.HasPrefix(tt.path, "/api/") && !json.Valid(b) {
				t.Errorf("the API answered %d with a body that is not JSON: %.200s", resp.StatusCode, b)
			}
		})
	}
	if after := countStored(t, db); after != before {
		t.Fatalf("something was stored: before %+v, after %+v", before, after)
	}
	c, err := db.GetClaim(context.Background(), claim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != claim.Version || c.Text != claim.Text || c.Claimant != claim.Claimant {
		t.Fatalf("the claim changed: %+v", c)
	}
}

// TestHostileText: text that is hostile to other systems (SQL, HTML,
// scripts) is ordinary text to Factdesk. It is stored exactly, searched
// without error, and escaped wherever a page shows it.
func TestHostileText(t *testing.T) {
	ts, db, token, _ := hostileServer(t)
	cl := &http.Client{Timeout: 20 * time.Second}
	send := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return resp.StatusCode, b
	}
	const sqlText = `Robert'); DROP TABLE claims; -- said 23,000 "fighters" OR 1=1`
	const script = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	payload, _ := json.Marshal(map[string]string{"title": script, "author": sqlText, "body": "The minister said " + script + " and " + sqlText + " in 2024."})
	st, b := send("POST", "/api/v1/documents", string(payload))
	if st != http.StatusCreated {
		t.Fatalf("create document: %d %s", st, b)
	}
	var created struct {
		ID       int64 `json:"id"`
		Document *struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	json.Unmarshal(b, &created)
	id := created.ID
	if id == 0 && created.Document != nil {
		id = created.Document.ID
	}
	if id == 0 {
		t.Fatalf("no document ID in %s", b)
	}
	// A document is shown to readers once one of its claims is public.
	quote := []rune("The minister said " + script)
	if st, b := send("POST", "/api/v1/claims", fmt.Sprintf(`{"document_id":%d,"start":0,"end":%d}`, id, len(quote))); st != http.StatusCreated {
		t.Fatalf("create claim: %d %s", st, b)
	}
	d, err := db.GetDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != script || d.Author != sqlText {
		t.Fatalf("stored %q / %q, not the text sent", d.Title, d.Author)
	}
	for _, q := range []string{sqlText, `"NEAR/3 * OR -`, `') OR 1=1 --`, "a\x00b", `*`, `"`, `title:x`, strings.Repeat("x ", 500)} {
		if st, b := send("GET", "/api/v1/search?q="+urlQuery(q), ""); st != http.StatusOK && st/100 != 4 {
			t.Errorf("search %q: %d %s", q, st, b)
		}
		if st, b := send("GET", "/search?q="+urlQuery(q), ""); st != http.StatusOK && st/100 != 4 {
			t.Errorf("search page %q: %d %.200s", q, st, b)
		}
	}
	// The tables are still there and the document whole.
	if _, err := db.CountClaimsByStatus(context.Background()); err != nil {
		t.Fatalf("claims table: %v", err)
	}
	st, page := send("GET", fmt.Sprintf("/documents/%d", id), "")
	if st != http.StatusOK {
		t.Fatalf("document page: %d", st)
	}
	if bytes.Contains(page, []byte(`<script>alert("x")`)) || bytes.Contains(page, []byte("<img src=x")) {
		t.Fatalf("the document page shows the script unescaped")
	}
	if !bytes.Contains(page, []byte("&lt;script&gt;")) {
		t.Errorf("the document page does not show the title escaped")
	}
}

// TestHostileLongDocument: a 1 MB document on one line, without a
// sentence break, is detected and stored whole in reasonable time, or
// refused; never a 500 or a hang, never stored in part.
func TestHostileLongDocument(t *testing.T) {
	ts, db, token, _ := hostileServer(t)
	before := countStored(t, db)
	var line strings.Builder
	for line.Len() < 1<<20 {
		line.WriteString("fighters 23,000 said minister Afghanistan ")
	}
	body, _ := json.Marshal(map[string]string{"title": "One line", "body": line.String()})
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	t.Logf("1 MB single-line document: %d in %s", resp.StatusCode, time.Since(start).Round(time.Millisecond))
	after := countStored(t, db)
	switch {
	case resp.StatusCode == http.StatusCreated:
		if after.documents != before.documents+1 {
			t.Fatalf("created, but %d documents stored", after.documents-before.documents)
		}
		docs, err := db.ListDocuments(context.Background(), store.DocumentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.Title == "One line" {
				full, err := db.GetDocument(context.Background(), d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if full.Body != strings.TrimSpace(line.String()) && full.Body != line.String() {
					t.Fatalf("stored body of %d bytes, sent %d", len(full.Body), line.Len())
				}
			}
		}
	case resp.StatusCode/100 == 4:
		if after != before {
			t.Fatalf("refused, but stored: %+v → %+v", before, after)
		}
	default:
		t.Fatalf("status %d: %.300s", resp.StatusCode, b)
	}
}

// TestHostileConnections: header floods and clients that never finish
// their headers are cut off, and the server keeps serving.
func TestHostileConnections(t *testing.T) {
	ts, _, token, _ := hostileServer(t)
	addr := strings.TrimPrefix(ts.URL, "http://")
	raw := func(t *testing.T, send string, finish bool) (status string, elapsed time.Duration) {
		t.Helper()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		conn.SetDeadline(time.Now().Add(15 * time.Second))
		// A write may fail once the server has had enough: that is an answer.
		conn.Write([]byte(send))
		if finish {
			conn.Write([]byte("\r\n"))
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("no answer and no close after %s", time.Since(start))
			}
			return "closed", time.Since(start)
		}
		return strings.TrimSpace(line), time.Since(start)
	}
	t.Run("header flood", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("GET /healthz HTTP/1.1\r\nHost: x\r\n")
		for i := range 5000 {
			fmt.Fprintf(&b, "X-Flood-%d: %s\r\n", i, strings.Repeat("f", 40))
		}
		st, _ := raw(t, b.String(), true)
		if st != "closed" && !strings.Contains(st, " 431 ") && !strings.Contains(st, " 400 ") {
			t.Fatalf("header flood answered %q", st)
		}
	})
	t.Run("one huge header", func(t *testing.T) {
		st, _ := raw(t, "GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: "+strings.Repeat("c", 1<<20)+"\r\n", true)
		if st != "closed" && !strings.Contains(st, " 431 ") && !strings.Contains(st, " 400 ") {
			t.Fatalf("huge header answered %q", st)
		}
	})
	t.Run("huge URL", func(t *testing.T) {
		st, _ := raw(t, "GET /search?q="+strings.Repeat("q", 1<<20)+" HTTP/1.1\r\nHost: x\r\n", true)
		if st != "closed" && !strings.Contains(st, " 414 ") && !strings.Contains(st, " 431 ") && !strings.Contains(st, " 400 ") {
			t.Fatalf("huge URL answered %q", st)
		}
	})
	t.Run("slow client never finishes its headers", func(t *testing.T) {
		st, el := raw(t, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", false)
		if st != "closed" && !strings.Contains(st, " 408 ") {
			t.Fatalf("slow client answered %q", st)
		}
		if el > 3*time.Second {
			t.Fatalf("slow client held the connection %s (ReadHeaderTimeout is 500ms)", el)
		}
	})
	// Review finding 7: a body trickling in at a byte a second ended, at
	// the read timeout, in a 500 logged as an internal error.
	t.Run("slow body", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		body := `{"version":1,"claimant":"someone slow"}`
		fmt.Fprintf(conn, "PATCH /api/v1/claims/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", token, len(body))
		go func() {
			for i := range len(body) {
				if _, err := conn.Write([]byte{body[i]}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}()
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			t.Fatalf("no answer after %s: %v", time.Since(start), err)
		}
		if !strings.Contains(line, " 408 ") {
			t.Fatalf("a slow body answered %q, want 408", strings.TrimSpace(line))
		}
	})
	t.Run("garbage instead of HTTP", func(t *testing.T) {
		st, _ := raw(t, "\x00\x01\x02\xff HELLO\r\n\r\n", false)
		if st != "closed" && !strings.Contains(st, " 400 ") {
			t.Fatalf("garbage answered %q", st)
		}
	})
	// And the server still serves.
	resp, err := http.Get(ts.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the hostile connections: %v %v", resp, err)
	}
	resp.Body.Close()
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// TestHostileOverrun: review finding 10. A request that outlived the write
// timeout was logged 201 while its client saw the connection cut. With the
// budget inside the write timeout (as `factdesk serve` sets them) the client
// gets a 503; a handler that still outlives the write timeout is logged as
// the cut connection it was.
func TestHostileOverrun(t *testing.T) {
	for _, tt := range []struct {
		name       string
		budget     time.Duration
		wantStatus int // 0: the connection is cut
		wantLog    string
	}{
		{"budget inside the write timeout", 500 * time.Millisecond, 503, `"status":503`},
		{"budget past the write timeout", 4 * time.Second, 0, `"status":0,`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dsn := storetest.DSN(t)
			db, token, claim := hostileData(t, dsn)
			var logs bytes.Buffer
			var logMu sync.Mutex
			h, err := New(Config{DB: db, Logger: slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logMu}, nil)),
				RequestTimeout: tt.budget, WriteTimeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewUnstartedServer(h)
			ts.Config.WriteTimeout = time.Second
			ts.Start()
			defer ts.Close()

			// Another writer holds the claims for 2.5 s.
			release := storetest.HoldWriteLock(t, dsn, "claims")
			time.AfterFunc(2500*time.Millisecond, release)
			req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/claims/%d", ts.URL, claim.ID), strings.NewReader(`{"version":1,"claimant":"The army"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			status := 0
			if resp, err := http.DefaultClient.Do(req); err == nil {
				status = resp.StatusCode
				resp.Body.Close()
			}
			if status != tt.wantStatus {
				t.Fatalf("the client got %d, want %d", status, tt.wantStatus)
			}
			// The handler may still be finishing: wait for its log line.
			deadline := time.Now().Add(10 * time.Second)
			for {
				logMu.Lock()
				got := logs.String()
				logMu.Unlock()
				if strings.Contains(got, `"route":"/api/v1/claims/:id"`) {
					if !strings.Contains(got, tt.wantLog) {
						t.Fatalf("the log says %s, want %s", got, tt.wantLog)
					}
					if tt.wantStatus == 0 && !strings.Contains(got, `"client_got"`) {
						t.Errorf("the log does not say the connection was cut: %s", got)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no log line for the request: %s", got)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
