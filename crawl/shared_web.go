package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/reviewpipe/reviewpipe/internal/confval"
)

// Frontier types.
const (
	frontierLocal = "local"
	frontierRedis = "redis"
)

// FrontierConfig says where a crawl keeps its frontier and state: the
// local state file (one process), or Redis, shared by every worker
// process of the crawl (each a shard of one sharded run).
type FrontierConfig struct {
	// Type is local or redis.
	Type string `yaml:"type"`
	// URL of the Redis (or Valkey) server: redis://[user:pass@]host:port/db.
	URL string `yaml:"url"`
	// Name keeps crawls apart on one server; empty derives it from the
	// seeds, sitemaps and feeds.
	Name string `yaml:"name"`
	// Lease is how long a worker holds a URL before another may take it:
	// a crashed worker's URLs return after it.
	Lease confval.Duration `yaml:"lease"`
}

// defaultLease outlasts a URL's worst case at the defaults (four tries
// of 30 s with backoff and a Retry-After pause), so a live worker's lease
// never runs out under it.
const defaultLease = 5 * time.Minute

// Validate reports an unknown type or a redis frontier without a URL.
func (c FrontierConfig) Validate() error {
	var errs []error
	switch c.Type {
	case frontierLocal:
	case frontierRedis:
		if _, err := redis.ParseURL(c.URL); err != nil {
			errs = append(errs, confval.Errorf("url", "want redis://host:port/db: %v", err))
		}
	default:
		errs = append(errs, confval.Errorf("type", "must be local or redis, got %q", c.Type))
	}
	if c.Lease <= 0 {
		errs = append(errs, confval.Errorf("lease", "must be positive, got %s", c.Lease))
	}
	return errors.Join(errs...)
}

// UseShared connects the crawl to its shared frontier for run runID as
// worker shard (the shard index of a sharded run, 0 for a lone worker).
// Every worker of one run must give the same runID.
func (w *Web) UseShared(ctx context.Context, runID string, shard int) error {
	if w.cfg.Frontier.Type != frontierRedis {
		return nil
	}
	name := w.cfg.Frontier.Name
	if name == "" {
		h := fnv.New64a()
		for _, list := range [][]string{w.cfg.Seeds, w.cfg.Sitemaps, w.cfg.Feeds} {
			h.Write([]byte(strings.Join(list, "\n") + "\x00"))
		}
		name = fmt.Sprintf("crawl-%x", h.Sum64())
	}
	p := w.cfg.Politeness
	s, err := newSharedCrawl(ctx, w.cfg.Frontier.URL, name, fmt.Sprintf("%s-s%03d", runID, shard),
		time.Duration(w.cfg.Frontier.Lease), time.Duration(p.Delay), time.Duration(p.Jitter), p.PerHost)
	if err != nil {
		return err
	}
	s.run = s.prefix + "run:" + runID + ":"
	w.shared = s
	w.state = &sharedStore{s: s, key: fmt.Sprintf("%sdone:%03d", s.run, shard)}
	w.transport.pace = &sharedPacer{s: s, ttl: time.Duration(w.cfg.Timeout) + slotGrace}
	return nil
}

// slotGrace is how long past a request's timeout a worker's politeness
// slot outlives it: a live request never loses its slot, a dead worker's
// frees the host soon after.
const slotGrace = 30 * time.Second

// SetShard accepts a share of a sharded run when the frontier is shared:
// the workers then divide the URLs between them as they go. The local
// frontier cannot be divided so.
func (w *Web) SetShard(Shard) error {
	if w.cfg.Frontier.Type != frontierRedis {
		return errors.New("a crawl with the local frontier cannot be sharded: its URLs are found as it goes (give it frontier: {type: redis, url: …} and run the shards as workers of one crawl)")
	}
	return nil
}

