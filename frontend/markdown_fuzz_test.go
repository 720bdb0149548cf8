package frontend

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Elements an explanation may render to; anything else is an escape of the
// sanitiser.
var safeElements = map[string]bool{
	"p": true, "br": true, "hr": true, "em": true, "strong": true, "del": true, "s": true, "code": true, "pre": true,
	"blockquote": true, "ul": true, "ol": true, "li": true, "a": true, "img": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
}

// FuzzMarkdown: whatever an editor types, the rendered explanation holds
// only safe elements, no event handlers or styles, and no link or image
// that runs script; PlainText holds no markup at all.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"**Mostly false.** See [the report](https://example.org/r) and\n\n- one\n- two",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](  javascript:alert(1))",
		"[x](&#106;avascript:alert(1)) ![i](javascript:alert(1)) ![j](data:text/html,<script>alert(1)</script>)",
		"<img src=x onerror=alert(1)> <a href=\"#\" onclick=\"x()\">a</a> <div style=\"background:url(javascript:x)\">d</div>",
		"| a | b |\n|---|---|\n| <b>1</b> | `<i>2</i>` |",
		"```html\n<script>x</script>\n```\n~~gone~~ www.example.org https://example.org/<script>",
		"<iframe src=//evil></iframe><svg onload=alert(1)><math><mi xlink:href=\"javascript:x\">",
		"[a](vbscript:msgbox) <a href='java\nscript:alert(1)'>x</a> <!-- <script> -->",
		strings.Repeat("> ", 500) + "deep",
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"naïve “quotes” 🇵🇰 \x00 \xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Markdown(src))
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if !safeElements[tok.Data] {
				t.Fatalf("unsafe element <%s> in %q\nfrom %q", tok.Data, out, src)
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" {
					t.Fatalf("unsafe attribute %s=%q in %q\nfrom %q", a.Key, a.Val, out, src)
				}
				if key == "href" || key == "src" {
					v := strings.ToLower(strings.Map(func(r rune) rune {
						if r <= ' ' {
							return -1 // browsers ignore these inside a scheme
						}
						return r
					}, a.Val))
					for _, scheme := range []string{"javascript:", "vbscript:", "data:", "file:"} {
						if strings.HasPrefix(v, scheme) {
							t.Fatalf("unsafe URL %s=%q in %q\nfrom %q", a.Key, a.Val, out, src)
						}
					}
				}
			}
		}
		if p := PlainText(src); strings.ContainsAny(p, "\n\t") {
			t.Fatalf("PlainText keeps layout: %q", p)
		}
	})
}
