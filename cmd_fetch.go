package main

import (
	"flag"
	"fmt"
	"time"

	"factdesk/archive"
	"factdesk/fetch"
)

// archiveFlags say how cited sources are archived.
type archiveFlags struct {
	maxBytes *int64
	recheck  *time.Duration
}

func addArchiveFlags(fs *flag.FlagSet) *archiveFlags {
	return &archiveFlags{
		maxBytes: fs.Int64("archive-max-bytes", int64(envInt("FACTDESK_ARCHIVE_MAX_BYTES", archive.DefaultMaxBytes)),
			"the largest copy of a cited source kept, in bytes; a larger answer is not archived (env FACTDESK_ARCHIVE_MAX_BYTES)"),
		recheck: fs.Duration("archive-recheck", envDuration("FACTDESK_ARCHIVE_RECHECK", archive.DefaultRecheckAfter),
			"how often each archived source's live page is fetched again to see whether it failed or changed (env FACTDESK_ARCHIVE_RECHECK)"),
	}
}

func (af *archiveFlags) config(fetchCfg fetch.Config) (archive.Config, error) {
	if *af.maxBytes < 1 || *af.maxBytes > 1<<30 {
		return archive.Config{}, fmt.Errorf("--archive-max-bytes must be between 1 and 1073741824, not %d", *af.maxBytes)
	}
	if *af.recheck < time.Minute {
		return archive.Config{}, fmt.Errorf("--archive-recheck must be at least 1m, not %s", *af.recheck)
	}
	return archive.Config{Fetch: fetchCfg, MaxBytes: *af.maxBytes, RecheckAfter: *af.recheck}, nil
}

// fetchFlags are the outbound HTTP settings of every command that fetches.
type fetchFlags struct {
	allow          *string
	robots         *bool
	timeout        *time.Duration
	connectTimeout *time.Duration
	maxRedirects   *int
}

func addFetchFlags(fs *flag.FlagSet) *fetchFlags {
	return &fetchFlags{
		allow: fs.String("fetch-allow", env("FACTDESK_FETCH_ALLOW", ""),
			"comma-separated CIDR ranges fetches may reach although they are not public, e.g. 127.0.0.1/32 for local development (env FACTDESK_FETCH_ALLOW)"),
		robots: fs.Bool("fetch-robots", env("FACTDESK_FETCH_ROBOTS", "") != "",
			"fetch only what each site's robots.txt allows Factdesk (env FACTDESK_FETCH_ROBOTS)"),
		timeout: fs.Duration("fetch-timeout", envDuration("FACTDESK_FETCH_TIMEOUT", fetch.DefaultTimeout),
			"the longest one fetch may take, redirects and body included (env FACTDESK_FETCH_TIMEOUT)"),
		connectTimeout: fs.Duration("fetch-connect-timeout", envDuration("FACTDESK_FETCH_CONNECT_TIMEOUT", fetch.DefaultConnectTimeout),
			"the longest one connection may take to open (env FACTDESK_FETCH_CONNECT_TIMEOUT)"),
		maxRedirects: fs.Int("fetch-max-redirects", envInt("FACTDESK_FETCH_MAX_REDIRECTS", fetch.DefaultMaxRedirects),
			"the most redirects one fetch follows (env FACTDESK_FETCH_MAX_REDIRECTS)"),
	}
}

// config is the fetcher's configuration for the newsroom at baseURL; an
// error is a bad flag (exit 2).
func (ff *fetchFlags) config(baseURL string) (fetch.Config, error) {
	allow, err := fetch.ParseAllow(*ff.allow)
	if err != nil {
		return fetch.Config{}, fmt.Errorf("--fetch-allow: %w", err)
	}
	if *ff.timeout <= 0 || *ff.connectTimeout <= 0 {
		return fetch.Config{}, fmt.Errorf("--fetch-timeout and --fetch-connect-timeout must be positive")
	}
	if *ff.maxRedirects < 0 || *ff.maxRedirects > 20 {
		return fetch.Config{}, fmt.Errorf("--fetch-max-redirects must be between 0 and 20, not %d", *ff.maxRedirects)
	}
	redirects := *ff.maxRedirects
	if redirects == 0 {
		redirects = -1 // fetch.Config: negative is none, zero the default
	}
	return fetch.Config{UserAgent: fetch.UserAgent(baseURL), Allow: allow, Robots: *ff.robots,
		Timeout: *ff.timeout, ConnectTimeout: *ff.connectTimeout, MaxRedirects: redirects}, nil
}
