// Package notifytest runs what tests of notifications need: a real SMTP
// server on 127.0.0.1 (github.com/emersion/go-smtp) that keeps what it
// receives, and a webhook receiver that checks each POST's signature.
package notifytest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"factdesk/fetch"
	"factdesk/models"
	"factdesk/notify"
	"factdesk/store"
)

// Mail is one message the server received.
type Mail struct {
	From string
	To   []string
	Data string // headers and body as sent
}

// SMTPServer is a running SMTP server that requires PLAIN sign-in as
// User/Password.
type SMTPServer struct {
	Addr           string
	User, Password string
	mu             sync.Mutex
	mails          []Mail
	signal         chan struct{}
}

// StartSMTP starts a server on 127.0.0.1; the test's end stops it.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{User: "desk", Password: "s3cret pass", signal: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "127.0.0.1"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the server as --smtp-url names it.
func (s *SMTPServer) URL() string {
	return "smtp://" + s.User + ":" + strings.ReplaceAll(s.Password, " ", "%20") + "@" + s.Addr
}

// Mails returns what was received so far.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// WaitFor waits up to d for a mail to addr whose text holds has and
// returns it.
func (s *SMTPServer) WaitFor(t testing.TB, addr, has string, d time.Duration) Mail {
	t.Helper()
	deadline := time.After(d)
	for {
		for _, m := range s.Mails() {
			for _, to := range m.To {
				if to == addr && strings.Contains(m.Data, has) {
					return m
				}
			}
		}
		select {
		case <-s.signal:
		case <-deadline:
			t.Fatalf("no mail to %s with %q within %s; got %d mails", addr, has, d, len(s.Mails()))
		}
	}
}

type session struct {
	s      *SMTPServer
	authed bool
	mail   Mail
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != x.s.User || pass != x.s.Password {
			return errors.New("bad credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if !x.authed {
		return smtp.ErrAuthRequired
	}
	x.mail = Mail{From: from}
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.mail.To = append(x.mail.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.mail.Data = string(b)
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, x.mail)
	x.s.mu.Unlock()
	select {
	case x.s.signal <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.mail = Mail{} }
func (x *session) Logout() error { return nil }

// Hook is a received webhook POST.
type Hook struct {
	Body      []byte
	Signature string
	Event     string
	Valid     bool // the signature matched the secret
}

// Receiver is an HTTP server that takes webhook POSTs and checks their
// signature with Secret. FailFirst answers the first n POSTs with 500.
type Receiver struct {
	URL       string
	Secret    string
	FailFirst int
	mu        sync.Mutex
	hooks     []Hook
	tries     int
}

// StartReceiver starts a receiver; the test's end stops it.
func StartReceiver(t testing.TB, secret string, failFirst int) *Receiver {
	r := &Receiver{Secret: secret, FailFirst: failFirst}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		sig := req.Header.Get(notify.SignatureHeader)
		r.mu.Lock()
		r.tries++
		fail := r.tries <= r.FailFirst
		if !fail {
			r.hooks = append(r.hooks, Hook{Body: body, Signature: sig, Event: req.Header.Get("X-Factdesk-Event"), Valid: notify.Verify(r.Secret, body, sig)})
		}
		r.mu.Unlock()
		if fail {
			http.Error(w, "try again later", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hooks/factdesk"
	return r
}

// StartWebhook starts a receiver (as StartReceiver), registers it in db as
// the newsroom's webhook and gives the user with id user the preferences
// prefs, so that what they follow goes to it.
func StartWebhook(t testing.TB, db *store.DB, secret string, failFirst int, user int64, prefs models.Preferences) *Receiver {
	t.Helper()
	r := StartReceiver(t, secret, failFirst)
	ctx := context.Background()
	if _, err := db.CreateWebhook(ctx, r.URL, r.Secret); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPreferences(ctx, user, prefs); err != nil {
		t.Fatal(err)
	}
	return r
}

// Hooks returns the POSTs taken so far (not the failed ones).
func (r *Receiver) Hooks() []Hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Hook(nil), r.hooks...)
}

// Tries is how many POSTs arrived, failed ones included.
func (r *Receiver) Tries() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries
}

// Fetcher is a fetcher that may reach 127.0.0.1, where the tests' receivers
// listen (the fetcher refuses loopback otherwise).
func Fetcher(t testing.TB) *fetch.Fetcher {
	allow, err := fetch.ParseAllow("127.0.0.1/32")
	if err != nil {
		t.Fatal(err)
	}
	return fetch.New(fetch.Config{Allow: allow, Timeout: 10 * time.Second})
}
