package fetch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
)

// robotsTTL is how long a site's robots.txt is believed.
const robotsTTL = time.Hour

// robotsMaxBytes is the most of a robots.txt read (RFC 9309 asks for at
// least 500 KiB).
const robotsMaxBytes = 512 << 10

type robotsFetchKey struct{}

type robotsEntry struct {
	rules   robotsRules
	fetched time.Time
}

// robotsRules are the Allow and Disallow lines of the group that applies to
// Factdesk; disallowAll stands for a robots.txt that could not be read
// because the site failed (RFC 9309, 2.3.1.4).
type robotsRules struct {
	allow, disallow []string
	disallowAll     bool
}

// robotsAllow fetches (or recalls) the robots.txt of u's site and says
// whether Factdesk may fetch u.
func (f *Fetcher) robotsAllow(ctx context.Context, u *url.URL) error {
	site := u.Scheme + "://" + u.Host
	f.robotsMu.Lock()
	e, ok := f.robots[site]
	f.robotsMu.Unlock()
	if !ok || time.Since(e.fetched) > robotsTTL {
		e = robotsEntry{rules: f.fetchRobots(ctx, site), fetched: time.Now()}
		f.robotsMu.Lock()
		f.robots[site] = e
		f.robotsMu.Unlock()
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.rules.allows(path) {
		return &Error{Reason: ReasonRobots, URL: u.String()}
	}
	return nil
}

func (f *Fetcher) fetchRobots(ctx context.Context, site string) robotsRules {
	u, _ := url.Parse(site + "/robots.txt")
	// Redirects of robots.txt itself are not checked against robots.txt,
	// or two sites redirecting to each other would never end.
	resp, err := f.get(context.WithValue(ctx, robotsFetchKey{}, true), u, u.String(), robotsMaxBytes, nil)
	var fe *Error
	switch {
	case err == nil:
		return parseRobots(resp.Body, productToken)
	case errors.As(err, &fe) && fe.Reason == ReasonHTTPStatus && fe.Status >= 400 && fe.Status < 500:
		return robotsRules{} // no robots.txt: everything allowed
	case errors.As(err, &fe) && fe.Reason == ReasonTooLarge:
		return robotsRules{}
	}
	return robotsRules{disallowAll: true}
}

// productToken is the name a robots.txt group addresses Factdesk by.
const productToken = "factdesk"

// parseRobots reads the group for agent, or the "*" group when none names
// it (RFC 9309).
func parseRobots(body []byte, agent string) robotsRules {
	var mine, star robotsRules
	var haveMine bool
	var groupAgents []string
	inRules := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), robotsMaxBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if inRules {
				groupAgents, inRules = nil, false
			}
			groupAgents = append(groupAgents, strings.ToLower(value))
		case "allow", "disallow":
			inRules = true
			if value == "" {
				continue
			}
			for _, a := range groupAgents {
				var r *robotsRules
				switch a {
				case agent:
					r, haveMine = &mine, true
				case "*":
					r = &star
				default:
					continue
				}
				if key == "allow" {
					r.allow = append(r.allow, value)
				} else {
					r.disallow = append(r.disallow, value)
				}
			}
		}
	}
	if haveMine {
		return mine
	}
	return star
}

// allows applies the longest matching rule; Allow wins a tie.
func (r robotsRules) allows(path string) bool {
	if r.disallowAll {
		return false
	}
	best, allowed := -1, true
	for _, p := range r.allow {
		if n := robotsMatch(p, path); n > best {
			best, allowed = n, true
		}
	}
	for _, p := range r.disallow {
		if n := robotsMatch(p, path); n > best {
			best, allowed = n, false
		}
	}
	return allowed
}

// robotsMatch returns the length of pattern when it matches path ("*" any
// run, "$" the end), or -1.
func robotsMatch(pattern, path string) int {
	anchored := strings.HasSuffix(pattern, "$")
	p := strings.TrimSuffix(pattern, "$")
	parts := strings.Split(p, "*")
	pos := 0
	for i, part := range parts {
		if i == 0 {
			if !strings.HasPrefix(path, part) {
				return -1
			}
			pos = len(part)
			continue
		}
		j := strings.Index(path[pos:], part)
		if j < 0 {
			return -1
		}
		pos += j + len(part)
	}
	if anchored && pos != len(path) {
		// The last part must end the path: try it at the end.
		last := parts[len(parts)-1]
		if len(parts) == 1 || !strings.HasSuffix(path, last) || len(path)-len(last) < pos-len(last) {
			return -1
		}
	}
	return len(pattern)
}
