package crawl

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// BodyTooLargeError is the read error of a response body, raw or decoded,
// that passed max_body_bytes.
type BodyTooLargeError struct{ Limit int64 }

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("body larger than max_body_bytes (%d bytes)", e.Limit)
}

// transport is the crawler's http.RoundTripper: every hop is paced per
// host, dialled through the address guard, and its body read through a
// size limit that also holds after gzip decoding.
type transport struct {
	base    http.RoundTripper
	pace    slotPacer
	maxBody int64
	timeout time.Duration
}

// TimeoutError ends a hop that got no complete answer in time; the clock
// starts when the hop's turn comes, not while it waits for its host.
type TimeoutError struct{ Timeout time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("Timeout: no complete answer within %s", e.Timeout)
}

// slotPacer spaces every request attempt to a host: the local pacer, or
// the one shared by a crawl's workers.
type slotPacer interface {
	acquire(ctx context.Context, host string) (release func(), err error)
}

func newTransport(allowPrivate bool, timeout time.Duration, pace slotPacer, maxBody int64) *transport {
	dialTimeout := min(timeout, 10*time.Second)
	base := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, around the guard
		DialContext:           newDialer(allowPrivate, dialTimeout),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   dialTimeout,
		ResponseHeaderTimeout: 0, // the client timeout ends the whole exchange
	}
	return &transport{base: base, pace: pace, maxBody: maxBody, timeout: timeout}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.pace.acquire(req.Context(), hostKey(req.URL))
	if err != nil {
		return nil, err
	}
	cause := &TimeoutError{Timeout: t.timeout}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, cause)
	done := func() { cancel(); release() }
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if context.Cause(ctx) == cause {
			err = cause
		}
		done()
		return nil, err
	}
	body := io.ReadCloser(&limitedBody{r: resp.Body, c: resp.Body, left: t.maxBody, limit: t.maxBody, done: done, ctx: ctx, cause: cause})
	// A body the server compressed on its own (a .xml.gz sitemap, an
	// explicit Content-Encoding Go did not ask for) is decoded here, under
	// the same limit, so a gzip bomb stops at max_body_bytes too.
	if !resp.Uncompressed && gzipped(req, resp) {
		zr, err := gzip.NewReader(body)
		if err != nil {
			body.Close()
			return nil, fmt.Errorf("%s: gzip body: %w", req.URL, err)
		}
		body = &limitedBody{r: zr, c: body, left: t.maxBody, limit: t.maxBody}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	resp.Body = body
	// colly re-encodes a body whose Content-Type names a charset; the
	// extractor decodes it instead, from the header, BOM, <meta> or the
	// bytes, so colly sees the bare media type and the page the original.
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		resp.Header.Set(originalContentType, ct)
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			resp.Header.Set("Content-Type", mt)
		}
	}
	return resp, nil
}

// originalContentType carries the server's Content-Type past colly.
const originalContentType = "X-Reviewpipe-Content-Type"

func gzipped(req *http.Request, resp *http.Response) bool {
	if strings.Contains(strings.ToLower(resp.Header.Get("Content-Encoding")), "gzip") {
		return true
	}
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return strings.Contains(ct, "gzip") || strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz") && !strings.Contains(ct, "text/")
}

// limitedBody fails a read once more than limit bytes came through, and
// calls done (the pacer release) when closed.
type limitedBody struct {
	r     io.Reader
	c     io.Closer
	left  int64
	limit int64
	done  func()
	ctx   context.Context // the hop's, to tell a timeout from other read errors
	cause error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &BodyTooLargeError{Limit: b.limit}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.ctx != nil && context.Cause(b.ctx) == b.cause {
		err = b.cause
	}
	b.left -= int64(n)
	if b.left < 0 {
		return n - int(-b.left), &BodyTooLargeError{Limit: b.limit}
	}
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.c.Close()
	if b.done != nil {
		b.done()
	}
	return err
}

// isTooLarge reports whether err comes from a body over the limit.
func isTooLarge(err error) bool {
	var e *BodyTooLargeError
	return errors.As(err, &e)
}
