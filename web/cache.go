package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"factdesk/frontend"
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

// CachedPage is a rendered response.
type CachedPage struct {
	Key         string
	ETag        string
	Modified    time.Time
	ContentType string
	Body        []byte
	// Location, when set, is where the page's canonical URL is (verdict
	// pages redirect a wrong slug there).
	Location string
	// hdr are the header values of the page, made once when it enters the
	// cache: pages are served many times more often than they are rendered.
	hdr *pageHeaders
}

// pageHeaders are the values of a page's headers, shared by its responses
// (see SetSecurityHeaders for why sharing is safe).
type pageHeaders struct {
	etag, modified, ctype, length []string
}

func (p *CachedPage) headers() *pageHeaders {
	if p.hdr != nil {
		return p.hdr
	}
	h := &pageHeaders{etag: []string{p.ETag}, length: []string{strconv.Itoa(len(p.Body))}}
	if !p.Modified.IsZero() {
		h.modified = []string{p.Modified.UTC().Format(http.TimeFormat)}
	}
	if p.ContentType == HeaderContentTypeHTML[0] {
		h.ctype = HeaderContentTypeHTML
	} else {
		h.ctype = []string{p.ContentType}
	}
	return h
}

func (p *CachedPage) size() int64 { return int64(len(p.Body) + len(p.Key) + len(p.Location) + 256) }

// PageCache is an LRU of rendered pages bounded by total bytes.
type PageCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front: most recently used
	items map[string]*list.Element
}

func NewPageCache(maxBytes int64) *PageCache {
	return &PageCache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the page cached under key if it was rendered for etag.
func (pc *PageCache) Get(key, etag string) (*CachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.items[key]
	if !ok {
		return nil, false
	}
	p := el.Value.(*CachedPage)
	if p.ETag != etag {
		return nil, false
	}
	pc.order.MoveToFront(el)
	return p, true
}

// Put stores p, replacing what was under its key, and evicts the least
// recently used pages beyond the bound. A page larger than an eighth of the
// bound is not kept.
func (pc *PageCache) Put(p *CachedPage) {
	// Before the page is shared: from here on it is only read.
	p.hdr = p.headers()
	if p.size() > pc.max/8 {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.items[p.Key]; ok {
		pc.size -= el.Value.(*CachedPage).size()
		pc.order.Remove(el)
	}
	pc.items[p.Key] = pc.order.PushFront(p)
	pc.size += p.size()
	for pc.size > pc.max {
		last := pc.order.Back()
		old := last.Value.(*CachedPage)
		pc.order.Remove(last)
		delete(pc.items, old.Key)
		pc.size -= old.size()
	}
}

// bytes is the memory the cached pages take, for tests and metrics.
func (pc *PageCache) bytes() int64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.size
}

// ETagOf is the strong ETag of a page: the same stamp and release render
// the same bytes, sent with the same security headers.
func (rd *ReaderSite) ETagOf(kind, stamp string) string {
	sum := sha256.Sum256([]byte(kind + "|" + stamp + "|" + rd.Render.Version() + "|" + SecurityHeadersKey))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// CacheControl lets browsers and CDNs keep a page a minute and serve it a
// while longer while they revalidate.
const CacheControl = "public, max-age=60, stale-while-revalidate=600"

// NotModified answers 304 when the client's copy is current: If-None-Match
// when sent (it wins, RFC 9110), else If-Modified-Since.
func NotModified(c *gin.Context, etag string, modified time.Time) bool {
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

// WritePage writes a cached page, or 304 when the client has it.
func WritePage(c *gin.Context, p *CachedPage) {
	ph := p.headers()
	if NotModified(c, p.ETag, p.Modified) {
		writeNotModified(c, ph.etag, ph.modified)
		return
	}
	h := c.Writer.Header()
	h["Etag"] = ph.etag
	if ph.modified != nil {
		h["Last-Modified"] = ph.modified
	}
	h["Cache-Control"] = HeaderCacheControl
	h["Content-Type"] = ph.ctype
	// With its length known, net/http writes the body as it is, without
	// chunked framing.
	h["Content-Length"] = ph.length
	c.Status(http.StatusOK)
	if c.Request.Method == http.MethodHead {
		c.Writer.WriteHeaderNow()
		return
	}
	_, _ = c.Writer.Write(p.Body)
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
	DropSecurityHeaders(h)
	h["Etag"] = etag
	if modified != nil {
		h["Last-Modified"] = modified
	}
	h["Cache-Control"] = HeaderCacheControl
	c.Status(http.StatusNotModified)
	c.Writer.WriteHeaderNow()
}

// ServePage is the common path of every cached page: stamp says the state
// (its ETag and time); if the client or the cache has it, no rendering
// happens; else render builds the page and returns the ETag of the data it
// rendered.
func (rd *ReaderSite) ServePage(c *gin.Context, key, etag string, modified time.Time, render func() (*CachedPage, error)) error {
	if NotModified(c, etag, modified) {
		var lm []string
		if !modified.IsZero() {
			lm = []string{modified.UTC().Format(http.TimeFormat)}
		}
		writeNotModified(c, []string{etag}, lm)
		return nil
	}
	if p, ok := rd.Cache.Get(key, etag); ok {
		WritePage(c, p)
		return nil
	}
	p, err := render()
	if err != nil {
		return err
	}
	p.Key = key
	rd.Cache.Put(p)
	WritePage(c, p)
	return nil
}

// ReaderSite is what the reader pages (and the API's public answers)
// share: the renderer and the cache of rendered answers with the stamps
// that validate it.
type ReaderSite struct {
	Render *frontend.Renderer
	Cache  *PageCache
	Stamps *Stamps
}

// pageCacheBytes bounds the rendered pages kept in memory.
const pageCacheBytes = 48 << 20
