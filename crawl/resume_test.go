package crawl

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestCrawlChildProcess is the crawl TestCrawlResumesAfterSIGKILL kills:
// it runs only in the child process that test starts.
func TestCrawlChildProcess(t *testing.T) {
	raw := os.Getenv("REVIEWPIPE_CRAWL_CHILD")
	if raw == "" {
		t.Skip("helper process for TestCrawlResumesAfterSIGKILL")
	}
	var cfg WebConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	w, err := NewWeb(cfg, os.Getenv("REVIEWPIPE_CRAWL_STATE"), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Walk(context.Background(), func(*record.Page) error { return nil })
	t.Fatal("the crawl finished before it was killed")
}

func TestCrawlResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	site := newTestSite(t, 3, 30)
	cfg := testWebConfig(site, 25*time.Millisecond)
	state := filepath.Join(t.TempDir(), "crawl.db")
	raw, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrawlChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_CRAWL_CHILD="+string(raw), "REVIEWPIPE_CRAWL_STATE="+state)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reviews := func() int {
		n := 0
		for _, u := range site.reviewURLs() {
			n += site.count(strings.TrimPrefix(u, "http://"))
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for reviews() < 45 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before := reviews()
	if before < 45 || before >= 90 {
		t.Fatalf("killed after %d of 90 review fetches, want about half", before)
	}

	run := runCrawl(t, cfg, state, true)
	want := site.reviewURLs()
	slices.Sort(want)
	if got := run.urls(); !slices.Equal(got, want) {
		t.Errorf("the resumed run emitted %d pages, want all %d; difference %v", len(got), len(want), firstDiff(got, want))
	}
	refetched := 0
	for _, u := range want {
		if n := site.count(strings.TrimPrefix(u, "http://")); n > 1 {
			refetched++
		}
	}
	// Only what was in flight at the kill (a request per host) may be
	// fetched twice.
	t.Logf("killed after %d review fetches; %d fetched again after resuming", before, refetched)
	if refetched > len(site.servers)*cfg.Politeness.PerHost {
		t.Errorf("%d review pages fetched twice, want at most %d (those in flight at the kill)", refetched, len(site.servers)*cfg.Politeness.PerHost)
	}
}
