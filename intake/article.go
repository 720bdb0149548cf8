// Package intake turns a publisher's page into a document: the article's
// main text with its structure (headings, paragraphs, block quotes, lists)
// as the body's Markdown-like markers (models.Blocks), and its metadata
// from the page itself. Extract is pure; Importer fetches a URL through the
// safe fetcher and stores the document with the page as its archived
// original.
package intake

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"factdesk/models"
)

// Reason says why a page gave no document, in the words of the failure
// (the safe fetcher's reasons cover the fetch itself).
type Reason string

const (
	ReasonNotHTML    Reason = "not_html"
	ReasonUnreadable Reason = "unreadable"
	ReasonNoArticle  Reason = "no_article_text"
)

// MinArticleRunes is the least text, in code points, an article must have:
// a page with less (a login wall, a video page, an index) is not imported.
const MinArticleRunes = 200

// Error is a page that gave no document.
type Error struct {
	Reason Reason
	Detail string
}

func (e *Error) Error() string { return e.Message() }

// Message is the failure for people.
func (e *Error) Message() string {
	switch e.Reason {
	case ReasonNotHTML:
		return "the page is not HTML (" + e.Detail + ")"
	case ReasonUnreadable:
		return "the page could not be read: " + e.Detail
	default:
		return "the page has no article text" + e.Detail
	}
}

// Unwrap lets handlers answer the failure as bad input with its reason.
func (e *Error) Unwrap() error {
	return &models.Error{Code: models.EINVALID, Message: e.Message(), Fields: map[string]string{"url": e.Message()}}
}

// Article is what a page gives: the document's metadata and body.
type Article struct {
	Title       string
	Author      string
	Publisher   string
	URL         string // the canonical URL, or the page's own
	PublishedOn *time.Time
	Language    string
	Body        string
}

// Document is the article as a document to store.
func (a *Article) Document() *models.Document {
	return &models.Document{Title: a.Title, Author: a.Author, Publisher: a.Publisher, URL: a.URL,
		PublishedOn: a.PublishedOn, Language: a.Language, Body: a.Body}
}

// HTMLTypes are the media types Extract reads.
var HTMLTypes = []string{"text/html", "application/xhtml+xml"}

// Extract reads the article of a page: page is the bytes as served,
// contentType the response's media type, charsetName its declared charset
// (may be empty), pageURL the URL the page was fetched from (after
// redirects), against which relative links resolve.
func Extract(page []byte, contentType, charsetName, pageURL string) (*Article, error) {
	if !isHTML(contentType) {
		return nil, &Error{Reason: ReasonNotHTML, Detail: contentType}
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, &Error{Reason: ReasonUnreadable, Detail: "a malformed page URL"}
	}
	text, err := decode(page, contentType, charsetName)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, &Error{Reason: ReasonUnreadable, Detail: "not parseable as HTML"}
	}
	meta := readMetadata(doc, base)
	clean(doc)
	parser := readability.NewParser()
	parser.CharThresholds = MinArticleRunes
	art, err := parser.ParseDocument(doc, base)
	if err != nil || art.Node == nil {
		return nil, &Error{Reason: ReasonNoArticle}
	}
	body := bodyOf(art.Node, meta.title)
	if n := articleRunes(body); n < MinArticleRunes {
		return nil, &Error{Reason: ReasonNoArticle, Detail: fmt.Sprintf(" (%d characters of text, at least %d needed)", n, MinArticleRunes)}
	}
	a := &Article{Title: meta.title, Author: meta.author, Publisher: meta.publisher, URL: meta.url,
		PublishedOn: meta.published, Language: meta.language, Body: body}
	if a.Title == "" {
		a.Title = strings.TrimSpace(art.Title())
	}
	if a.PublishedOn == nil {
		a.PublishedOn = articleTime(doc, art.Node)
	}
	if a.URL == "" {
		a.URL = base.String()
	}
	return a, nil
}

func isHTML(contentType string) bool {
	for _, t := range HTMLTypes {
		if contentType == t {
			return true
		}
	}
	return false
}

// decode turns the page into UTF-8 text, from its declared charset, a
// <meta charset> or a byte order mark; text that still is not UTF-8 is
// unreadable.
func decode(page []byte, contentType, charsetName string) (string, error) {
	if !utf8.Valid(page) || charsetName != "" && charsetName != "utf-8" {
		ct := contentType
		if charsetName != "" {
			ct += "; charset=" + charsetName
		}
		r, err := charset.NewReader(bytes.NewReader(page), ct)
		if err != nil {
			return "", &Error{Reason: ReasonUnreadable, Detail: "an unknown character set"}
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return "", &Error{Reason: ReasonUnreadable, Detail: "an unknown character set"}
		}
		page = b
	}
	if !utf8.Valid(page) || bytes.IndexByte(page, 0) >= 0 {
		return "", &Error{Reason: ReasonUnreadable, Detail: "not text in a known character set"}
	}
	return string(page), nil
}

// articleRunes counts the body's text without markers and line breaks.
func articleRunes(body string) int {
	runes := []rune(body)
	n := 0
	for _, b := range models.Blocks(body) {
		n += utf8.RuneCountInString(strings.TrimSpace(string(runes[b.TextStart:b.End])))
	}
	return n
}
