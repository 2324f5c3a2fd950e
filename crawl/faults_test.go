package crawl

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// gzipBomb is a gzip stream of n zero bytes.
func gzipBomb(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	chunk := make([]byte, 1<<20)
	for range n >> 20 {
		zw.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

func pick(url string, percent uint32) bool {
	h := fnv.New32a()
	h.Write([]byte(url))
	return h.Sum32()%100 < percent
}

func TestCrawlSurvivesFaults(t *testing.T) {
	site := newTestSite(t, 3, 40)
	bomb := gzipBomb(t, 512<<20)
	var stalls, errs5xx, throttled atomic.Int32
	site.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		// The fault draw keys on the host's ordinal, not its random port,
		// so every run injects the same mix.
		key := fmt.Sprint(slices.Index(site.hosts(), r.Host)) + r.URL.RequestURI()
		switch p := r.URL.Path; {
		case p == "/" && r.Host == site.host(0):
			// The front page links to every trap.
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/reviews">Reviews</a><a href="/loop/a">loop</a><a href="/big">big</a>`+
				`<a href="/bomb">bomb</a><a href="/file.pdf">pdf</a><a href="/stall-forever">stall</a></body></html>`)
			return true
		case p == "/loop/a":
			http.Redirect(w, r, "/loop/b", http.StatusFound)
			return true
		case p == "/loop/b":
			http.Redirect(w, r, "/loop/a", http.StatusFound)
			return true
		case p == "/big":
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>big page</p>\n"), 4096)
			for sent := 0; sent < 50<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return true
				}
			}
			return true
		case p == "/bomb":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
			return true
		case p == "/file.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(bytes.Repeat([]byte("%PDF"), 1<<18))
			return true
		case p == "/stall-forever":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		case p == "/robots.txt":
			return false
		case n == 1 && pick(key, 20):
			errs5xx.Add(1)
			w.WriteHeader([]int{500, 502, 503}[int(errs5xx.Load())%3])
			return true
		case n == 1 && pick(key+"429", 5):
			throttled.Add(1)
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		case n <= 1 && pick(key+"stall", 3):
			stalls.Add(1)
			select { // stall past the client timeout
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}
		return false
	}
	cfg := testWebConfig(site, 5*time.Millisecond)
	cfg.Timeout = confval.Duration(400 * time.Millisecond)
	cfg.MaxAttempts = 3
	cfg.MaxBodyBytes = 4 << 20
	cfg.Workers = 6

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	run := runCrawl(t, cfg, filepath.Join(t.TempDir(), "crawl.db"), true)
	close(stop)
	t.Logf("faults injected: %d 5xx, %d 429, %d stalls; crawl took %s, peak heap in use %d MiB",
		errs5xx.Load(), throttled.Load(), stalls.Load(), time.Since(start).Round(time.Millisecond), peak.Load()>>20)
	if errs5xx.Load() == 0 || throttled.Load() == 0 || stalls.Load() == 0 {
		t.Errorf("the fault mix did not fire: %d 5xx, %d 429, %d stalls", errs5xx.Load(), throttled.Load(), stalls.Load())
	}

	want := site.reviewURLs()
	slices.Sort(want)
	if got := run.urls(); !slices.Equal(got, want) {
		t.Errorf("emitted %d pages, want %d (every review recovers); difference %v", len(got), len(want), firstDiff(got, want))
	}
	byURL := map[string]string{}
	for _, f := range run.fetches {
		reason := f.Outcome
		if f.Error != nil {
			reason += ": " + *f.Error
		}
		byURL[strings.TrimPrefix(f.URL, site.servers[0].URL)] = reason
	}
	for path, want := range map[string]string{
		"/loop/a":        "redirect",
		"/big":           "max_body_bytes",
		"/bomb":          "max_body_bytes",
		"/file.pdf":      "application/pdf",
		"/stall-forever": "Timeout",
	} {
		if got := byURL[path]; !strings.Contains(got, want) {
			t.Errorf("fetch log for %s = %q, want it to say %q", path, got, want)
		}
	}
	retried := 0
	for _, f := range run.fetches {
		if f.Attempts > 1 && f.Outcome == "emitted" {
			retried++
		}
	}
	if retried == 0 {
		t.Errorf("no emitted page needed a retry; the fetch log's attempts column is not filled")
	}
	if peak.Load() > 256<<20 {
		t.Errorf("peak heap in use %d MiB: the 50 MB body or the 512 MB gzip bomb was buffered", peak.Load()>>20)
	}
}
