package intake

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// metadata is what the page says about itself. Each field takes the first
// source that has it, in this order (README, "Import by URL"):
//
//	title      JSON-LD headline, og:title, the page's <title>, readability's title
//	author     JSON-LD author (names joined), <meta name=author>, article:author (a name, not a URL)
//	publisher  JSON-LD publisher name, og:site_name
//	published  JSON-LD datePublished, article:published_time, the first <time datetime> of the article
//	url        <link rel=canonical>, JSON-LD url or mainEntityOfPage, og:url, the URL fetched
//	language   <html lang>, JSON-LD inLanguage, og:locale, "en"
//
// JSON-LD is the publisher's statement for machines and the most exact;
// OpenGraph is written for link previews and comes next; the page's own
// elements last. Nothing is guessed from the text.
type metadata struct {
	title, author, publisher, url, language string
	published                               *time.Time
}

func readMetadata(doc *html.Node, base *url.URL) metadata {
	var m metadata
	ld := articleJSONLD(doc)
	metas := map[string]string{}
	var titleTag, canonical, lang string
	walk(doc, func(n *html.Node) {
		switch n.DataAtom {
		case atom.Html:
			lang = attr(n, "lang")
		case atom.Title:
			if titleTag == "" {
				titleTag = textOf(n)
			}
		case atom.Meta:
			key := strings.ToLower(attr(n, "property"))
			if key == "" {
				key = strings.ToLower(attr(n, "name"))
			}
			if _, seen := metas[key]; key != "" && !seen {
				metas[key] = collapse(attr(n, "content"))
			}
		case atom.Link:
			if canonical == "" && hasToken(attr(n, "rel"), "canonical") {
				canonical = attr(n, "href")
			}
		}
	})
	m.author = first(ld.names("author"), metas["author"], notURL(metas["article:author"]))
	m.publisher = first(ld.names("publisher"), metas["og:site_name"])
	m.title = first(ld.str("headline"), ld.str("name"), metas["og:title"], trimSiteName(titleTag, m.publisher))
	m.published = firstDate(ld.str("datePublished"), metas["article:published_time"])
	m.url = first(absolute(base, canonical), absolute(base, ld.str("url")), absolute(base, ld.ref("mainEntityOfPage")), absolute(base, metas["og:url"]))
	m.language = first(cleanLanguage(lang), cleanLanguage(ld.str("inLanguage")), cleanLanguage(metas["og:locale"]), "en")
	return m
}

// jsonLD is one schema.org node, with the graph it came from to resolve
// {"@id": …} references.
type jsonLD struct {
	node  map[string]any
	graph map[string]map[string]any
}

// articleJSONLD finds the first Article-like node (NewsArticle, Article,
// OpinionNewsArticle, BlogPosting, Report, …) in the page's JSON-LD blocks,
// at the top, in an array or in an @graph.
func articleJSONLD(doc *html.Node) jsonLD {
	var nodes []map[string]any
	walk(doc, func(n *html.Node) {
		if n.DataAtom != atom.Script || !strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") || n.FirstChild == nil {
			return
		}
		var v any
		if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
			nodes = flattenLD(v, nodes)
		}
	})
	graph := map[string]map[string]any{}
	for _, n := range nodes {
		if id, ok := n["@id"].(string); ok {
			graph[id] = n
		}
	}
	for _, n := range nodes {
		if isArticleType(n["@type"]) {
			return jsonLD{node: n, graph: graph}
		}
	}
	return jsonLD{}
}

func flattenLD(v any, out []map[string]any) []map[string]any {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			out = flattenLD(e, out)
		}
	case map[string]any:
		out = append(out, v)
		if g, ok := v["@graph"]; ok {
			out = flattenLD(g, out)
		}
	}
	return out
}

func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report" || t == "LiveBlogPosting"
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func (ld jsonLD) str(key string) string {
	if s, ok := ld.node[key].(string); ok {
		return collapse(s)
	}
	return ""
}

// ref is a string value or the @id or url of an object value.
func (ld jsonLD) ref(key string) string {
	switch v := ld.node[key].(type) {
	case string:
		return v
	case map[string]any:
		for _, k := range []string{"url", "@id"} {
			if s, ok := v[k].(string); ok {
				return s
			}
		}
	}
	return ""
}

// names is the name of a person or organisation value, or the names of a
// list of them joined with ", "; a reference to a node of the graph is
// followed.
func (ld jsonLD) names(key string) string {
	var out []string
	var add func(any)
	add = func(v any) {
		switch v := v.(type) {
		case string:
			if s := collapse(v); s != "" && notURL(s) != "" {
				out = append(out, s)
			}
		case []any:
			for _, e := range v {
				add(e)
			}
		case map[string]any:
			if name, ok := v["name"].(string); ok {
				add(name)
			} else if id, ok := v["@id"].(string); ok {
				if n, ok := ld.graph[id]; ok {
					if name, ok := n["name"].(string); ok {
						add(name)
					}
				}
			}
		}
	}
	add(ld.node[key])
	return strings.Join(out, ", ")
}

// articleTime is the first <time datetime> of the page's <article> element
// (its header often stands outside what readability keeps), else of the
// article's content. Boilerplate is gone by then: a comment's time is not
// the article's.
func articleTime(doc, content *html.Node) *time.Time {
	var article *html.Node
	walk(doc, func(n *html.Node) {
		if article == nil && n.DataAtom == atom.Article {
			article = n
		}
	})
	if article != nil {
		if t := firstTime(article); t != nil {
			return t
		}
	}
	return firstTime(content)
}

func firstTime(n *html.Node) *time.Time {
	var out *time.Time
	walk(n, func(c *html.Node) {
		if out == nil && c.DataAtom == atom.Time {
			out = parseDate(attr(c, "datetime"))
		}
	})
	return out
}

func firstDate(values ...string) *time.Time {
	for _, v := range values {
		if t := parseDate(v); t != nil {
			return t
		}
	}
	return nil
}

// parseDate reads a date or timestamp and keeps the day as the page wrote
// it (a column dated 23:30 in Karachi appeared that day, not the next one in
// UTC).
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			return &d
		}
	}
	return nil
}

// trimSiteName takes the publisher's name off the end of a <title>
// ("Title | The Daily"), where it is the site's, not the article's.
func trimSiteName(title, publisher string) string {
	if publisher == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · "} {
		if t, ok := strings.CutSuffix(title, sep+publisher); ok {
			return strings.TrimSpace(t)
		}
	}
	return title
}

func absolute(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// cleanLanguage turns "en_GB" (og:locale) into "en-GB" and refuses what is
// not a language tag.
func cleanLanguage(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" || len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return s
}

func notURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}

func first(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(strings.ToLower(list)) {
		if t == token {
			return true
		}
	}
	return false
}

func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}
