package crawl

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSite is a review site spread over several hosts, all on 127.0.0.1:
// list pages with pagination, review pages, a private area robots.txt
// disallows, a sitemap index (host 0), a feed (host 1). Every request is
// logged with its arrival time.
type testSite struct {
	t       testing.TB
	servers []*httptest.Server
	perHost int // review pages per host

	mu       sync.Mutex
	requests map[string][]time.Time // path with host → arrival times
	byHost   map[string][]time.Time
	status   map[int]int // responses by status
	version  map[string]int
	// fault, when set, may answer a request instead of the site.
	fault  func(w http.ResponseWriter, r *http.Request, n int) bool
	robots string
	// crawlDelay, when set, is the Crawl-delay of host 2's robots.txt.
	crawlDelay time.Duration
}

func newTestSite(t testing.TB, hosts, perHost int) *testSite {
	s := &testSite{t: t, perHost: perHost, requests: map[string][]time.Time{}, byHost: map[string][]time.Time{}, status: map[int]int{}, version: map[string]int{}}
	s.robots = "User-agent: *\nDisallow: /private/\n"
	for i := range hosts {
		srv := httptest.NewServer(s.handler(i))
		s.servers = append(s.servers, srv)
		t.Cleanup(srv.Close)
	}
	return s
}

func (s *testSite) host(i int) string { return strings.TrimPrefix(s.servers[i].URL, "http://") }

// hosts lists the servers' host:port in creation order.
func (s *testSite) hosts() []string {
	out := make([]string, len(s.servers))
	for i := range s.servers {
		out[i] = s.host(i)
	}
	return out
}

func (s *testSite) url(i int, path string) string {
	return s.servers[i].URL + path
}

// reviewURLs lists every review page a crawl should emit.
func (s *testSite) reviewURLs() []string {
	var out []string
	for h := range s.servers {
		for id := range s.perHost {
			out = append(out, s.url(h, fmt.Sprintf("/review/%d", id)))
		}
	}
	return out
}

func (s *testSite) count(hostPath string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests[hostPath])
}

func (s *testSite) statusCount(code int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status[code]
}

// change makes the page at path on host h new content.
func (s *testSite) change(h int, path string) {
	s.mu.Lock()
	s.version[s.host(h)+path]++
	s.mu.Unlock()
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

const listSize = 10

func (s *testSite) handler(h int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Host + r.URL.RequestURI()
		s.mu.Lock()
		now := time.Now()
		s.requests[key] = append(s.requests[key], now)
		s.byHost[r.Host] = append(s.byHost[r.Host], now)
		n := len(s.requests[key])
		fault := s.fault
		s.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w, code: 200}
		defer func() {
			s.mu.Lock()
			s.status[rec.code]++
			s.mu.Unlock()
		}()
		if !strings.Contains(r.UserAgent(), "reviewpipe") || !strings.Contains(r.UserAgent(), "https://example.org/crawler") {
			s.t.Errorf("request for %s with User-Agent %q, want reviewpipe and the contact URL", key, r.UserAgent())
		}
		if fault != nil && fault(rec, r, n) {
			return
		}
		s.serve(rec, r, h)
	})
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request, h int) {
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, s.robots)
		if h == 2 && s.crawlDelay > 0 {
			fmt.Fprintf(w, "Crawl-delay: %g\n", s.crawlDelay.Seconds())
		}
		if h == 0 {
			fmt.Fprintf(w, "Sitemap: %s\n", s.url(0, "/sitemap_index.xml"))
		}
	case p == "/sitemap_index.xml" && h == 0:
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s</loc></sitemap><sitemap><loc>%s</loc></sitemap></sitemapindex>`,
			s.url(0, "/sitemap-1.xml"), s.url(0, "/sitemap-2.xml.gz"))
	case p == "/sitemap-1.xml" && h == 0, p == "/sitemap-2.xml.gz" && h == 0:
		var b bytes.Buffer
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		half := s.perHost / 2
		lo, hi := 0, half
		if strings.HasSuffix(p, ".gz") {
			lo, hi = half, s.perHost
		}
		for id := lo; id < hi; id++ {
			fmt.Fprintf(&b, "<url><loc>%s</loc><lastmod>2024-01-02</lastmod></url>", s.url(0, fmt.Sprintf("/review/%d?utm_source=sitemap", id)))
		}
		b.WriteString(`</urlset>`)
		if strings.HasSuffix(p, ".gz") {
			w.Header().Set("Content-Type", "application/gzip")
			zw := gzip.NewWriter(w)
			zw.Write(b.Bytes())
			zw.Close()
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Write(b.Bytes())
	case p == "/feed.xml" && h == 1:
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Reviews</title>`)
		for id := range 5 {
			fmt.Fprintf(w, "<item><title>Review %d</title><link>%s</link></item>", id, s.url(1, fmt.Sprintf("/review/%d", id)))
		}
		fmt.Fprint(w, `</channel></rss>`)
	case p == "/" || p == "/reviews":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var b strings.Builder
		b.WriteString("<html><head><title>Reviews</title></head><body><nav><a href=\"/about\">About</a> <a href=\"/private/admin\">Admin</a></nav><ul class=\"review-list\">")
		for id := page * listSize; id < min((page+1)*listSize, s.perHost); id++ {
			fmt.Fprintf(&b, "<li><a href=\"/review/%d#comments\">Review %d</a></li>", id, id)
		}
		b.WriteString("</ul><div class=\"pagination\">")
		if (page+1)*listSize < s.perHost {
			fmt.Fprintf(&b, "<a href=\"/reviews?page=%d&utm_medium=pager\">Next</a>", page+1)
		}
		// The next host's front page, so one seed reaches all hosts.
		fmt.Fprintf(&b, "</div><footer><a href=\"%s/\">Partner site</a></footer></body></html>", s.servers[(h+1)%len(s.servers)].URL)
		s.html(w, r, b.String())
	case strings.HasPrefix(p, "/review/"):
		id, err := strconv.Atoi(strings.TrimPrefix(p, "/review/"))
		if err != nil || id < 0 || id >= s.perHost {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		v := s.version[r.Host+p]
		s.mu.Unlock()
		body := fmt.Sprintf(`<html><head><title>Review %d of host %d</title><link rel="canonical" href="/review/%d"></head><body><article><h1>Review %d</h1>
<p>By Critic %d. This film is a study of loneliness and connection, version %d. %s</p><a href="/private/draft-%d">draft</a> <a href="/reviews">All reviews</a></article></body></html>`,
			id, h, id, id, h, v, strings.Repeat("The performances carry it. ", 20), id)
		s.html(w, r, body)
	case p == "/about":
		s.html(w, r, "<html><body><p>About us.</p></body></html>")
	case strings.HasPrefix(p, "/private/"):
		s.t.Errorf("disallowed URL requested: %s%s", r.Host, r.URL.RequestURI())
		s.html(w, r, "<html><body>secret</body></html>")
	default:
		http.NotFound(w, r)
	}
}

// html writes an HTML body with an ETag and answers If-None-Match.
func (s *testSite) html(w http.ResponseWriter, r *http.Request, body string) {
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

// minGap returns the smallest gap between two requests to one of hosts
// (all when none is named).
func (s *testSite) minGap(hosts ...string) (time.Duration, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	best, at := time.Duration(1<<62), ""
	for h, ts := range s.byHost {
		if len(hosts) > 0 && !slices.Contains(hosts, h) {
			continue
		}
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < best {
				best, at = d, h
			}
		}
	}
	return best, at
}
