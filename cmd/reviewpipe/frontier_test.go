package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// multiSite is five hosts of 60 review pages each, counting every
// request and when it arrived.
type multiSite struct {
	servers []*httptest.Server
	mu      sync.Mutex
	hits    map[string]int         // host+path → requests
	starts  map[string][]time.Time // host → request arrivals
}

func newMultiSite(t testing.TB, hosts, perHost int) *multiSite {
	s := &multiSite{hits: map[string]int{}, starts: map[string][]time.Time{}}
	for h := range hosts {
		mux := http.NewServeMux()
		mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
		mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			var b strings.Builder
			for i := range perHost {
				fmt.Fprintf(&b, `<a href="/reviews/%d">review %d</a> `, i, i)
			}
			fmt.Fprintf(w, "<html><body>%s</body></html>", b.String())
		})
		mux.HandleFunc("/reviews/{id}", func(w http.ResponseWriter, r *http.Request) {
			var id int
			fmt.Sscan(r.PathValue("id"), &id)
			w.Header().Set("Content-Type", "text/html")
			w.Write(testshared.ReviewPage(h*1000+id, 0))
		})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.hits[r.Host+r.URL.Path]++
			s.starts[r.Host] = append(s.starts[r.Host], time.Now())
			s.mu.Unlock()
			mux.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		s.servers = append(s.servers, srv)
	}
	return s
}

// startWorker starts a crawl worker process: shard k of the run.
func startWorker(t *testing.T, cfg, runID string, k, n int) *exec.Cmd {
	args, _ := json.Marshal([]string{"run", "-q", "-c", cfg, "--shard", fmt.Sprintf("%d/%d", k, n), "--run-id", runID})
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIHelperProcess$")
	cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_ARGS="+string(args))
	cmd.Stderr = &strings.Builder{}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestSharedFrontierWorkers: three worker processes and a real
// redis-server crawl 300 pages on five hosts; one worker is killed with
// SIGKILL midway and restarted (as a Job restarts a pod). Every page is
// fetched once, no host sees two requests closer than its delay over all
// workers, and the committed dataset holds every review once.
func TestSharedFrontierWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts redis-server and worker processes")
	}
	const delay = 60 * time.Millisecond
	redisURL := testshared.StartRedis(t)
	site := newMultiSite(t, 5, 60)
	var seeds []string
	for _, s := range site.servers {
		seeds = append(seeds, fmt.Sprintf("%q", s.URL+"/"))
	}
	out := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`
sources:
  - type: crawl
    seeds: [%s]
    review_pages: ['/reviews/']
    allow_private_networks: true
    workers: 4
    politeness: {delay: %s, jitter: 0s, per_host: 1, contact: https://example.org/crawler}
    frontier: {type: redis, url: %q, lease: 3s}
sinks:
  - type: parquet
    path: %q
`, strings.Join(seeds, ", "), delay, redisURL, filepath.Join(out, "reviews")))
	workers := []*exec.Cmd{startWorker(t, cfg, "crawl-1", 0, 3), startWorker(t, cfg, "crawl-1", 1, 3), startWorker(t, cfg, "crawl-1", 2, 3)}
	time.Sleep(1500 * time.Millisecond)
	workers[1].Process.Signal(syscall.SIGKILL)
	workers[1].Wait()
	workers[1] = startWorker(t, cfg, "crawl-1", 1, 3)
	for k, w := range workers {
		if err := w.Wait(); err != nil && w.ProcessState.ExitCode() != exitRejects {
			t.Fatalf("worker %d: %v\n%s", k, err, w.Stderr)
		}
	}
	if code, _, stderr := runCLI(t, "commit", "-c", cfg, "--run-id", "crawl-1"); code != exitOK {
		t.Fatalf("commit: exit %d: %s", code, stderr)
	}

	site.mu.Lock()
	defer site.mu.Unlock()
	pages := 0
	for key, n := range site.hits {
		if strings.Contains(key, "/reviews/") {
			pages++
		}
		if n != 1 {
			t.Errorf("%s fetched %d times", key, n)
		}
	}
	if pages != 300 {
		t.Errorf("%d review pages fetched, want 300", pages)
	}
	// The hosts' own clocks: no two requests to one host closer than the
	// delay, whichever workers sent them.
	minGap := time.Hour
	for host, starts := range site.starts {
		slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(starts); i++ {
			minGap = min(minGap, starts[i].Sub(starts[i-1]))
			if gap := starts[i].Sub(starts[i-1]); gap < delay {
				t.Errorf("%s: requests %d and %d arrived %s apart, the delay is %s", host, i-1, i, gap, delay)
				break
			}
		}
	}
	t.Logf("smallest gap between two requests to one host, over all workers: %s (delay %s)", minGap, delay)
	reviews, _ := allKeys(t, out)
	ids := map[string]bool{}
	for _, k := range reviews {
		ids[strings.SplitN(k, "/", 2)[0]] = true
	}
	if len(reviews) != 300 || len(ids) != 300 {
		t.Errorf("the dataset holds %d reviews, %d distinct; want 300 once each", len(reviews), len(ids))
	}
}

