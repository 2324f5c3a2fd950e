package crawl

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// sharedWorkers connects n workers of one crawl to a real redis-server.
func sharedWorkers(t *testing.T, n int, lease, delay time.Duration, perHost int) []*sharedCrawl {
	t.Helper()
	if testing.Short() {
		t.Skip("starts redis-server")
	}
	url := testshared.StartRedis(t)
	var ws []*sharedCrawl
	for i := range n {
		s, err := newSharedCrawl(context.Background(), url, "test", fmt.Sprintf("w%d", i), lease, delay, 0, perHost)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		ws = append(ws, s)
	}
	return ws
}

func TestSharedClaimOnce(t *testing.T) {
	ws := sharedWorkers(t, 3, time.Minute, 0, 1)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if ok, err := w.Claim(context.Background(), fmt.Sprintf("https://a.example/%d", i)); err != nil {
					t.Error(err)
				} else if ok {
					wins.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 200 {
		t.Errorf("200 URLs claimed %d times by three workers", wins.Load())
	}
}

// TestSharedQueueLeases: three workers drain five hosts' queues; every
// item is handed out once; one worker that dies holding leases has its
// items finished by the others once the leases run out.
func TestSharedQueueLeases(t *testing.T) {
	ws := sharedWorkers(t, 3, 300*time.Millisecond, 0, 2)
	ctx := context.Background()
	for i := range 300 {
		if err := ws[0].Push(ctx, fmt.Sprintf("h%d.example", i%5), fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Worker 2 takes five items and dies.
	var lost []string
	for range 5 {
		_, item, ok, err := ws[2].Next(ctx)
		if err != nil || !ok {
			t.Fatalf("next: %v %v", ok, err)
		}
		lost = append(lost, item)
	}
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for _, w := range ws[:2] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lease, item, ok, err := w.Next(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				got[item]++
				mu.Unlock()
				if done, err := w.Done(ctx, lease); err != nil || !done {
					t.Errorf("done %s: %v %v", lease, done, err)
				}
			}
		}()
	}
	wg.Wait()
	if len(got) != 300 {
		t.Errorf("the live workers handled %d distinct items of 300", len(got))
	}
	for item, n := range got {
		if n != 1 && !slices.Contains(lost, item) {
			t.Errorf("item %s handed out %d times", item, n)
		}
	}
	for _, item := range lost {
		if got[item] != 1 {
			t.Errorf("the dead worker's item %s was finished %d times", item, got[item])
		}
	}
}

// TestSharedPoliteness: three workers request one host; the grants are at
// least the delay apart and never more than per_host at once.
func TestSharedPoliteness(t *testing.T) {
	const delay = 40 * time.Millisecond
	ws := sharedWorkers(t, 3, time.Minute, delay, 1)
	var mu sync.Mutex
	var starts []time.Time
	var inflight, peak atomic.Int32
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 6 {
				release, err := w.Acquire(context.Background(), "a.example", time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				n := inflight.Add(1)
				if n > peak.Load() {
					peak.Store(n)
				}
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				inflight.Add(-1)
				release()
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(starts); i++ {
		// The slack covers the time between grant and the caller's clock.
		if gap := starts[i].Sub(starts[i-1]); gap < delay {
			t.Errorf("requests %d and %d started %s apart, want at least %s", i-1, i, gap, delay)
		}
	}
	if peak.Load() > 1 {
		t.Errorf("%d requests in flight at once, per_host is 1", peak.Load())
	}
	if err := ws[0].Pause(context.Background(), "b.example", time.Now().Add(150*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	release, err := ws[1].Acquire(context.Background(), "b.example", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	release()
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("a paused host was requested after %s", waited)
	}
}

func TestSharedRobotsOnce(t *testing.T) {
	ws := sharedWorkers(t, 3, time.Minute, 0, 1)
	var fetches atomic.Int32
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, err := w.Robots(context.Background(), "a.example", func() ([]byte, error) {
				fetches.Add(1)
				time.Sleep(50 * time.Millisecond)
				return []byte("User-agent: *\nDisallow: /x\n"), nil
			})
			if err != nil || string(body) != "User-agent: *\nDisallow: /x\n" {
				t.Errorf("robots: %q %v", body, err)
			}
		}()
	}
	wg.Wait()
	if fetches.Load() != 1 {
		t.Errorf("robots.txt fetched %d times by three workers", fetches.Load())
	}
}
