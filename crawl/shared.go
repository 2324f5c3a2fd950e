package crawl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// sharedCrawl is what the worker processes of one crawl share in Redis
// (or Valkey): the visited set, a queue per host whose URLs are leased to
// workers (a crashed worker's return when its lease ends), per-host
// politeness summed over all workers, robots.txt fetched once, and the
// incremental state (ETag, Last-Modified). Every decision that two
// workers could race on is one atomic command or Lua script, never a
// read followed by a write.
type sharedCrawl struct {
	rdb    *redis.Client
	prefix string // "reviewpipe:<crawl name>:": politeness and state, kept across runs
	run    string // prefix + "run:<run id>:": the visited set, queues and leases of one run
	worker string
	lease  time.Duration
	// politeness: the configured delay and jitter between request starts
	// to one host, and the requests in flight per host.
	delay, jitter time.Duration
	perHost       int
}

// sharedSlack is added to the spacing of a host's requests in a shared
// crawl: the server's clock grants a slot, but the request reaches the
// host a little later, by more in one worker than in another (1–3 ms
// apart on one machine, more across a network). The slack keeps the gap
// the host sees at the delay or more.
const sharedSlack = 10 * time.Millisecond

// sharedPoll is how often a worker looks again when every host is busy
// or every queued URL is leased to others.
const sharedPoll = 25 * time.Millisecond

func newSharedCrawl(ctx context.Context, rawURL, name, worker string, lease, delay, jitter time.Duration, perHost int) (*sharedCrawl, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("frontier url %q: %w", rawURL, err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("frontier %s: %w", opts.Addr, err)
	}
	prefix := "reviewpipe:" + name + ":"
	return &sharedCrawl{rdb: rdb, prefix: prefix, run: prefix, worker: worker, lease: lease,
		delay: delay, jitter: jitter, perHost: max(perHost, 1)}, nil
}

func (s *sharedCrawl) Close() error { return s.rdb.Close() }

// Claim adds u to the visited set and reports whether this worker was
// the first to: the one that queues or fetches it.
func (s *sharedCrawl) Claim(ctx context.Context, u string) (bool, error) {
	n, err := s.rdb.SAdd(ctx, s.run+"seen", u).Result()
	return n == 1, err
}

var pushScript = redis.NewScript(`
local p, host, item = ARGV[1], ARGV[2], ARGV[3]
redis.call('RPUSH', p..'q:'..host, item)
if redis.call('SADD', p..'hosts', host) == 1 then redis.call('RPUSH', p..'ring', host) end
redis.call('INCR', p..'open')
return 1`)

// Push queues item (an encoded URL) on host's queue.
func (s *sharedCrawl) Push(ctx context.Context, host, item string) error {
	return pushScript.Run(ctx, s.rdb, nil, s.run, host, item).Err()
}

// nextScript first returns the items of expired leases to the front of
// their queues, then leases the first queued item of the next host in the
// ring with a free slot. It answers {"ok", lease, item}, {"wait"} while
// others hold leases or slots, or {"done"} when nothing is queued or
// leased.
var nextScript = redis.NewScript(`
local p, ttl, per, worker = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p..'leases', '-inf', now)) do
  local l = redis.call('HMGET', p..'lease:'..id, 'item', 'host')
  if l[1] then
    redis.call('LPUSH', p..'q:'..l[2], l[1])
    redis.call('HINCRBY', p..'busy', l[2], -1)
  end
  redis.call('DEL', p..'lease:'..id)
  redis.call('ZREM', p..'leases', id)
end
if tonumber(redis.call('GET', p..'open') or '0') <= 0 then return {'done'} end
local n = redis.call('LLEN', p..'ring')
for i = 1, n do
  local host = redis.call('LMOVE', p..'ring', p..'ring', 'LEFT', 'RIGHT')
  if tonumber(redis.call('HGET', p..'busy', host) or '0') < per then
    local item = redis.call('LPOP', p..'q:'..host)
    if item then
      local id = tostring(redis.call('INCR', p..'leaseseq'))
      redis.call('HSET', p..'lease:'..id, 'item', item, 'host', host, 'worker', worker)
      redis.call('ZADD', p..'leases', now + ttl, id)
      redis.call('HINCRBY', p..'busy', host, 1)
      return {'ok', id, item}
    end
  end
end
return {'wait'}`)

// Next leases the next queued item, waiting while every queued URL's
// host is busy or every URL is leased to a worker still at it. ok is
// false when the crawl is over (nothing queued or leased) or ctx is done.
func (s *sharedCrawl) Next(ctx context.Context) (lease, item string, ok bool, err error) {
	for {
		res, err := nextScript.Run(ctx, s.rdb, nil, s.run, s.lease.Milliseconds(), s.perHost, s.worker).StringSlice()
		if err != nil {
			if ctx.Err() != nil {
				return "", "", false, nil
			}
			return "", "", false, fmt.Errorf("frontier: %w", err)
		}
		switch res[0] {
		case "ok":
			return res[1], res[2], true, nil
		case "done":
			return "", "", false, nil
		}
		select {
		case <-ctx.Done():
			return "", "", false, nil
		case <-time.After(sharedPoll):
		}
	}
}

