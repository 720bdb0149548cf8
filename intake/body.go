package intake

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Boilerplate is removed before readability looks at the page, so what a
// publisher puts around an article never reaches the body even when it sits
// inside the article's own element: elements that are never article text,
// ARIA roles of site furniture, and class or id words of share widgets,
// comments, related links, newsletters and ads. Words are whole tokens of
// a class or id ("share-bar" has "share"; "header" has no "ad").
var (
	boilerTags = map[atom.Atom]bool{
		atom.Nav: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Script: true,
		atom.Style: true, atom.Noscript: true, atom.Iframe: true, atom.Button: true, atom.Svg: true,
		atom.Template: true, atom.Dialog: true, atom.Select: true, atom.Input: true, atom.Textarea: true,
	}
	boilerRoles = map[string]bool{"navigation": true, "complementary": true, "contentinfo": true,
		"banner": true, "search": true, "dialog": true, "alert": true, "menu": true, "menubar": true}
	boilerWords = map[string]bool{
		"share": true, "sharing": true, "social": true, "comment": true, "comments": true,
		"related": true, "recommended": true, "newsletter": true, "subscribe": true, "promo": true,
		"ad": true, "ads": true, "advert": true, "advertisement": true, "sponsored": true,
		"breadcrumb": true, "breadcrumbs": true, "nav": true, "navbar": true, "menu": true,
		"footer": true, "sidebar": true, "popular": true, "trending": true, "paywall": true,
		"cookie": true, "cookies": true, "disqus": true, "outbrain": true, "taboola": true, "tags": true,
	}
)

// clean removes the page's boilerplate in place.
func clean(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && isBoilerplate(c):
			n.RemoveChild(c)
		default:
			clean(c)
		}
		c = next
	}
}

func isBoilerplate(n *html.Node) bool {
	if boilerTags[n.DataAtom] || n.DataAtom == atom.Header && n.Parent != nil && n.Parent.DataAtom == atom.Body {
		return true
	}
	if attr(n, "hidden") != "" || attr(n, "aria-hidden") == "true" {
		return true
	}
	if boilerRoles[strings.ToLower(attr(n, "role"))] {
		return true
	}
	for _, a := range []string{attr(n, "class"), attr(n, "id")} {
		for _, w := range strings.FieldsFunc(strings.ToLower(a), func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' }) {
			if boilerWords[w] {
				return true
			}
		}
	}
	return false
}

// bodyOf writes the article's blocks as a body with markers: one line per
// heading, paragraph, quoted paragraph and list item. The first heading is
// left out when it repeats the title.
func bodyOf(root *html.Node, title string) string {
	w := &bodyWriter{title: strings.TrimSpace(title)}
	w.blocks(root, "")
	return strings.Join(w.lines, "\n")
}

type bodyWriter struct {
	title string
	lines []string
}

// blocks walks block-level content; prefix is the marker of an enclosing
// block quote.
func (w *bodyWriter) blocks(n *html.Node, prefix string) {
	var inline strings.Builder
	flush := func() {
		w.add(prefix, inline.String())
		inline.Reset()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			inline.WriteString(c.Data)
			continue
		}
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			flush()
			level := max(int(c.Data[1]-'0'), 2)
			text := textOf(c)
			if len(w.lines) == 0 && strings.EqualFold(text, w.title) {
				continue
			}
			if prefix == "" {
				w.add(strings.Repeat("#", min(level, 4))+" ", text)
			} else {
				w.add(prefix, text)
			}
		case atom.P:
			flush()
			w.add(prefix, textOf(c))
		case atom.Blockquote:
			flush()
			w.blocks(c, "> ")
		case atom.Ul, atom.Ol:
			flush()
			w.list(c, prefix)
		case atom.Figure, atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Table, atom.Pre, atom.Figcaption:
			flush()
			if c.DataAtom == atom.Pre || c.DataAtom == atom.Table {
				w.blocks(c, prefix)
			}
		case atom.Br:
			inline.WriteString(" ")
		case atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Tbody, atom.Tr, atom.Td, atom.Th, atom.Dl, atom.Dd, atom.Dt, atom.Li:
			flush()
			w.blocks(c, prefix)
		default:
			inline.WriteString(textOf(c))
			inline.WriteString(" ")
		}
	}
	flush()
}

func (w *bodyWriter) list(n *html.Node, prefix string) {
	number := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil && s > 0 {
		number = s
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = strconv.Itoa(number) + ". "
			number++
		}
		if prefix != "" {
			marker = prefix // a list inside a quote stays quoted text
		}
		w.add(marker, textOf(c))
	}
}

// add appends a line of text under its marker. A paragraph whose own words
// open like a marker ("1. First, …") then reads as that block: the markers
// are the body's one structure, and an editor can change them.
func (w *bodyWriter) add(marker, text string) {
	text = collapse(text)
	if text == "" {
		return
	}
	w.lines = append(w.lines, marker+text)
}

// textOf is the text of n with its white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				b.WriteString(" ")
			case c.Type == html.ElementNode:
				if isBlock(c) {
					b.WriteString(" ")
				}
				walk(c)
				if isBlock(c) {
					b.WriteString(" ")
				}
			}
		}
	}
	walk(n)
	return collapse(b.String())
}

func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Blockquote, atom.Section, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Tr, atom.Td, atom.Th, atom.Figure, atom.Figcaption:
		return true
	}
	return false
}

// collapse folds runs of white space, line breaks included, into one space
// and drops characters a body refuses.
func collapse(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == 0 || r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		if r == '\u00a0' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			if a.Val == "" {
				return key // a boolean attribute is set
			}
			return a.Val
		}
	}
	return ""
}
