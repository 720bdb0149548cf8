package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// noConnect makes f fail the test if it ever dials: a refused address must
// be refused before any packet leaves, and a test that fails must not send
// one to an address outside this machine either.
func noConnect(t *testing.T, f *Fetcher) *[]string {
	t.Helper()
	var mu sync.Mutex
	var dialled []string
	f.connect = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialled = append(dialled, addr)
		mu.Unlock()
		return nil, errors.New("test: no connection is made")
	}
	return &dialled
}

func reasonOf(t *testing.T, err error) Reason {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *fetch.Error", err, err)
	}
	return fe.Reason
}

// failedAs checks the outcome of a fetch against want, the reason it must
// fail for ("" for none: it must work), and reports whether it failed.
func failedAs(t *testing.T, err error, want Reason) bool {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatal(err)
		}
		return false
	}
	if r := reasonOf(t, err); r != want {
		t.Fatalf("reason %s (%v), want %s", r, err, want)
	}
	return true
}

func TestRefusedAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") }))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	// Names a test resolver answers: each a public-looking name for an
	// address that is not public (what DNS rebinding does).
	names := map[string][]netip.Addr{
		"rebind.example":   {netip.MustParseAddr("10.0.0.1")},
		"metadata.example": {netip.MustParseAddr("169.254.169.254")},
		"mapped.example":   {netip.MustParseAddr("::ffff:127.0.0.1")},
		"six.example":      {netip.MustParseAddr("::1")},
		"mixed.example":    {netip.MustParseAddr("192.168.1.10"), netip.MustParseAddr("fd00:ec2::254")},
	}
	lookup := func(ctx context.Context, host string) ([]netip.Addr, error) {
		if a, ok := names[host]; ok {
			return a, nil
		}
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	for _, url := range []string{
		fmt.Sprintf("http://127.0.0.1:%d/", port),
		"http://127.8.9.10/",
		"http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/",
		fmt.Sprintf("http://[::1]:%d/", port),
		fmt.Sprintf("http://localhost:%d/", port),
		"http://rebind.example/",
		"http://metadata.example/computeMetadata/v1/",
		fmt.Sprintf("http://mapped.example:%d/", port),
		"http://six.example/",
		"http://mixed.example/",
		"http://0.0.0.0/",
		"http://[::]/",
		"http://100.64.0.1/",
		"http://100.100.100.200/",
		"http://172.16.5.4/",
		"http://192.168.0.1/",
		"http://224.0.0.1/",
		"http://[fe80::1]/",
		"http://[fd00:ec2::254]/",
		"http://[ff02::1]/",
		"http://[::ffff:10.0.0.1]/",
		"http://[64:ff9b::a00:1]/",
	} {
		t.Run(url, func(t *testing.T) {
			f := New(Config{LookupIP: lookup, Timeout: 5 * time.Second})
			dialled := noConnect(t, f)
			_, err := f.Get(context.Background(), url)
			if r := reasonOf(t, err); r != ReasonRefusedAddress {
				t.Fatalf("reason %s (%v), want %s", r, err, ReasonRefusedAddress)
			}
			if len(*dialled) > 0 {
				t.Fatalf("dialled %v", *dialled)
			}
			var me *models.Error
			if !errors.As(err, &me) || me.Code != models.EINVALID || !strings.Contains(me.Message, "not a public internet address") {
				t.Fatalf("models error %+v", me)
			}
		})
	}
}

func TestAllowedAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	t.Run("loopback allowed", func(t *testing.T) {
		f := New(Config{Allow: loopback})
		for _, u := range []string{srv.URL, fmt.Sprintf("http://localhost:%d/", port)} {
			resp, err := f.Get(context.Background(), u)
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			if string(resp.Body) != "hello" {
				t.Fatalf("%s: body %q", u, resp.Body)
			}
		}
	})
	t.Run("only what is allowed", func(t *testing.T) {
		f := New(Config{Allow: loopback})
		noConnect(t, f)
		for _, u := range []string{fmt.Sprintf("http://[::1]:%d/", port), "http://127.0.0.2/", "http://10.0.0.1/"} {
			if _, err := f.Get(context.Background(), u); reasonOf(t, err) != ReasonRefusedAddress {
				t.Fatalf("%s: %v, want refused", u, err)
			}
		}
	})
	t.Run("a private range allowed is dialled", func(t *testing.T) {
		allow, err := ParseAllow("10.0.0.0/8, 169.254.169.254")
		if err != nil {
			t.Fatal(err)
		}
		f := New(Config{Allow: allow})
		dialled := noConnect(t, f)
		for _, u := range []string{"http://10.0.0.1/", "http://169.254.169.254/"} {
			if _, err := f.Get(context.Background(), u); reasonOf(t, err) != ReasonNetwork {
				t.Fatalf("%s: %v, want the test dialler's failure", u, err)
			}
		}
		if got := strings.Join(*dialled, " "); got != "10.0.0.1:80 169.254.169.254:80" {
			t.Fatalf("dialled %q", got)
		}
	})
	t.Run("the dialler checks too", func(t *testing.T) {
		// The socket's Control hook refuses even an address that reached it
		// another way.
		f := New(Config{})
		_, err := f.connect(context.Background(), "tcp", srv.Listener.Addr().String())
		var refused *errRefused
		if !errors.As(err, &refused) {
			t.Fatalf("dial of %s: %v, want refused", srv.Listener.Addr(), err)
		}
	})
}

