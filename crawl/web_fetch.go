package crawl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
)

// The crawler's requests: retries, backoff, Retry-After, one attempt
// through colly, and what came back.

// fetchResult is one URL's outcome across its attempts.
type fetchResult struct {
	status      int
	header      http.Header
	body        []byte
	finalURL    string
	contentType string
	attempts    int
	err         error
	skipped     string // content type of a page not downloaded
}

// fetch makes up to max_attempts requests for q: 429 and 503 wait for
// Retry-After (capped), other 5xx and network errors back off
// exponentially with jitter.
func (w *Web) fetch(ctx context.Context, q queued, hdr http.Header) fetchResult {
	var res fetchResult
	u, _ := url.Parse(q.URL)
	for attempt := 1; ; attempt++ {
		res = w.attempt(ctx, q, hdr)
		res.attempts = attempt
		if ctx.Err() != nil || attempt >= w.cfg.MaxAttempts {
			return res
		}
		var wait time.Duration
		switch {
		case res.err != nil:
			var blocked *BlockedAddressError
			var redirect *redirectError
			if errors.As(res.err, &blocked) || isTooLarge(res.err) || errors.As(res.err, &redirect) {
				return res // retrying changes nothing
			}
			wait = w.backoff(attempt)
		case res.status == http.StatusTooManyRequests || res.status == http.StatusServiceUnavailable:
			wait = w.backoff(attempt)
			if ra, ok := retryAfter(res.header.Get("Retry-After"), w.now()); ok {
				if ra > time.Duration(w.cfg.MaxRetryAfter) {
					res.err = fmt.Errorf("HTTP %d with Retry-After %s, longer than max_retry_after", res.status, ra.Round(time.Second))
					return res
				}
				wait = ra
			}
			w.pauseHost(hostKey(u), w.now().Add(wait))
		case res.status >= 500:
			wait = w.backoff(attempt)
		default:
			return res
		}
		w.log.Debug("retrying", "url", q.URL, "attempt", attempt, "wait", wait, "status", res.status, "err", res.err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res
		case <-t.C:
		}
	}
}

func (w *Web) backoff(attempt int) time.Duration {
	d := time.Duration(w.cfg.RetryBase) << (attempt - 1)
	if d <= 0 || d > time.Duration(w.cfg.RetryMax) {
		d = time.Duration(w.cfg.RetryMax)
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// attempt is one request through colly.
func (w *Web) attempt(ctx context.Context, q queued, hdr http.Header) fetchResult {
	cctx := colly.NewContext()
	cctx.Put("kind", q.Kind)
	h := hdr.Clone()
	h.Set("User-Agent", w.cfg.userAgent())
	if q.Kind == kindPage {
		h.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	}
	c := w.collector.Clone()
	c.Context = ctx
	c.OnResponseHeaders(func(r *colly.Response) {
		// A page that is no HTML is not downloaded: a 50 MB video costs
		// its headers only.
		if r.Ctx.Get("kind") == kindPage && r.StatusCode == http.StatusOK && !w.htmlType(r.Headers.Get("Content-Type")) {
			r.Ctx.Put("skipped", r.Headers.Get("Content-Type"))
			r.Request.Abort()
		}
	})
	c.OnResponse(func(r *colly.Response) { r.Ctx.Put("response", r) })
	err := c.Request(http.MethodGet, q.URL, nil, cctx, h)
	var res fetchResult
	if s := cctx.Get("skipped"); s != "" {
		res.skipped, res.contentType, res.status = s, s, http.StatusOK
		return res
	}
	if r, ok := cctx.GetAny("response").(*colly.Response); ok && r != nil {
		res.status, res.body = r.StatusCode, r.Body
		if r.Headers != nil {
			res.header = *r.Headers
			res.contentType = res.header.Get(originalContentType)
			if res.contentType == "" {
				res.contentType = res.header.Get("Content-Type")
			}
		}
		if n, nerr := NormalizeURL(r.Request.URL.String(), w.cfg.StripParams); nerr == nil {
			res.finalURL = n
		}
	}
	if res.header == nil {
		res.header = http.Header{}
	}
	if err != nil && !errors.Is(err, colly.ErrAbortedAfterHeaders) {
		res.err = unwrapURLError(err)
	}
	return res
}

// unwrapURLError drops the "Get "…": " prefix the fetch log already has.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (w *Web) htmlType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct == "" // no type: let extraction sniff it
	}
	for _, t := range w.cfg.ContentTypes {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}
