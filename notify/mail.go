package notify

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP is where email goes: smtp://user:pass@host:port (plain, as for a
// relay on the same machine), smtp+starttls:// (STARTTLS required) or
// smtps:// (TLS from the start).
type SMTP struct {
	Addr     string // host:port
	Mode     string // "plain", "starttls" or "tls"
	User     string
	Password string
	From     string // the sender address
	// TLS, when set, replaces the default TLS configuration (tests).
	TLS *tls.Config
}

// ParseSMTP reads --smtp-url and --smtp-from. An empty URL is no email.
func ParseSMTP(raw, from string) (*SMTP, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	s := &SMTP{Addr: u.Host, From: from}
	port := "25"
	switch u.Scheme {
	case "smtp":
		s.Mode = "plain"
	case "smtp+starttls":
		s.Mode, port = "starttls", "587"
	case "smtps":
		s.Mode, port = "tls", "465"
	default:
		return nil, fmt.Errorf("--smtp-url: the scheme must be smtp, smtp+starttls or smtps, not %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("--smtp-url: no host")
	}
	if u.Port() == "" {
		s.Addr = net.JoinHostPort(u.Hostname(), port)
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if s.From == "" {
		return nil, errors.New("--smtp-from is required with --smtp-url")
	}
	if a, err := mail.ParseAddress(s.From); err != nil {
		return nil, fmt.Errorf("--smtp-from: %w", err)
	} else {
		s.From = a.Address
	}
	return s, nil
}

// Message is one plain-text email.
type Message struct {
	To, Subject, Body string
	// ID names the message for the receiver's de-duplication.
	ID string
}

// Send delivers m through the server.
func (s *SMTP) Send(m Message) error {
	if s == nil {
		return errNoEmail
	}
	var (
		c   *smtp.Client
		err error
	)
	switch s.Mode {
	case "tls":
		c, err = smtp.DialTLS(s.Addr, s.TLS)
	case "starttls":
		c, err = smtp.DialStartTLS(s.Addr, s.TLS)
	default:
		c, err = smtp.Dial(s.Addr)
	}
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", s.Addr, err)
	}
	defer c.Close()
	if s.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.User, s.Password)); err != nil {
			return fmt.Errorf("smtp: sign in: %w", err)
		}
	}
	if err := c.SendMail(s.From, []string{m.To}, bytes.NewReader(s.compose(m))); err != nil {
		return fmt.Errorf("smtp: send: %w", err)
	}
	return c.Quit()
}

// compose writes the message with its headers, CRLF line ends.
func (s *SMTP) compose(m Message) []byte {
	var b bytes.Buffer
	id := m.ID
	if id == "" {
		r := make([]byte, 8)
		_, _ = rand.Read(r)
		id = hex.EncodeToString(r)
	}
	domain := "factdesk.invalid"
	if _, d, ok := strings.Cut(s.From, "@"); ok {
		domain = d
	}
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", s.From)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", time.Now().UTC().Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
