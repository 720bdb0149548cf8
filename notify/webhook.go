package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"

	"factdesk/fetch"
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

// postWebhook POSTs body to url, signed, through the fetcher (the address
// checks every outbound request passes); any answer but 2xx is a failure.
// It returns the answer's status (0 for none).
func postWebhook(ctx context.Context, f *fetch.Fetcher, url, secret string, body []byte, event string, id int64) (int, error) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(SignatureHeader, Sign(secret, body))
	h.Set("X-Factdesk-Event", event)
	h.Set("X-Factdesk-Delivery", strconv.FormatInt(id, 10))
	status, err := f.Post(ctx, url, body, h)
	if err != nil {
		return status, fmt.Errorf("webhook: %w", err)
	}
	return status, nil
}
