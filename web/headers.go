package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows the site's own files and nothing else: no
// inline script, no framing. JSON-LD blocks are data, not script: browsers
// never run them, so they need no exception.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// SecurityHeaders sets the headers every reader page and feed carries.
func SecurityHeaders(c *gin.Context) {
	SetSecurityHeaders(c.Writer.Header())
	c.Next()
}

// The values are built once and shared by every response: assigning them
// under their canonical names skips Header.Set's canonicalising and an
// allocation per header. Sharing is safe because nothing edits a header
// value in place; Header.Add appends, and a slice of length and capacity
// one is copied before it grows.
var (
	headerCSP             = []string{contentSecurityPolicy}
	headerNoSniff         = []string{"nosniff"}
	headerReferrerPolicy  = []string{"strict-origin-when-cross-origin"}
	headerFrameOptions    = []string{"DENY"}
	headerOpenerPolicy    = []string{"same-origin"}
	headerPermissions     = []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}
	HeaderCacheControl    = []string{CacheControl}
	HeaderContentTypeHTML = []string{"text/html; charset=utf-8"}
)

// SecurityHeadersKey changes with any of the values, and so, through
// etagOf, does every page's ETag.
var SecurityHeadersKey = strings.Join([]string{contentSecurityPolicy, headerNoSniff[0], headerReferrerPolicy[0],
	headerFrameOptions[0], headerOpenerPolicy[0], headerPermissions[0]}, "|")

func SetSecurityHeaders(h http.Header) {
	h["Content-Security-Policy"] = headerCSP
	h["X-Content-Type-Options"] = headerNoSniff
	h["Referrer-Policy"] = headerReferrerPolicy
	h["X-Frame-Options"] = headerFrameOptions
	h["Cross-Origin-Opener-Policy"] = headerOpenerPolicy
	h["Permissions-Policy"] = headerPermissions
}

func DropSecurityHeaders(h http.Header) {
	delete(h, "Content-Security-Policy")
	delete(h, "X-Content-Type-Options")
	delete(h, "Referrer-Policy")
	delete(h, "X-Frame-Options")
	delete(h, "Cross-Origin-Opener-Policy")
	delete(h, "Permissions-Policy")
}
