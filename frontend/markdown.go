package frontend

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Explanations are Markdown written by editors. goldmark renders them
// (raw HTML in the Markdown is dropped, as goldmark does unless told
// otherwise) and bluemonday's policy for user content keeps only safe
// elements and attributes, so nothing an editor types can run in a
// reader's browser.
var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
	plain = bluemonday.StrictPolicy()
)

// Markdown renders an explanation to safe HTML.
func Markdown(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer.SanitizeBytes(b.Bytes()))
}

// PlainText is an explanation without its Markdown, for descriptions and
// feed summaries.
func PlainText(src string) string {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return src
	}
	s := plain.Sanitize(b.String())
	// StrictPolicy leaves entities escaped; readers of a description want text.
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}
