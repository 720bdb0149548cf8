package benchkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
)

// Client is one user agent of the site under measure: a session (a cookie
// jar and its CSRF token), an API token, or nobody.
type Client struct {
	HTTP  *http.Client
	CSRF  string
	Token string
	// ETags, when not nil, makes each GET conditional on the ETag last seen
	// for its URL, as a browser's cache would.
	ETags map[string]string
}

// WithJar gives c a cookie jar of its own, for a session.
func (c *Client) WithJar() *Client {
	c.HTTP.Jar, _ = cookiejar.New(nil)
	return c
}

// Login signs c in at base as email and keeps the session's CSRF token.
func (c *Client) Login(base, email, password string) error {
	var s struct {
		CSRFToken string `json:"csrf_token"`
	}
	if code, err := c.Do("POST", base+"/api/v1/auth/login", map[string]string{"email": email, "password": password}, &s); code != http.StatusOK {
		return fmt.Errorf("sign in as %s: %d %v", email, code, err)
	}
	c.CSRF = s.CSRFToken
	return nil
}

// Do sends a request with a JSON body (when body is not nil) and decodes a
// 2xx answer into out (when not nil). The status is 0 when no answer came.
func (c *Client) Do(method, u string, body, out any) (int, error) {
	code, _, _, err := c.Send(method, u, body, out)
	return code, err
}

// Send is Do with more headers (name, value, …) and the answer's headers
// and body.
func (c *Client) Send(method, u string, body, out any, hdr ...string) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case c.Token != "":
		req.Header.Set("Authorization", "Bearer "+c.Token)
	case c.CSRF != "" && method != "GET":
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if tag := c.ETags[u]; tag != "" && method == "GET" {
		req.Header.Set("If-None-Match", tag)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, err
	}
	if tag := resp.Header.Get("ETag"); tag != "" && resp.StatusCode == http.StatusOK && c.ETags != nil {
		c.ETags[u] = tag
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, resp.Header, b, fmt.Errorf("%s %s: %w", method, u, err)
		}
	}
	return resp.StatusCode, resp.Header, b, nil
}
