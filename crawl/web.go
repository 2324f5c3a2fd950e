package crawl

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// redirectError ends a redirect chain the crawler will not follow.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// Web is the `crawl` source.
type Web struct {
	cfg                  WebConfig
	log                  *slog.Logger
	allow, deny, reviews []*regexp.Regexp
	scopes               string
	hosts                map[string]bool
	pace                 *pacer
	transport            *transport
	collector            *colly.Collector
	fetchLog             func(record.Fetch)
	now                  func() time.Time

	state crawlStore
	// shared is the Redis store of a crawl shared by several workers; nil
	// for the local state file.
	shared *sharedCrawl

	mu        sync.Mutex
	seen      map[string]bool // every URL queued or fetched this run
	canonical map[string]bool // canonical URLs of the pages emitted
	robots    map[string]*robotsRules
	fetched   int
	// answered counts the URLs a host answered (emitted, unchanged, not
	// modified, followed, or skipped for its type); failures keeps the
	// first few that were not, for the error of a crawl that got nothing.
	answered int
	failures []string
	emitMu   sync.Mutex
	front    crawlQueue
}

// crawlQueue hands out the URLs to fetch: the local frontier, or the
// shared one in Redis.
type crawlQueue interface {
	push(q queued)
	next(ctx context.Context) (queued, bool)
	done(q queued)
}

var _ Source = (*Web)(nil)

// NewWeb returns a crawl source; statePath is where its state lives
// (cfg.State, resolved by the caller).
func NewWeb(cfg WebConfig, statePath string, log *slog.Logger) (*Web, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Web{
		cfg:     cfg,
		log:     log.With("component", "crawl.web"),
		allow:   compileAll(cfg.Follow.Allow),
		deny:    compileAll(cfg.Follow.Deny),
		reviews: compileAll(cfg.ReviewPages),
		scopes:  strings.Join(cfg.Follow.Scopes, ", "),
		now:     time.Now,
	}
	w.hosts = map[string]bool{}
	for _, h := range cfg.Hosts {
		w.hosts[strings.ToLower(h)] = true
	}
	if len(w.hosts) == 0 {
		for _, list := range [][]string{cfg.Seeds, cfg.Sitemaps, cfg.Feeds} {
			for _, raw := range list {
				if n, err := NormalizeURL(raw, nil); err == nil {
					u, _ := url.Parse(n)
					w.hosts[hostKey(u)] = true
				}
			}
		}
	}
	w.pace = newPacer(time.Duration(cfg.Politeness.Delay), time.Duration(cfg.Politeness.Jitter), cfg.Politeness.PerHost)
	tr := newTransport(cfg.AllowPrivateNetworks, time.Duration(cfg.Timeout), w.pace, int64(cfg.MaxBodyBytes))

	c := colly.NewCollector(
		colly.UserAgent(cfg.userAgent()),
		colly.IgnoreRobotsTxt(), // read here, Crawl-delay and Sitemap lines included
		colly.AllowURLRevisit(), // the frontier dedups on normalized URLs
		colly.ParseHTTPErrorResponse(),
		colly.MaxBodySize(0), // the transport fails an oversized body instead of truncating it
	)
	c.WithTransport(tr)
	c.SetRequestTimeout(0) // the transport times each hop once its host's turn comes
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) > cfg.MaxRedirects {
			return &redirectError{fmt.Sprintf("stopped after %d redirects", cfg.MaxRedirects)}
		}
		if !w.hosts[hostKey(req.URL)] {
			return &redirectError{fmt.Sprintf("redirect to %s leaves the crawled hosts", req.URL)}
		}
		return nil
	})
	w.collector = c // each attempt runs on a clone, with its own callbacks
	w.transport = tr
	if cfg.Frontier.Type == frontierRedis {
		return w, nil // the state is in Redis: UseShared
	}
	st, err := openState(statePath)
	if err != nil {
		return nil, err
	}
	w.state = st
	return w, nil
}

// SetFetchLog sets where the record of every request goes.
func (w *Web) SetFetchLog(f func(record.Fetch)) { w.fetchLog = f }

const (
	kindPage    = "page"
	kindSitemap = "sitemap"
	kindFeed    = "feed"
)

