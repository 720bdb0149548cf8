package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"golang.org/x/net/html"
)

// TextSHA256 fingerprints what a reader of an HTML page sees: its text,
// whitespace collapsed, without scripts, styles and markup. Pages change
// their bytes on every load (a token in a form, a nonce, a cache-busting
// query on a script, a rotated ad tag) while their words stay; the
// re-check compares words. Not HTML: "".
func TextSHA256(contentType string, body []byte) string {
	if contentType != "text/html" && contentType != "application/xhtml+xml" {
		return ""
	}
	h := sha256.New()
	z := html.NewTokenizer(bytes.NewReader(body))
	skip := 0 // inside script, style and the like
	space := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return hex.EncodeToString(h.Sum(nil))
		case html.StartTagToken:
			if hidden(z) {
				skip++
			}
		case html.EndTagToken:
			if hidden(z) && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, w := range strings.Fields(string(z.Text())) {
				if space {
					h.Write([]byte{' '})
				}
				h.Write([]byte(w))
				space = true
			}
		}
	}
}

// hidden reports whether the tag just read holds no text a reader sees.
func hidden(z *html.Tokenizer) bool {
	name, _ := z.TagName()
	switch string(name) {
	case "script", "style", "noscript", "template", "iframe", "svg":
		return true
	}
	return false
}
