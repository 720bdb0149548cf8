package main

import (
	"net/http"
	"time"

	"factdesk/bench/benchkit"
)

// client speaks to Factdesk's API with an API token, at paths below base.
type client struct {
	base string
	*benchkit.Client
}

func newClient(base, token string) *client {
	return &client{base: base, Client: &benchkit.Client{Token: token, HTTP: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		// Pages may redirect to their canonical URL; the bench wants to see it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}}
}

// do sends a request with a JSON body (nil for none) and decodes a JSON
// answer into out (nil to drop it). It returns the status.
func (c *client) do(method, path string, body, out any, hdr ...string) (int, http.Header, []byte, error) {
	return c.Send(method, c.base+path, body, out, hdr...)
}
