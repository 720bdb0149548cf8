package web

import (
	"testing"

	"factdesk/frontend"
)

// A 304 leaves the client's stored security headers in place, so a change
// of any of them must change every ETag: the next request then gets a 200
// that carries the new ones.
func TestETagsFollowTheSecurityHeaders(t *testing.T) {
	r, err := frontend.New(frontend.Site{BaseURL: "http://factdesk.test", OrgName: "Desk"})
	if err != nil {
		t.Fatal(err)
	}
	rd := &ReaderSite{Render: r}
	before := rd.ETagOf("claim:1", "published.3")
	saved := SecurityHeadersKey
	t.Cleanup(func() { SecurityHeadersKey = saved })
	SecurityHeadersKey += "; upgrade-insecure-requests"
	if after := rd.ETagOf("claim:1", "published.3"); after == before {
		t.Errorf("the ETag %s stayed when the security headers changed", before)
	}
}