func TestParseAllow(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "127.0.0.1/32", want: "127.0.0.1/32"},
		{in: "127.0.0.1, ::1", want: "127.0.0.1/32 ::1/128"},
		{in: "10.1.2.3/8", want: "10.0.0.0/8"},
		{in: "", want: ""},
		{in: "localhost", bad: true},
		{in: "10.0.0.0/33", bad: true},
	} {
		got, err := ParseAllow(tc.in)
		if (err != nil) != tc.bad {
			t.Fatalf("%q: error %v", tc.in, err)
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if !tc.bad && strings.Join(s, " ") != tc.want {
			t.Fatalf("%q: %v, want %s", tc.in, s, tc.want)
		}
	}
}

func TestLimits(t *testing.T) {
	const max = 1000
	mux := http.NewServeMux()
	mux.HandleFunc("/exact", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, max)) })
	mux.HandleFunc("/declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(max+1))
		w.Write(make([]byte, max+1))
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 10; i++ {
			w.Write(make([]byte, 200))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/r/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			io.WriteString(w, "arrived")
			return
		}
		http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.0.0.1/admin", http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 30; i++ {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			select {
			case <-time.After(100 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusNotFound) })
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "Text/HTML; charset=UTF-8")
		io.WriteString(w, "<p>hi</p>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	f := New(Config{Allow: loopback, MaxBytes: max, MaxRedirects: 3, Timeout: time.Second})
	for _, tc := range []struct {
		path   string
		accept []string
		want   Reason // "" for success
		status int
	}{
		{path: "/exact"},
		{path: "/declared", want: ReasonTooLarge},
		{path: "/chunked", want: ReasonTooLarge},
		{path: "/r/3"},
		{path: "/r/4", want: ReasonTooManyRedirects},
		{path: "/to-private", want: ReasonRefusedAddress},
		{path: "/to-file", want: ReasonBadURL},
		{path: "/slow-headers", want: ReasonTimeout},
		{path: "/slow-body", want: ReasonTimeout},
		{path: "/missing", want: ReasonHTTPStatus, status: 404},
		{path: "/png", accept: []string{"text/html"}, want: ReasonContentType},
		{path: "/png", accept: []string{"text/html", "image/"}},
		{path: "/html", accept: []string{"text/html"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			start := time.Now()
			resp, err := f.Get(context.Background(), srv.URL+tc.path, tc.accept...)
			if !failedAs(t, err, tc.want) {
				return
			}
			if tc.want == ReasonTimeout && time.Since(start) > 2500*time.Millisecond {
				t.Fatalf("the timeout of 1s took %s", time.Since(start))
			}
			if tc.status != 0 && (resp == nil || resp.Status != tc.status) {
				t.Fatalf("response %+v, want status %d with the error", resp, tc.status)
			}
		})
	}
}

func TestResponse(t *testing.T) {
	var gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		gotUA = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		io.WriteString(w, "<h1>Report</h1>")
	}))
	defer srv.Close()
	ua := UserAgent("https://factcheck.example.org")
	if !strings.HasPrefix(ua, "Factdesk/") || !strings.HasSuffix(ua, " (+https://factcheck.example.org)") {
		t.Fatalf("user agent %q", ua)
	}
	f := New(Config{Allow: loopback, UserAgent: ua})
	resp, err := f.Get(context.Background(), srv.URL+"/old#part")
	if err != nil {
		t.Fatal(err)
	}
	if gotUA != ua {
		t.Errorf("User-Agent %q, want %q", gotUA, ua)
	}
	if resp.FinalURL != srv.URL+"/new" || resp.URL != srv.URL+"/old#part" {
		t.Errorf("URL %s, final %s", resp.URL, resp.FinalURL)
	}
	if resp.ContentType != "text/html" || resp.Charset != "iso-8859-1" || resp.Status != 200 {
		t.Errorf("type %q charset %q status %d", resp.ContentType, resp.Charset, resp.Status)
	}
	// sha256sum of "<h1>Report</h1>", computed apart from this package.
	if resp.SHA256 != "a8333b42ea5f005af74fe8cdc986afd92527ba63fde59fdb54a8167041b804e8" {
		t.Errorf("sha256 %q", resp.SHA256)
	}
	if resp.FetchedAt.IsZero() {
		t.Error("no fetch time")
	}
}

func TestBadURLs(t *testing.T) {
	f := New(Config{})
	noConnect(t, f)
	for _, u := range []string{"", "ftp://example.org/", "file:///etc/passwd", "http://", "https://user:pw@example.org/", "javascript:alert(1)", "/relative"} {
		if _, err := f.Get(context.Background(), u); reasonOf(t, err) != ReasonBadURL {
			t.Errorf("%q: %v, want bad URL", u, err)
		}
	}
}
