package web

import "testing"

func TestPageCacheIsBounded(t *testing.T) {
	pc := NewPageCache(64 << 10)
	body := make([]byte, 4<<10)
	for i := 0; i < 100; i++ {
		pc.Put(&CachedPage{Key: "k" + Itoa(int64(i)), ETag: `"e"`, Body: body})
	}
	if pc.bytes() > 64<<10 {
		t.Errorf("the cache holds %d bytes, bound 64 KiB", pc.bytes())
	}
	if _, ok := pc.Get("k99", `"e"`); !ok {
		t.Error("the newest page was evicted")
	}
	if _, ok := pc.Get("k0", `"e"`); ok {
		t.Error("the oldest page is still there")
	}
	if _, ok := pc.Get("k99", `"other"`); ok {
		t.Error("a page is served for another ETag")
	}
}