// claimCanonical reports whether this worker is the first to emit a page
// with this canonical URL.
func (w *Web) claimCanonical(canon string) bool {
	if w.shared != nil {
		ok, err := w.shared.rdb.SAdd(context.Background(), w.shared.run+"canonical", canon).Result()
		if err != nil {
			w.log.Error("frontier: claiming a canonical URL", "url", canon, "error", err)
		}
		return err == nil && ok == 1
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	dup := w.canonical[canon]
	w.canonical[canon] = true
	return !dup
}

// pauseHost holds the host's requests until the time (a Retry-After),
// for every worker of a shared crawl.
func (w *Web) pauseHost(host string, until time.Time) {
	if w.shared != nil {
		if err := w.shared.Pause(context.Background(), host, until); err != nil {
			w.log.Error("frontier: pausing a host", "host", host, "error", err)
		}
		return
	}
	w.pace.pause(host, until)
}

// setHostDelay raises the host's delay (robots.txt Crawl-delay).
func (w *Web) setHostDelay(host string, d time.Duration) {
	if w.shared != nil {
		if err := w.shared.SetDelay(context.Background(), host, d); err != nil {
			w.log.Error("frontier: setting a host's delay", "host", host, "error", err)
		}
		return
	}
	w.pace.setDelay(host, d)
}

// sharedPacer spaces every request attempt over all workers.
type sharedPacer struct {
	s   *sharedCrawl
	ttl time.Duration
}

func (p *sharedPacer) acquire(ctx context.Context, host string) (func(), error) {
	return p.s.Acquire(ctx, host, p.ttl)
}

// sharedQueue is the frontier in Redis: URLs leased to this worker until
// done.
type sharedQueue struct {
	s   *sharedCrawl
	log *slog.Logger

	mu     sync.Mutex
	leases map[string]string // URL → lease
	err    error             // the first Redis failure; the walk stops on it
}

func (q *sharedQueue) push(item queued) {
	data, _ := json.Marshal(item)
	host := ""
	if u, err := url.Parse(item.URL); err == nil {
		host = hostKey(u)
	}
	if err := q.s.Push(context.Background(), host, string(data)); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) next(ctx context.Context) (queued, bool) {
	if q.failed() {
		return queued{}, false
	}
	lease, item, ok, err := q.s.Next(ctx)
	if err != nil {
		q.fail(err)
		return queued{}, false
	}
	if !ok {
		return queued{}, false
	}
	var out queued
	if err := json.Unmarshal([]byte(item), &out); err != nil {
		q.fail(fmt.Errorf("frontier: a queued item does not decode: %w", err))
		return queued{}, false
	}
	q.mu.Lock()
	q.leases[out.URL] = lease
	q.mu.Unlock()
	return out, true
}

func (q *sharedQueue) done(item queued) {
	q.mu.Lock()
	lease := q.leases[item.URL]
	delete(q.leases, item.URL)
	q.mu.Unlock()
	ok, err := q.s.Done(context.Background(), lease)
	switch {
	case err != nil:
		q.fail(err)
	case !ok:
		q.log.Warn("frontier: a lease ran out before its URL was done; another worker fetches it again (raise frontier.lease)", "url", item.URL)
	}
}

func (q *sharedQueue) fail(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err == nil {
		q.err = err
		q.log.Error("frontier failed", "error", err)
	}
}

func (q *sharedQueue) failed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err != nil
}

// sharedStore keeps a shared crawl's state in Redis: the incremental state
// of every URL (for conditional requests next run), and what this worker
// fetched this run, pages included, so that a worker restarted after a
// crash emits them again instead of fetching them twice.
type sharedStore struct {
	s   *sharedCrawl
	key string // this worker's done entries
}

var _ crawlStore = (*sharedStore)(nil)

func (st *sharedStore) known(u string) (urlState, bool, error) {
	data, err := st.s.Known(context.Background(), u)
	if err != nil || data == nil {
		return urlState{}, false, err
	}
	var s urlState
	if err := json.Unmarshal(data, &s); err != nil {
		return urlState{}, false, fmt.Errorf("frontier state of %s: %w", u, err)
	}
	return s, true, nil
}

// enqueue is done by the queue itself.
func (st *sharedStore) enqueue([]queued) error { return nil }

func (st *sharedStore) finish(u string, d doneEntry, _ []queued) error {
	d.URL = u
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return st.s.rdb.HSet(context.Background(), st.key, u, data).Err()
}

// resume returns what this worker fetched before a crash; the queue is in
// Redis already.
func (st *sharedStore) resume() ([]queued, map[string]doneEntry, error) {
	all, err := st.s.rdb.HGetAll(context.Background(), st.key).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("frontier: %w", err)
	}
	done := map[string]doneEntry{}
	for u, v := range all {
		var d doneEntry
		if err := json.Unmarshal([]byte(v), &d); err != nil {
			return nil, nil, fmt.Errorf("frontier: done entry %s: %w", u, err)
		}
		done[u] = d
	}
	return nil, done, nil
}

// commit keeps the incremental state of what this worker fetched, once
// its output is staged or published, and forgets the pages.
func (st *sharedStore) commit() error {
	ctx := context.Background()
	_, done, err := st.resume()
	if err != nil {
		return err
	}
	for u, d := range done {
		if d.State.FetchedAt.IsZero() {
			continue
		}
		data, _ := json.Marshal(d.State)
		if err := st.s.Remember(ctx, u, data); err != nil {
			return err
		}
	}
	return st.s.rdb.Del(ctx, st.key).Err()
}

func (st *sharedStore) Close() error { return st.s.Close() }

func (st *sharedStore) where() string { return "redis " + st.s.rdb.Options().Addr + " " + st.key }
