package crawl

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCrawl crawls a loopback site and reports requests and emitted
// pages per second. With a delay, the politeness limit is hosts/delay
// requests per second; limit% says how much of it the crawl used.
//
//	go test ./crawl -run '^$' -bench BenchmarkCrawl -benchtime 1x
func BenchmarkCrawl(b *testing.B) {
	for _, bc := range []struct {
		hosts, perHost int
		delay          time.Duration
	}{
		{1, 300, 0},
		{10, 300, 0},
		{10, 30, 100 * time.Millisecond},
	} {
		b.Run(fmt.Sprintf("hosts=%d/delay=%s", bc.hosts, bc.delay), func(b *testing.B) {
			var requests, pages int
			var elapsed time.Duration
			for range b.N {
				site := newTestSite(b, bc.hosts, bc.perHost)
				cfg := testWebConfig(site, bc.delay)
				cfg.Feeds = nil
				cfg.RobotsSitemaps = false // the sitemap on host 0 only would make it the longest
				// Every host known from the start: otherwise the last one
				// found through the partner links sets the run's length.
				cfg.Seeds = nil
				for h := range site.servers {
					cfg.Seeds = append(cfg.Seeds, site.url(h, "/"))
				}
				cfg.Workers = max(16, 2*bc.hosts)
				state := filepath.Join(b.TempDir(), "crawl.db")
				start := time.Now()
				run := runCrawl(b, cfg, state, true)
				elapsed += time.Since(start)
				pages += len(run.pages)
				for _, f := range run.fetches {
					if f.Attempts > 0 {
						requests += int(f.Attempts)
					}
				}
				if len(run.pages) != bc.hosts*bc.perHost {
					b.Fatalf("emitted %d pages, want %d", len(run.pages), bc.hosts*bc.perHost)
				}
			}
			b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
			b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
			if bc.delay > 0 {
				limit := float64(bc.hosts) / bc.delay.Seconds()
				b.ReportMetric(100*float64(requests)/elapsed.Seconds()/limit, "limit%")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}