var doneScript = redis.NewScript(`
local p, id = ARGV[1], ARGV[2]
if redis.call('ZREM', p..'leases', id) == 0 then return 0 end
local host = redis.call('HGET', p..'lease:'..id, 'host')
redis.call('DEL', p..'lease:'..id)
if host then redis.call('HINCRBY', p..'busy', host, -1) end
redis.call('DECR', p..'open')
return 1`)

// Done ends a lease once its URL is handled (its links pushed first). It
// reports false when the lease had run out and the URL went back to the
// queue.
func (s *sharedCrawl) Done(ctx context.Context, lease string) (bool, error) {
	n, err := doneScript.Run(ctx, s.rdb, nil, s.run, lease).Int()
	return n == 1, err
}

// acquireScript takes a politeness slot on a host: at most per requests
// in flight, request starts at least the host's delay apart, over all
// workers. It answers 0 when the slot is taken, else how many
// milliseconds to wait. Slots carry an expiry so a dead worker's lapse.
var acquireScript = redis.NewScript(`
local p, host, delay, jitter, per, ttl, token = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slots = p..'slots:'..host
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
local nxt = tonumber(redis.call('HGET', p..'next', host) or '0')
local d = math.max(delay, tonumber(redis.call('HGET', p..'delay', host) or '0'))
if redis.call('ZCARD', slots) < per and now >= nxt then
  redis.call('ZADD', slots, now + ttl, token)
  redis.call('HSET', p..'next', host, now + d + jitter)
  return 0
end
if now < nxt then return nxt - now end
return 25`)

// Acquire waits for a politeness slot on host and returns its release.
func (s *sharedCrawl) Acquire(ctx context.Context, host string, ttl time.Duration) (func(), error) {
	token := s.worker + ":" + strconv.FormatUint(rand.Uint64(), 36)
	for {
		jitter := int64(0)
		if s.jitter > 0 {
			jitter = rand.Int64N(s.jitter.Milliseconds() + 1)
		}
		wait, err := acquireScript.Run(ctx, s.rdb, nil, s.prefix, host, (s.delay + sharedSlack).Milliseconds(), jitter, s.perHost, ttl.Milliseconds(), token).Int64()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("frontier: %w", err)
		}
		if wait == 0 {
			return func() { s.rdb.ZRem(context.Background(), s.prefix+"slots:"+host, token) }, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(wait) * time.Millisecond):
		}
	}
}

var pauseScript = redis.NewScript(`
local key, host, untilms = ARGV[1], ARGV[2], tonumber(ARGV[3])
if untilms > tonumber(redis.call('HGET', key, host) or '0') then redis.call('HSET', key, host, untilms) end
return 1`)

// Pause holds every worker's requests to host until the given time (a
// Retry-After).
func (s *sharedCrawl) Pause(ctx context.Context, host string, until time.Time) error {
	return pauseScript.Run(ctx, s.rdb, nil, s.prefix+"next", host, until.UnixMilli()).Err()
}

// SetDelay raises host's delay for every worker (robots.txt Crawl-delay).
func (s *sharedCrawl) SetDelay(ctx context.Context, host string, d time.Duration) error {
	return pauseScript.Run(ctx, s.rdb, nil, s.prefix+"delay", host, d.Milliseconds()).Err()
}

// robotsLockTTL bounds how long a worker fetching a host's robots.txt
// keeps the others waiting; past it (the worker died) another fetches.
const robotsLockTTL = 2 * time.Minute

// Robots returns host's robots.txt as cached by whichever worker fetched
// it first; fetch runs only in the worker that takes the lock.
func (s *sharedCrawl) Robots(ctx context.Context, host string, fetch func() ([]byte, error)) ([]byte, error) {
	key := s.run + "robots:" + host
	for {
		v, err := s.rdb.Get(ctx, key).Bytes()
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("frontier: %w", err)
		}
		got, err := s.rdb.SetNX(ctx, key+":lock", s.worker, robotsLockTTL).Result()
		if err != nil {
			return nil, fmt.Errorf("frontier: %w", err)
		}
		if got {
			v, err := fetch()
			if err != nil {
				s.rdb.Del(ctx, key+":lock")
				return nil, err
			}
			if err := s.rdb.Set(ctx, key, v, 0).Err(); err != nil {
				return nil, fmt.Errorf("frontier: %w", err)
			}
			return v, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(sharedPoll):
		}
	}
}

// Known returns the incremental state stored for u (nil when none).
func (s *sharedCrawl) Known(ctx context.Context, u string) ([]byte, error) {
	v, err := s.rdb.HGet(ctx, s.prefix+"state", u).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	return v, err
}

// Remember stores u's incremental state for later runs.
func (s *sharedCrawl) Remember(ctx context.Context, u string, state []byte) error {
	return s.rdb.HSet(ctx, s.prefix+"state", u, state).Err()
}