// Walk crawls until the frontier is empty, max_pages is reached or ctx is
// done. A run found in the state file unfinished is resumed: the pages it
// fetched are emitted again from the state (its output was never
// published) and its frontier is crawled on.
func (w *Web) Walk(ctx context.Context, emit func(*record.Page) error) error {
	w.seen = map[string]bool{}
	w.canonical = map[string]bool{}
	w.robots = map[string]*robotsRules{}
	if w.cfg.Frontier.Type == frontierRedis && w.shared == nil {
		return errors.New("crawl: the redis frontier is not connected (UseShared was not called)")
	}
	if w.shared != nil {
		w.front = &sharedQueue{s: w.shared, log: w.log, leases: map[string]string{}}
	} else {
		w.front = newFrontier(w.pace)
	}
	front := w.front

	pending, done, err := w.state.resume()
	if err != nil {
		return err
	}
	if len(pending)+len(done) > 0 {
		w.log.Info("resuming an unfinished crawl", "state", w.state.where(), "fetched", len(done), "queued", len(pending))
		for u, d := range done {
			w.seen[u] = true // a shared crawl's were claimed in Redis already
			w.fetched++
			if len(d.Page) == 0 {
				continue
			}
			body, err := gunzipBytes(d.Page)
			if err != nil {
				return fmt.Errorf("crawl state %s: page %s: %w", w.state.where(), u, err)
			}
			w.canonical[cmp.Or(d.Canonical, d.FinalURL)] = true
			if err := emit(&record.Page{URL: d.FinalURL, Source: u, ContentType: d.ContentType, FetchedAt: d.FetchedAt, Body: body}); err != nil {
				return err
			}
		}
		for _, q := range pending {
			w.seen[q.URL] = true
			front.push(q)
		}
	} else {
		var start []queued
		add := func(list []string, kind string, depth int) {
			for _, raw := range list {
				n, _ := NormalizeURL(raw, w.cfg.StripParams)
				if !w.queueable(n) {
					continue
				}
				if w.claim(n) {
					start = append(start, queued{URL: n, Depth: depth, Kind: kind})
				}
			}
		}
		add(w.cfg.Sitemaps, kindSitemap, 0)
		add(w.cfg.Feeds, kindFeed, 0)
		add(w.cfg.Seeds, kindPage, 0)
		if err := w.state.enqueue(start); err != nil {
			return fmt.Errorf("crawl state %s: %w", w.state.where(), err)
		}
		for _, q := range start {
			front.push(q)
		}
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range w.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				q, ok := front.next(ctx)
				if !ok {
					return
				}
				links, err := w.visit(ctx, q, emit)
				if err != nil {
					cancel(err)
					front.done(q)
					return
				}
				for _, l := range links {
					front.push(l)
				}
				front.done(q)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.answered == 0 && len(w.failures) > 0 && len(pending)+len(done) == 0 {
		return fmt.Errorf("%w: no URL was answered, e.g. %s", ErrNoInput, strings.Join(w.failures, "; "))
	}
	return nil
}

// maxFailuresShown is how many failed URLs the error of a crawl that got
// no answer quotes: enough to show a pattern, short enough for one line.
const maxFailuresShown = 3

// countAnswer tallies one fetch-log row for the crawl's outcome.
func (w *Web) countAnswer(f record.Fetch) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case f.Outcome == "emitted", f.Outcome == "unchanged", f.Outcome == "not_modified", f.Outcome == "followed",
		f.Outcome == "skipped" && f.Status > 0:
		w.answered++
	case len(w.failures) < maxFailuresShown:
		w.failures = append(w.failures, fmt.Sprintf("%s %s (%s)", f.URL, f.Outcome, record.Deref(f.Error)))
	}
}

// Commit publishes the run's state: the next run sends conditional
// requests with what this one learned and starts a fresh frontier. The
// runner calls it after the sinks committed.
func (w *Web) Commit(context.Context) error {
	return w.state.commit()
}

// Close releases the state file; an uncommitted run stays resumable.
func (w *Web) Close() error {
	if w.state == nil {
		return nil
	}
	return w.state.Close()
}

// queueable reports whether the normalized URL n is short enough to
// queue. A longer one is logged as skipped once per run, under a key of
// bounded size, and never reaches the frontier or the state file.
func (w *Web) queueable(n string) bool {
	if len(n) <= int(w.cfg.MaxURLBytes) {
		return true
	}
	if !w.claim(stateKey(n)) {
		return false
	}
	reason := fmt.Sprintf("URL of %d bytes is longer than max_url_bytes %s", len(n), w.cfg.MaxURLBytes)
	w.log.Warn("not queued", "url", n[:min(len(n), 200)]+"…", "reason", reason)
	if w.fetchLog != nil {
		w.fetchLog(record.Fetch{URL: n, Outcome: "skipped", Error: &reason, FetchedAt: w.now().UTC()})
	}
	return false
}

