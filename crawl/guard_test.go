package crawl

import (
	"errors"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBlockedIP(t *testing.T) {
	for _, tt := range []struct {
		ip      string
		blocked bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"10.1.2.3", true}, {"172.16.0.1", true},
		{"192.168.1.1", true}, {"169.254.169.254", true}, {"fe80::1", true}, {"fd00::1", true}, {"100.64.0.1", true},
		{"0.0.0.0", true}, {"::", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true}, {"fd00:ec2::254", true},
		{"224.0.0.1", true}, {"8.8.8.8", false}, {"93.184.216.34", false}, {"2606:4700::1111", false}, {"172.32.0.1", false},
	} {
		if got := blockedIP(netip.MustParseAddr(tt.ip)); got != tt.blocked {
			t.Errorf("blockedIP(%s) = %v, want %v", tt.ip, got, tt.blocked)
		}
	}
}

// TestCrawlRefusesPrivateNetworks seeds the crawl with a loopback server
// (by IP and by a name resolving to it) and the cloud metadata address:
// nothing may reach them, and the fetch log says why.
func TestCrawlRefusesPrivateNetworks(t *testing.T) {
	site := newTestSite(t, 1, 3)
	port := site.servers[0].URL[strings.LastIndex(site.servers[0].URL, ":"):]
	cfg := testWebConfig(site, 0)
	cfg.AllowPrivateNetworks = false
	cfg.Seeds = []string{site.url(0, "/"), "http://localhost" + port + "/", "http://169.254.169.254/latest/meta-data/"}
	cfg.Hosts = nil // the seeds' hosts
	cfg.MaxAttempts = 1
	start := time.Now()
	run := runCrawl(t, cfg, filepath.Join(t.TempDir(), "crawl.db"), true)
	if len(run.pages) != 0 {
		t.Errorf("emitted %d pages from private addresses", len(run.pages))
	}
	if !errors.Is(run.err, ErrNoInput) {
		t.Errorf("Walk = %v, want ErrNoInput: no seed was answered", run.err)
	}
	site.mu.Lock()
	n := len(site.byHost)
	site.mu.Unlock()
	if n != 0 {
		t.Errorf("the loopback server got requests from %d hosts", n)
	}
	blocked := map[string]bool{}
	for _, f := range run.fetches {
		if f.Error != nil && strings.Contains(*f.Error, "allow_private_networks") {
			blocked[f.URL] = true
		}
	}
	for _, s := range cfg.Seeds {
		n, _ := NormalizeURL(s, nil)
		if !blocked[n] {
			t.Errorf("fetch log has no refusal for %s: %+v", n, run.fetches)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing took %s: the metadata address was dialled", d)
	}
}
