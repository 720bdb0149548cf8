// Package fetch is Factdesk's one way out to the web: every outbound HTTP
// request (archiving a source, importing an article) goes through a
// Fetcher, which refuses addresses that are not public after DNS, bounds
// time, size and redirects, names itself, and may respect robots.txt.
package fetch

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Defaults of Config's zero fields.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBytes       = 20 << 20
	DefaultMaxRedirects   = 5
)

// Config is what a Fetcher may do. The zero value is usable: public
// addresses only, the default limits, any content type, no robots.txt.
type Config struct {
	// UserAgent names Factdesk to the sites it fetches (see UserAgent).
	UserAgent string
	// Allow lists ranges that may be reached although they are not public
	// (tests and local development: 127.0.0.1/32).
	Allow []netip.Prefix
	// ConnectTimeout bounds one TCP connection; Timeout the whole fetch,
	// redirects and body included.
	ConnectTimeout time.Duration
	Timeout        time.Duration
	// MaxBytes is the largest body read (after decompression).
	MaxBytes int64
	// MaxRedirects is the most redirects followed; each hop is checked
	// again like the first URL.
	MaxRedirects int
	// Robots makes every fetch ask the site's robots.txt first.
	Robots bool
	// LookupIP resolves host names; nil means the system resolver. Tests
	// use it to make a name resolve to a refused address.
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)
}

// UserAgent is the identifying User-Agent of this build of Factdesk for the
// newsroom at baseURL: "Factdesk/VERSION (+BASEURL)".
func UserAgent(baseURL string) string {
	version := "dev"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		version = strings.TrimPrefix(info.Main.Version, "v")
	}
	if baseURL == "" {
		return "Factdesk/" + version
	}
	return "Factdesk/" + version + " (+" + baseURL + ")"
}

// Fetcher fetches URLs under its Config. It is safe for concurrent use.
type Fetcher struct {
	cfg    Config
	client *http.Client
	// connect dials an address already checked; tests replace it so that
	// a refused-address test can never send a packet if the check fails.
	connect func(ctx context.Context, network, addr string) (net.Conn, error)

	robotsMu sync.Mutex
	robots   map[string]robotsEntry
}

// New builds a Fetcher.
func New(cfg Config) *Fetcher {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxRedirects < 0 {
		cfg.MaxRedirects = 0
	} else if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = UserAgent("")
	}
	if cfg.LookupIP == nil {
		cfg.LookupIP = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	f := &Fetcher{cfg: cfg, robots: map[string]robotsEntry{}}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second, Control: f.control}
	f.connect = dialer.DialContext
	f.client = &http.Client{
		Transport: &http.Transport{
			// No proxy from the environment: the address check must see the
			// address actually dialled.
			Proxy:                 nil,
			DialContext:           f.dial,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   cfg.ConnectTimeout,
			ResponseHeaderTimeout: cfg.Timeout,
			MaxIdleConns:          16,
			IdleConnTimeout:       30 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// Config returns the configuration in force, defaults filled in.
func (f *Fetcher) Config() Config { return f.cfg }

// Response is a fetched page.
type Response struct {
	// URL is the one asked for; FinalURL the one answered after redirects.
	URL      string
	FinalURL string
	Status   int
	// ContentType is the media type, lower case, without parameters;
	// Charset is its charset parameter, if any.
	ContentType string
	Charset     string
	Header      http.Header
	Body        []byte
	SHA256      string // hex of Body
	FetchedAt   time.Time
}

// Get fetches rawURL. Every failure is an *Error. With accept, the media
// type must be one of them ("text/html") or under one ending in "/"
// ("image/"). A status outside 2xx is an error with Reason ReasonHTTPStatus;
// the Response then carries that answer too.
func (f *Fetcher) Get(ctx context.Context, rawURL string, accept ...string) (*Response, error) {
	u, ferr := checkURL(rawURL)
	if ferr != nil {
		return nil, ferr
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	if f.cfg.Robots {
		if err := f.robotsAllow(ctx, u); err != nil {
			return nil, err
		}
	}
	return f.get(ctx, u, rawURL, f.cfg.MaxBytes, accept)
}

func (f *Fetcher) get(ctx context.Context, u *url.URL, rawURL string, maxBytes int64, accept []string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "malformed", Err: err}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", acceptHeader(accept))
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.classify(ctx, rawURL, err)
	}
	defer resp.Body.Close()
	out := &Response{URL: rawURL, FinalURL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header}
	if resp.ContentLength > maxBytes {
		return nil, &Error{Reason: ReasonTooLarge, URL: rawURL, Detail: sizeText(maxBytes)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, f.classify(ctx, rawURL, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, &Error{Reason: ReasonTooLarge, URL: rawURL, Detail: sizeText(maxBytes)}
	}
	sum := sha256.Sum256(body)
	out.Body, out.SHA256, out.FetchedAt = body, hex.EncodeToString(sum[:]), time.Now().UTC()
	out.ContentType, out.Charset = mediaType(resp.Header.Get("Content-Type"), body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return out, &Error{Reason: ReasonHTTPStatus, URL: rawURL, Status: resp.StatusCode}
	}
	if !accepted(out.ContentType, accept) {
		return nil, &Error{Reason: ReasonContentType, URL: rawURL, Detail: out.ContentType}
	}
	return out, nil
}

// checkURL accepts absolute http and https URLs with a host and without
// credentials.
func checkURL(rawURL string) (*url.URL, *Error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	switch {
	case err != nil:
		return nil, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "malformed", Err: err}
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "only http and https"}
	case u.Hostname() == "":
		return nil, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "no host"}
	case u.User != nil:
		return nil, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "a user name or password in the URL"}
	}
	u.Fragment = ""
	return u, nil
}

