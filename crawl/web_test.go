package crawl

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

func testWebConfig(site *testSite, delay time.Duration) WebConfig {
	cfg := DefaultWebConfig()
	cfg.Seeds = []string{site.url(0, "/")}
	cfg.Sitemaps = nil
	if len(site.servers) > 1 {
		cfg.Feeds = []string{site.url(1, "/feed.xml")}
	}
	for i := range site.servers {
		cfg.Hosts = append(cfg.Hosts, site.host(i))
	}
	cfg.ReviewPages = []string{`/review/\d+$`}
	cfg.Politeness.Contact = "https://example.org/crawler"
	cfg.Politeness.Delay = confval.Duration(delay)
	cfg.Politeness.Jitter = 0
	cfg.AllowPrivateNetworks = true
	cfg.RetryBase = confval.Duration(20 * time.Millisecond)
	cfg.RetryMax = confval.Duration(200 * time.Millisecond)
	cfg.Timeout = confval.Duration(2 * time.Second)
	return cfg
}

// crawlRun is what one Walk produced.
type crawlRun struct {
	pages   []*record.Page
	fetches []record.Fetch
	err     error // what Walk returned when it wraps ErrNoInput
}

func (r crawlRun) urls() []string {
	var out []string
	for _, p := range r.pages {
		out = append(out, p.URL)
	}
	slices.Sort(out)
	return out
}

