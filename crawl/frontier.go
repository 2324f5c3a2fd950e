package crawl

import (
	"context"
	"sync"
	"time"
)

// frontier holds the URLs still to fetch, one queue per host, and hands
// a worker the next URL of a host the pacer lets through now, so workers
// do not queue up behind one slow host while others wait.
type frontier struct {
	pace *pacer

	mu     sync.Mutex
	queues map[string][]queued
	order  []string // hosts in the order they first got a URL
	rr     int      // round-robin start
	busy   int      // URLs handed out and not done
	// working counts a host's URLs handed out: no more than the pacer's
	// per-host parallelism at once, so workers do not stand in line for
	// one host while others have work.
	working map[string]int
	wake    chan struct{}
}

func newFrontier(p *pacer) *frontier {
	return &frontier{pace: p, queues: map[string][]queued{}, working: map[string]int{}, wake: make(chan struct{})}
}

func (f *frontier) signal() {
	close(f.wake)
	f.wake = make(chan struct{})
}

func (f *frontier) push(q queued) {
	h := queuedHost(q.URL)
	f.mu.Lock()
	if _, ok := f.queues[h]; !ok {
		f.order = append(f.order, h)
	}
	f.queues[h] = append(f.queues[h], q)
	f.signal()
	f.mu.Unlock()
}

// done marks a URL handed out by next as finished (its links pushed).
func (f *frontier) done(q queued) {
	f.mu.Lock()
	f.busy--
	f.working[queuedHost(q.URL)]--
	f.signal()
	f.mu.Unlock()
}

// next returns the next URL to fetch; ok is false when the crawl is over
// (nothing queued, nothing in flight) or ctx is done.
func (f *frontier) next(ctx context.Context) (queued, bool) {
	for {
		f.mu.Lock()
		var soonest time.Time
		pending := false
		for i := range f.order {
			h := f.order[(f.rr+i)%len(f.order)]
			q := f.queues[h]
			if len(q) == 0 {
				continue
			}
			pending = true
			at, free := f.pace.readyAt(h)
			if !free || f.working[h] >= f.pace.parallel {
				continue
			}
			if !at.After(time.Now()) {
				f.queues[h] = q[1:]
				if len(f.queues[h]) == 0 {
					f.queues[h] = nil
				}
				f.rr = (f.rr + i + 1) % len(f.order)
				f.busy++
				f.working[h]++
				f.mu.Unlock()
				return q[0], true
			}
			if soonest.IsZero() || at.Before(soonest) {
				soonest = at
			}
		}
		if !pending && f.busy == 0 {
			f.signal()
			f.mu.Unlock()
			return queued{}, false
		}
		wake := f.wake
		f.mu.Unlock()
		var timer <-chan time.Time
		var t *time.Timer
		if !soonest.IsZero() {
			t = time.NewTimer(time.Until(soonest))
			timer = t.C
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer:
		case <-f.pace.changed():
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return queued{}, false
		}
	}
}

func queuedHost(raw string) string {
	// Normalized URLs: scheme://host[:port]/…
	s := raw
	if i := indexAfterScheme(s); i >= 0 {
		s = s[i:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '/' || s[i] == '?' {
			return s[:i]
		}
	}
	return s
}

func indexAfterScheme(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == ':' && s[i+1] == '/' && s[i+2] == '/' {
			return i + 3
		}
	}
	return -1
}