// errRefused carries the refused address out of the dialler.
type errRefused struct{ addr, why string }

func (e *errRefused) Error() string { return e.addr + " is " + e.why }

// dial resolves the host itself, so the check below sees every address the
// name resolves to at this moment, and connects only to a permitted one.
func (f *Fetcher) dial(ctx context.Context, network, hostport string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = f.cfg.LookupIP(ctx, host); err != nil {
		return nil, err
	}
	var refusedErr, lastErr error
	for _, a := range addrs {
		if why := checkAddr(a, f.cfg.Allow); why != "" {
			if refusedErr == nil {
				refusedErr = &errRefused{addr: a.Unmap().String(), why: why}
			}
			continue
		}
		conn, err := f.connect(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	if lastErr != nil {
		return nil, lastErr
	}
	if refusedErr != nil {
		return nil, refusedErr
	}
	return nil, fmt.Errorf("%s resolves to no address", host)
}

// control checks the address once more as the socket connects: whatever
// path led here, nothing refused is dialled.
func (f *Fetcher) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &errRefused{addr: address, why: "not an address"}
	}
	if why := checkAddr(ap.Addr(), f.cfg.Allow); why != "" {
		return &errRefused{addr: ap.Addr().Unmap().String(), why: why}
	}
	return nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return &Error{Reason: ReasonTooManyRedirects, URL: via[0].URL.String(), Detail: strconv.Itoa(f.cfg.MaxRedirects)}
	}
	if _, ferr := checkURL(req.URL.String()); ferr != nil {
		return ferr
	}
	if f.cfg.Robots && req.Context().Value(robotsFetchKey{}) == nil {
		if err := f.robotsAllow(req.Context(), req.URL); err != nil {
			return err
		}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	return nil
}

// classify turns a client error into an *Error with its reason.
func (f *Fetcher) classify(ctx context.Context, rawURL string, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return &Error{Reason: fe.Reason, URL: rawURL, Status: fe.Status, Detail: fe.Detail, Err: fe.Err}
	}
	var refused *errRefused
	if errors.As(err, &refused) {
		return &Error{Reason: ReasonRefusedAddress, URL: rawURL, Detail: refused.addr + " (" + refused.why + ")", Err: err}
	}
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &Error{Reason: ReasonTimeout, URL: rawURL, Detail: f.cfg.Timeout.String(), Err: err}
	}
	detail := "connection failed"
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		detail = "the host name is not known"
	}
	return &Error{Reason: ReasonNetwork, URL: rawURL, Detail: detail, Err: err}
}

// mediaType reads the declared type; a missing or generic one is sniffed.
func mediaType(header string, body []byte) (typ, charset string) {
	mt, params, err := mime.ParseMediaType(header)
	if err != nil || mt == "" || mt == "application/octet-stream" {
		mt, params, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	return strings.ToLower(mt), strings.ToLower(params["charset"])
}

func accepted(typ string, accept []string) bool {
	if len(accept) == 0 {
		return true
	}
	for _, a := range accept {
		if typ == a || (strings.HasSuffix(a, "/") && strings.HasPrefix(typ, a)) {
			return true
		}
	}
	return false
}

func acceptHeader(accept []string) string {
	if len(accept) == 0 {
		return "*/*"
	}
	parts := make([]string, 0, len(accept)+1)
	for _, a := range accept {
		if strings.HasSuffix(a, "/") {
			a += "*"
		}
		parts = append(parts, a)
	}
	return strings.Join(append(parts, "*/*;q=0.1"), ", ")
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
