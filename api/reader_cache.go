package api

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// How the reader pages stay fast and never stale:
//
//   - A page is rendered once per state of what it shows and kept as bytes
//     in a size-bounded LRU cache, under a key (e.g. "claim:12").
//   - Each request first reads the state's stamp from the database (one
//     small indexed query on a prepared statement: store.ClaimStamp,
//     DocumentStamp or SiteStamp). The ETag is a hash of that stamp and the
//     release's template version. The database is the truth, so an edit
//     made through any replica changes the ETag of the next request.
//   - If the client already has that ETag: 304. If the cache holds bytes
//     rendered for that ETag: they are written as they are. Otherwise the
//     page is rendered from a full read, and its ETag is computed from the
//     data actually rendered, never from the earlier stamp, so bytes are
//     never stored under a newer state than they show.

// cachedPage is a rendered response.
type cachedPage struct {
	key      string
	etag     string
	modified time.Time
	ctype    string
	body     []byte
	// location, when set, is where the page's canonical URL is (verdict
	// pages redirect a wrong slug there).
	location string
	// hdr are the header values of the page, made once when it enters the
	// cache: pages are served many times more often than they are rendered.
	hdr *pageHeaders
}

// pageHeaders are the values of a page's headers, shared by its responses
// (see setSecurityHeaders for why sharing is safe).
type pageHeaders struct {
	etag, modified, ctype, length []string
}

func (p *cachedPage) headers() *pageHeaders {
	if p.hdr != nil {
		return p.hdr
	}
	h := &pageHeaders{etag: []string{p.etag}, length: []string{strconv.Itoa(len(p.body))}}
	if !p.modified.IsZero() {
		h.modified = []string{p.modified.UTC().Format(http.TimeFormat)}
	}
	if p.ctype == headerContentTypeHTML[0] {
		h.ctype = headerContentTypeHTML
	} else {
		h.ctype = []string{p.ctype}
	}
	return h
}

func (p *cachedPage) size() int64 { return int64(len(p.body) + len(p.key) + len(p.location) + 256) }

// pageCache is an LRU of rendered pages bounded by total bytes.
type pageCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front: most recently used
	items map[string]*list.Element
}

func newPageCache(maxBytes int64) *pageCache {
	return &pageCache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the page cached under key if it was rendered for etag.
func (pc *pageCache) get(key, etag string) (*cachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.items[key]
	if !ok {
		return nil, false
	}
	p := el.Value.(*cachedPage)
	if p.etag != etag {
		return nil, false
	}
	pc.order.MoveToFront(el)
	return p, true
}

// put stores p, replacing what was under its key, and evicts the least
// recently used pages beyond the bound. A page larger than an eighth of the
// bound is not kept.
func (pc *pageCache) put(p *cachedPage) {
	// Before the page is shared: from here on it is only read.
	p.hdr = p.headers()
	if p.size() > pc.max/8 {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.items[p.key]; ok {
		pc.size -= el.Value.(*cachedPage).size()
		pc.order.Remove(el)
	}
	pc.items[p.key] = pc.order.PushFront(p)
	pc.size += p.size()
	for pc.size > pc.max {
		last := pc.order.Back()
		old := last.Value.(*cachedPage)
		pc.order.Remove(last)
		delete(pc.items, old.key)
		pc.size -= old.size()
	}
}

// bytes is the memory the cached pages take, for tests and metrics.
func (pc *pageCache) bytes() int64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.size
}

// etagOf is the strong ETag of a page: the same stamp and release render
// the same bytes, sent with the same security headers.
func (rd *readerSite) etagOf(kind, stamp string) string {
	sum := sha256.Sum256([]byte(kind + "|" + stamp + "|" + rd.render.Version() + "|" + securityHeadersKey))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// cacheControl lets browsers and CDNs keep a page a minute and serve it a
// while longer while they revalidate.
const cacheControl = "public, max-age=60, stale-while-revalidate=600"

// notModified answers 304 when the client's copy is current: If-None-Match
// when sent (it wins, RFC 9110), else If-Modified-Since.
func notModified(c *gin.Context, etag string, modified time.Time) bool {
	r := c.Request
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatches(inm, etag)
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

// etagMatches is the weak comparison of If-None-Match.
func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// writePage writes a cached page, or 304 when the client has it.
func writePage(c *gin.Context, p *cachedPage) {
	ph := p.headers()
	if notModified(c, p.etag, p.modified) {
		writeNotModified(c, ph.etag, ph.modified)
		return
	}
	h := c.Writer.Header()
	h["Etag"] = ph.etag
	if ph.modified != nil {
		h["Last-Modified"] = ph.modified
	}
	h["Cache-Control"] = headerCacheControl
	h["Content-Type"] = ph.ctype
	// With its length known, net/http writes the body as it is, without
	// chunked framing.
	h["Content-Length"] = ph.length
	c.Status(http.StatusOK)
	if c.Request.Method == http.MethodHead {
		c.Writer.WriteHeaderNow()
		return
	}
	_, _ = c.Writer.Write(p.body)
}

// writeNotModified answers 304 with the validators and the request ID
// alone. A 304 refreshes the copy the client stored, which keeps every
// header the 304 does not name (RFC 9111, 4.3.4): the security headers came
// with that copy, and since they are part of every ETag (etagOf), a copy
// with other ones never gets a 304. Eight headers or fewer keep the header
// map, and net/http's clone of it, in Go's small-map form: a 304 with the
// security headers too cost a sixth more CPU.
func writeNotModified(c *gin.Context, etag, modified []string) {
	h := c.Writer.Header()
	dropSecurityHeaders(h)
	h["Etag"] = etag
	if modified != nil {
		h["Last-Modified"] = modified
	}
	h["Cache-Control"] = headerCacheControl
	c.Status(http.StatusNotModified)
	c.Writer.WriteHeaderNow()
}

// servePage is the common path of every cached page: stamp says the state
// (its ETag and time); if the client or the cache has it, no rendering
// happens; else render builds the page and returns the ETag of the data it
// rendered.
func (rd *readerSite) servePage(c *gin.Context, key, etag string, modified time.Time, render func() (*cachedPage, error)) error {
	if notModified(c, etag, modified) {
		var lm []string
		if !modified.IsZero() {
			lm = []string{modified.UTC().Format(http.TimeFormat)}
		}
		writeNotModified(c, []string{etag}, lm)
		return nil
	}
	if p, ok := rd.cache.get(key, etag); ok {
		writePage(c, p)
		return nil
	}
	p, err := render()
	if err != nil {
		return err
	}
	p.key = key
	rd.cache.put(p)
	writePage(c, p)
	return nil
}