// BenchmarkSharedCrawl crawls 5 hosts × 80 pages (delay 50 ms, one
// request per host at a time: politeness allows 100 requests/s in all)
// with the local frontier in one process, and with the Redis frontier in
// one and in three worker processes; it reports requests/s and their
// share of what politeness allows.
//
//	go test -run '^$' -bench SharedCrawl -benchtime 1x ./cmd/reviewpipe/
func BenchmarkSharedCrawl(b *testing.B) {
	const hosts, perHost, delay = 5, 80, 50 * time.Millisecond
	for _, v := range []struct {
		name    string
		redis   bool
		workers int
	}{{"local/1", false, 1}, {"redis/1", true, 1}, {"redis/3", true, 3}} {
		b.Run(v.name, func(b *testing.B) {
			var requests int
			for i := range b.N {
				site := newMultiSite(b, hosts, perHost)
				var seeds []string
				for _, s := range site.servers {
					seeds = append(seeds, fmt.Sprintf("%q", s.URL+"/"))
				}
				frontier := ""
				if v.redis {
					frontier = fmt.Sprintf("    frontier: {type: redis, url: %q}\n", testshared.StartRedis(b))
				}
				out := b.TempDir()
				cfg := filepath.Join(out, "pipeline.yaml")
				os.WriteFile(cfg, []byte(fmt.Sprintf("sources:\n  - type: crawl\n    seeds: [%s]\n    review_pages: ['/reviews/']\n    allow_private_networks: true\n    workers: 8\n    politeness: {delay: %s, jitter: 0s, per_host: 1, contact: https://example.org/c}\n%ssinks:\n  - type: parquet\n    path: %q\n",
					strings.Join(seeds, ", "), delay, frontier, filepath.Join(out, "reviews"))), 0o644)
				id := fmt.Sprintf("bench-%d", i)
				var ws []*exec.Cmd
				for k := range v.workers {
					args := []string{"run", "-q", "-c", cfg}
					if v.redis {
						args = append(args, "--shard", fmt.Sprintf("%d/%d", k, v.workers), "--run-id", id)
					}
					raw, _ := json.Marshal(args)
					cmd := exec.Command(os.Args[0], "-test.run=^TestCLIHelperProcess$", "-test.bench=^$")
					cmd.Env = append(os.Environ(), "REVIEWPIPE_HELPER_ARGS="+string(raw))
					if err := cmd.Start(); err != nil {
						b.Fatal(err)
					}
					ws = append(ws, cmd)
				}
				for _, w := range ws {
					w.Wait()
				}
				site.mu.Lock()
				for _, n := range site.hits {
					requests += n
				}
				site.mu.Unlock()
			}
			rate := float64(requests) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "requests/s")
			b.ReportMetric(rate/(hosts*float64(time.Second)/float64(delay)), "of-politeness-max")
		})
	}
}
