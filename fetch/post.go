package fetch

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// Post sends body to rawURL (webhooks) under the same address checks and
// time limits as Get. Redirects are not followed: a 3xx is an answer like
// any other. It returns the status (0 when there was no answer); a status
// outside 2xx is an error with Reason ReasonHTTPStatus.
func (f *Fetcher) Post(ctx context.Context, rawURL string, body []byte, header http.Header) (int, error) {
	u, ferr := checkURL(rawURL)
	if ferr != nil {
		return 0, ferr
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, &Error{Reason: ReasonBadURL, URL: rawURL, Detail: "malformed", Err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	client := *f.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return 0, f.classify(ctx, rawURL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, &Error{Reason: ReasonHTTPStatus, URL: rawURL, Status: resp.StatusCode}
	}
	return resp.StatusCode, nil
}