// claim marks u as queued and reports whether it was new.
func (w *Web) claim(u string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen[u] {
		return false
	}
	w.seen[u] = true
	if w.shared != nil {
		// The visited set of all workers decides; SADD, never get-then-set.
		ok, err := w.shared.Claim(context.Background(), u)
		if err != nil {
			w.log.Error("frontier: claiming a URL", "url", u, "error", err)
		}
		return ok
	}
	return true
}

// visit fetches q and handles what came back; it returns the URLs to
// queue. Only a state-store failure or cancellation is an error: a page
// that fails goes to the fetch log.
func (w *Web) visit(ctx context.Context, q queued, emit func(*record.Page) error) ([]queued, error) {
	u, _ := url.Parse(q.URL)
	start := w.now()
	entry := record.Fetch{URL: q.URL, FetchedAt: start.UTC()}
	logFetch := func(outcome string, err error) {
		entry.Outcome = outcome
		entry.DurationMS = w.now().Sub(start).Milliseconds()
		if err != nil {
			s := err.Error()
			entry.Error = &s
			level := slog.LevelDebug
			if outcome == "failed" || outcome == "blocked" {
				level = slog.LevelWarn
			}
			w.log.Log(context.Background(), level, "not emitted", "url", q.URL, "outcome", outcome, "reason", err)
		} else {
			w.log.Debug("fetched", "url", q.URL, "outcome", outcome, "status", entry.Status)
		}
		w.countAnswer(entry)
		if w.fetchLog != nil {
			w.fetchLog(entry)
		}
	}
	finish := func(d doneEntry, links []queued) ([]queued, error) {
		if err := w.state.finish(q.URL, d, links); err != nil {
			return nil, fmt.Errorf("crawl state %s: %w", w.state.where(), err)
		}
		return links, nil
	}

	if w.cfg.Politeness.ObeyRobots || w.cfg.RobotsSitemaps {
		rules, err := w.robotsFor(ctx, u)
		if err != nil {
			return nil, err
		}
		if w.cfg.Politeness.ObeyRobots && !rules.allowed(u.EscapedPath()+queryPart(u)) {
			logFetch("disallowed", errors.New("disallowed by robots.txt"))
			return finish(doneEntry{}, nil)
		}
	}
	w.mu.Lock()
	if w.cfg.MaxPages > 0 && w.fetched >= w.cfg.MaxPages {
		w.mu.Unlock()
		logFetch("skipped", errors.New("max_pages reached"))
		return finish(doneEntry{}, nil)
	}
	w.fetched++
	w.mu.Unlock()

	known, _, err := w.state.known(q.URL)
	if err != nil {
		return nil, err
	}
	hdr := http.Header{}
	if q.Kind == kindPage {
		if known.ETag != "" {
			hdr.Set("If-None-Match", known.ETag)
		}
		if known.LastModified != "" {
			hdr.Set("If-Modified-Since", known.LastModified)
		}
	}
	res := w.fetch(ctx, q, hdr)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	entry.Attempts = int32(res.attempts)
	entry.Status = int32(res.status)
	entry.Bytes = int64(len(res.body))
	if res.contentType != "" {
		entry.ContentType = &res.contentType
	}
	if res.finalURL != "" && res.finalURL != q.URL {
		entry.FinalURL = &res.finalURL
	}
	var blocked *BlockedAddressError
	switch {
	case errors.As(res.err, &blocked):
		logFetch("blocked", res.err)
		return finish(doneEntry{}, nil)
	case res.err != nil:
		logFetch("failed", res.err)
		return finish(doneEntry{}, nil)
	case res.skipped != "":
		logFetch("skipped", fmt.Errorf("content type %q is not extracted", res.skipped))
		return finish(doneEntry{}, nil)
	case res.status == http.StatusNotModified:
		known.FetchedAt = start.UTC()
		logFetch("not_modified", nil)
		return finish(doneEntry{State: known}, w.linksOf(q, known.Links))
	case res.status != http.StatusOK:
		logFetch("failed", fmt.Errorf("HTTP %d", res.status))
		return finish(doneEntry{}, nil)
	}

	final := res.finalURL
	if final != q.URL && !w.claim(final) {
		// A redirect to a page fetched on its own: one fetch, one record.
		logFetch("followed", fmt.Errorf("redirects to %s, already crawled", final))
		return finish(doneEntry{}, nil)
	}
	switch q.Kind {
	case kindSitemap, kindFeed:
		links, kind, err := parseXMLLinks(res.body)
		if err != nil {
			logFetch("failed", fmt.Errorf("%s %s: %w", q.Kind, q.URL, err))
			return finish(doneEntry{}, nil)
		}
		var out []queued
		for _, s := range links.Sitemaps {
			out = append(out, w.link(s, final, q.Depth, kindSitemap)...)
		}
		for _, p := range links.Pages {
			out = append(out, w.link(p, final, 0, kindPage)...)
		}
		logFetch("followed", nil)
		w.log.Debug("read links", "url", q.URL, "kind", kind, "pages", len(links.Pages), "sitemaps", len(links.Sitemaps))
		return finish(doneEntry{}, out)
	}

	sum := sha256.Sum256(res.body)
	state := urlState{ETag: res.header.Get("ETag"), LastModified: res.header.Get("Last-Modified"), Hash: hex.EncodeToString(sum[:]), FetchedAt: start.UTC()}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(res.body))
	if err != nil {
		logFetch("failed", fmt.Errorf("parsing HTML: %w", err))
		return finish(doneEntry{}, nil)
	}
	base, _ := url.Parse(final)
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	var links []string
	if w.belowMaxDepth(q.Depth) {
		scope := doc.Selection
		if w.scopes != "" {
			scope = doc.Find(w.scopes)
		}
		scope.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			if rel := strings.ToLower(a.AttrOr("rel", "")); strings.Contains(rel, "nofollow") {
				return
			}
			if ref, err := base.Parse(strings.TrimSpace(a.AttrOr("href", ""))); err == nil {
				links = append(links, ref.String())
			}
		})
	}
	state.Links = w.keepLinks(links)
	out := w.linksOf(q, state.Links)

	emitIt := len(w.reviews) == 0 || matchAny(w.reviews, final)
	if emitIt && known.Hash == state.Hash {
		// The server ignores conditional requests, but the page is the one
		// delivered before.
		logFetch("unchanged", nil)
		return finish(doneEntry{State: state}, out)
	}
	if emitIt {
		canon := final
		if href, ok := doc.Find(`link[rel~="canonical"][href]`).First().Attr("href"); ok {
			if c, err := base.Parse(strings.TrimSpace(href)); err == nil {
				if n, err := NormalizeURL(c.String(), w.cfg.StripParams); err == nil {
					canon = n
				}
			}
		}
		dup := !w.claimCanonical(canon)
		if canon != final && canon != q.URL {
			w.claim(canon) // the canonical page is this one: no second fetch
		}
		if dup {
			logFetch("followed", fmt.Errorf("canonical URL %s already emitted", canon))
			return finish(doneEntry{State: state}, out)
		}
		// The page is stored before it is emitted, so a run killed after
		// this point re-emits it on resume instead of fetching it again.
		d := doneEntry{State: state, Page: gzipBytes(res.body), FinalURL: final, Canonical: canon, ContentType: res.contentType, FetchedAt: start.UTC()}
		if _, err := finish(d, out); err != nil {
			return nil, err
		}
		w.emitMu.Lock()
		err := emit(&record.Page{URL: final, Source: q.URL, ContentType: res.contentType, FetchedAt: start.UTC(), Body: res.body})
		w.emitMu.Unlock()
		if err != nil {
			return nil, err
		}
		logFetch("emitted", nil)
		return out, nil
	}
	logFetch("followed", nil)
	return finish(doneEntry{State: state}, out)
}

