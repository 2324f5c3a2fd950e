package crawl

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// pacer spaces the requests to each host: at most parallel at a time,
// each starting at least delay (plus up to jitter) after the one before.
// Every attempt goes through it, retries and redirect hops included, so
// the spacing a site sees is the configured one whatever the crawl does.
type pacer struct {
	delay, jitter time.Duration
	parallel      int

	mu    sync.Mutex
	hosts map[string]*hostPace
	wake  chan struct{} // closed and replaced when any host frees up
}

type hostPace struct {
	next     time.Time     // earliest start of the next request
	last     time.Time     // start of the last request
	delay    time.Duration // the host's own delay (robots.txt Crawl-delay) when longer
	inflight int
}

func newPacer(delay, jitter time.Duration, parallel int) *pacer {
	return &pacer{delay: delay, jitter: jitter, parallel: max(parallel, 1), hosts: map[string]*hostPace{}, wake: make(chan struct{})}
}

func (p *pacer) host(h string) *hostPace {
	hp := p.hosts[h]
	if hp == nil {
		hp = &hostPace{}
		p.hosts[h] = hp
	}
	return hp
}

// readyAt returns when host h can start a request; the zero time means
// now, and ok is false while all its slots are busy.
func (p *pacer) readyAt(h string) (at time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	hp := p.host(h)
	return hp.next, hp.inflight < p.parallel
}

// acquire waits for a slot on host h and returns the function that
// releases it.
func (p *pacer) acquire(ctx context.Context, h string) (release func(), err error) {
	for {
		p.mu.Lock()
		hp := p.host(h)
		now := time.Now()
		if hp.inflight < p.parallel && !now.Before(hp.next) {
			hp.inflight++
			hp.last = now
			gap := max(p.delay, hp.delay)
			if p.jitter > 0 {
				gap += rand.N(p.jitter)
			}
			hp.next = now.Add(gap)
			p.mu.Unlock()
			var once sync.Once
			return func() { once.Do(func() { p.release(h) }) }, nil
		}
		wait := time.Until(hp.next)
		wake := p.wake
		p.mu.Unlock()
		var timer <-chan time.Time
		var t *time.Timer
		if wait > 0 {
			t = time.NewTimer(wait)
			timer = t.C
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

func (p *pacer) release(h string) {
	p.mu.Lock()
	hp := p.host(h)
	hp.inflight--
	if p.parallel == 1 {
		// One request at a time: the gap runs from the end of the last
		// one, so the site sees at least delay between two requests
		// whatever the latency of each (a spacing of starts alone lets a
		// slow request and a fast one arrive closer together).
		if next := time.Now().Add(max(p.delay, hp.delay)); next.After(hp.next) {
			hp.next = next
		}
	}
	close(p.wake)
	p.wake = make(chan struct{})
	p.mu.Unlock()
}

// pause keeps host h idle until at least until (a Retry-After).
func (p *pacer) pause(h string, until time.Time) {
	p.mu.Lock()
	if hp := p.host(h); until.After(hp.next) {
		hp.next = until
	}
	p.mu.Unlock()
}

// setDelay raises host h's delay to d (robots.txt Crawl-delay).
func (p *pacer) setDelay(h string, d time.Duration) {
	p.mu.Lock()
	if hp := p.host(h); d > hp.delay {
		hp.delay = d
		// The request that fetched robots.txt set the next start with the
		// old delay.
		if next := hp.last.Add(d); next.After(hp.next) {
			hp.next = next
		}
	}
	p.mu.Unlock()
}

// changed returns a channel closed the next time a host slot frees up.
func (p *pacer) changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wake
}
