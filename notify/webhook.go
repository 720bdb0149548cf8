package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// SignatureHeader carries the HMAC-SHA256 of a webhook's body, keyed with
// the endpoint's secret: "sha256=" and the hex digest.
const SignatureHeader = "X-Factdesk-Signature"

// Sign is the value of SignatureHeader for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is the signature of body with secret, in
// constant time: what a receiver does.
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(header))
}

// postWebhook POSTs body to url, signed; any answer but 2xx is a failure.
// It returns the answer's status (0 for none).
func postWebhook(ctx context.Context, client *http.Client, url, secret string, body []byte, event string, id int64) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Factdesk-Webhook/1")
	req.Header.Set(SignatureHeader, Sign(secret, body))
	req.Header.Set("X-Factdesk-Event", event)
	req.Header.Set("X-Factdesk-Delivery", strconv.FormatInt(id, 10))
	res, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("webhook: the endpoint answered %d", res.StatusCode)
	}
	return res.StatusCode, nil
}