// belowMaxDepth reports whether links of a page at depth are followed.
func (w *Web) belowMaxDepth(depth int) bool { return w.cfg.MaxDepth == 0 || depth < w.cfg.MaxDepth }

// keepLinks normalizes links and keeps those the follow rules allow.
func (w *Web) keepLinks(links []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range links {
		n, err := NormalizeURL(raw, w.cfg.StripParams)
		if err != nil || seen[n] {
			continue
		}
		u, _ := url.Parse(n)
		if !w.hosts[hostKey(u)] {
			continue
		}
		if len(w.allow) > 0 && !matchAny(w.allow, n) || matchAny(w.deny, n) {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// linksOf queues the links of page q that are new this run.
func (w *Web) linksOf(q queued, links []string) []queued {
	if !w.belowMaxDepth(q.Depth) {
		return nil
	}
	var out []queued
	for _, l := range links {
		if w.queueable(l) && w.claim(l) {
			out = append(out, queued{URL: l, Depth: q.Depth + 1, Kind: kindPage})
		}
	}
	return out
}

// link resolves a sitemap or feed entry and queues it when new and on a
// crawled host; depth is the entry's parent's.
func (w *Web) link(raw, base string, depth int, kind string) []queued {
	b, _ := url.Parse(base)
	ref, err := b.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil
	}
	n, err := NormalizeURL(ref.String(), w.cfg.StripParams)
	if err != nil {
		return nil
	}
	u, _ := url.Parse(n)
	if !w.hosts[hostKey(u)] || kind == kindPage && matchAny(w.deny, n) {
		return nil
	}
	if !w.queueable(n) || !w.claim(n) {
		return nil
	}
	return []queued{{URL: n, Depth: depth, Kind: kind}}
}

func queryPart(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// fetchRobots fetches a host's robots.txt; in a shared crawl, one worker
// does and the others read its answer from the frontier.
func (w *Web) fetchRobots(ctx context.Context, host, robotsURL string) fetchResult {
	if w.shared == nil {
		return w.fetch(ctx, queued{URL: robotsURL, Kind: "robots"}, http.Header{})
	}
	var mine *fetchResult
	data, err := w.shared.Robots(ctx, host, func() ([]byte, error) {
		res := w.fetch(ctx, queued{URL: robotsURL, Kind: "robots"}, http.Header{})
		mine = &res
		if res.err != nil {
			return []byte("0\n" + res.err.Error()), nil
		}
		return append([]byte(strconv.Itoa(res.status)+"\n"), res.body...), nil
	})
	if mine != nil {
		return *mine
	}
	if err != nil {
		return fetchResult{err: err}
	}
	// Another worker's answer: not fetched here, so not in this worker's
	// fetch log (attempts 0).
	head, body, _ := strings.Cut(string(data), "\n")
	status, _ := strconv.Atoi(head)
	if status == 0 {
		return fetchResult{err: errors.New(body)}
	}
	return fetchResult{status: status, body: []byte(body), attempts: 0}
}

// robotsFor returns u's host's robots.txt rules, fetching them once; its
// Crawl-delay raises the host's delay and its Sitemap lines are queued.
func (w *Web) robotsFor(ctx context.Context, u *url.URL) (*robotsRules, error) {
	host := hostKey(u)
	w.mu.Lock()
	r := w.robots[host]
	if r == nil {
		r = &robotsRules{}
		w.robots[host] = r
	}
	w.mu.Unlock()
	r.once.Do(func() {
		robotsURL := u.Scheme + "://" + u.Host + "/robots.txt"
		start := w.now()
		res := w.fetchRobots(ctx, host, robotsURL)
		entry := record.Fetch{URL: robotsURL, Status: int32(res.status), Bytes: int64(len(res.body)), Attempts: int32(res.attempts), FetchedAt: start.UTC(), DurationMS: w.now().Sub(start).Milliseconds(), Outcome: "followed"}
		if res.err != nil {
			// No answer at all: treat the host as robots.txt-less, as
			// crawlers do for 4xx, but say so.
			s := res.err.Error()
			entry.Error, entry.Outcome = &s, "failed"
			r.err = res.err
		} else {
			parsed := parseRobots(res.status, res.body, "reviewpipe")
			r.group, r.delay, r.maps, r.err = parsed.group, parsed.delay, parsed.maps, parsed.err
		}
		if w.fetchLog != nil && (w.shared == nil || res.attempts > 0 || res.err != nil) {
			w.fetchLog(entry) // a shared crawl logs it in the worker that fetched it
		}
		if r.delay > 0 && w.cfg.Politeness.ObeyRobots {
			w.setHostDelay(host, r.delay)
		}
	})
	if w.cfg.RobotsSitemaps && len(r.maps) > 0 {
		var qs []queued
		for _, m := range r.maps {
			qs = append(qs, w.link(m, u.String(), 0, kindSitemap)...)
		}
		if len(qs) > 0 {
			if err := w.state.enqueue(qs); err != nil {
				return nil, fmt.Errorf("crawl state %s: %w", w.state.where(), err)
			}
			for _, q := range qs {
				w.front.push(q)
			}
		}
	}
	return r, nil
}