func runCrawl(t testing.TB, cfg WebConfig, state string, commit bool) crawlRun {
	t.Helper()
	w, err := NewWeb(cfg, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var mu sync.Mutex
	var run crawlRun
	w.SetFetchLog(func(f record.Fetch) {
		mu.Lock()
		run.fetches = append(run.fetches, f)
		mu.Unlock()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = w.Walk(ctx, func(p *record.Page) error {
		mu.Lock()
		run.pages = append(run.pages, p)
		mu.Unlock()
		return nil
	})
	if errors.Is(err, ErrNoInput) {
		run.err = err
	} else if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	if commit {
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	return run
}

func TestCrawlSiteEmitsEveryReviewOnce(t *testing.T) {
	site := newTestSite(t, 3, 70)
	const delay = 40 * time.Millisecond
	site.crawlDelay = 70 * time.Millisecond // host 2's robots.txt
	cfg := testWebConfig(site, delay)
	state := filepath.Join(t.TempDir(), "crawl.db")
	start := time.Now()
	run := runCrawl(t, cfg, state, true)
	t.Logf("crawl of %d review pages on 3 hosts: %d fetches in %s", len(site.reviewURLs()), len(run.fetches), time.Since(start).Round(time.Millisecond))

	want := site.reviewURLs()
	slices.Sort(want)
	got := run.urls()
	if !slices.Equal(got, want) {
		t.Errorf("emitted %d pages, want %d; first difference: got %v", len(got), len(want), firstDiff(got, want))
	}
	for _, u := range want {
		// The sitemap lists host 0's reviews with utm_source, the lists
		// with a #fragment: one fetch each all the same.
		if n := site.count(u[len("http://"):]); n != 1 {
			t.Errorf("%s requested %d times, want 1", u, n)
		}
	}
	if gap, host := site.minGap(); gap < delay-5*time.Millisecond {
		t.Errorf("two requests to %s only %s apart, delay is %s", host, gap, delay)
	}
	// The first request to host 2 is its robots.txt; the Crawl-delay holds
	// from the second on.
	if gap, host := site.minGap(site.host(2)); gap < site.crawlDelay-5*time.Millisecond {
		t.Errorf("two requests to %s only %s apart, its robots.txt asks for Crawl-delay %s", host, gap, site.crawlDelay)
	}
	outcomes := map[string]int{}
	for _, f := range run.fetches {
		outcomes[f.Outcome]++
	}
	t.Logf("outcomes: %v", outcomes)
	if outcomes["disallowed"] == 0 {
		t.Errorf("no fetch-log entry for the robots.txt-disallowed links")
	}
}

func firstDiff(got, want []string) []string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return []string{got[i], want[i]}
		}
	}
	if len(got) > len(want) {
		return got[len(want):min(len(got), len(want)+3)]
	}
	if len(want) > len(got) {
		return want[len(got):min(len(want), len(got)+3)]
	}
	return nil
}

func TestCrawlIncremental(t *testing.T) {
	site := newTestSite(t, 3, 30)
	cfg := testWebConfig(site, 5*time.Millisecond)
	state := filepath.Join(t.TempDir(), "crawl.db")
	first := runCrawl(t, cfg, state, true)
	if len(first.pages) != 90 {
		t.Fatalf("first run emitted %d pages, want 90", len(first.pages))
	}
	before := site.statusCount(304)
	second := runCrawl(t, cfg, state, true)
	if len(second.pages) != 0 {
		t.Errorf("second run over the unchanged site emitted %d pages, want 0: %v", len(second.pages), second.urls())
	}
	if n := site.statusCount(304) - before; n < 90 {
		t.Errorf("second run got %d 304 answers, want at least 90 (every review and list page asked conditionally)", n)
	}
	var changed []string
	for i, id := range []int{1, 7, 13, 22, 29} {
		h := i % 3
		site.change(h, fmt.Sprintf("/review/%d", id))
		changed = append(changed, site.url(h, fmt.Sprintf("/review/%d", id)))
	}
	slices.Sort(changed)
	third := runCrawl(t, cfg, state, true)
	if got := third.urls(); !slices.Equal(got, changed) {
		t.Errorf("after changing 5 pages the run emitted %v, want %v", got, changed)
	}
}

func TestCrawlUncommittedRunIsRepeated(t *testing.T) {
	// A run whose output was not published (the sinks failed) must not
	// make the next run skip its pages as unchanged.
	site := newTestSite(t, 1, 12)
	cfg := testWebConfig(site, 0)
	cfg.Feeds = nil
	state := filepath.Join(t.TempDir(), "crawl.db")
	first := runCrawl(t, cfg, state, false)
	second := runCrawl(t, cfg, state, true)
	if len(first.pages) != 12 || len(second.pages) != 12 {
		t.Errorf("emitted %d then %d pages, want 12 and 12", len(first.pages), len(second.pages))
	}
}

func TestCrawlLimits(t *testing.T) {
	site := newTestSite(t, 2, 30)
	t.Run("max_pages", func(t *testing.T) {
		cfg := testWebConfig(site, 0)
		cfg.Feeds = nil
		cfg.MaxPages = 10
		run := runCrawl(t, cfg, filepath.Join(t.TempDir(), "crawl.db"), true)
		requests, skipped := 0, 0
		for _, f := range run.fetches {
			if f.Outcome == "skipped" && f.Error != nil && *f.Error == "max_pages reached" {
				skipped++
			} else if f.Attempts > 0 && !strings.HasSuffix(f.URL, "/robots.txt") {
				requests++
			}
		}
		if requests != 10 || skipped == 0 {
			t.Errorf("max_pages 10: %d requests besides robots.txt, %d logged as skipped; want 10 and some", requests, skipped)
		}
	})
	t.Run("hosts, depth and deny", func(t *testing.T) {
		cfg := testWebConfig(site, 0)
		cfg.Feeds = nil
		cfg.Hosts = []string{site.host(0)} // not the partner site
		cfg.MaxDepth = 1
		cfg.Follow.Deny = []string{`/review/1\d$`}
		run := runCrawl(t, cfg, filepath.Join(t.TempDir(), "crawl.db"), true)
		for _, u := range run.urls() {
			if !strings.HasPrefix(u, site.servers[0].URL) {
				t.Errorf("emitted %s, off the crawled hosts", u)
			}
		}
		// The robots.txt sitemap lists all 30 (sitemap entries count as
		// seeds), minus the 10 denied.
		if got := run.urls(); len(got) != 20 || slices.Contains(got, site.url(0, "/review/15")) {
			t.Errorf("emitted %d pages, want the sitemap's 30 less the 10 denied: %v", len(got), got)
		}
		cfg.RobotsSitemaps = false
		run = runCrawl(t, cfg, filepath.Join(t.TempDir(), "crawl.db"), true)
		// Depth 1 from the front page: its ten reviews and nothing below.
		if got := run.urls(); len(got) != 10 {
			t.Errorf("emitted %d pages at depth 1, want the front page's 10: %v", len(got), got)
		}
	})
}
