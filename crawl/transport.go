package crawl

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
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
	pace    *pacer
	maxBody int64
}

func newTransport(allowPrivate bool, dialTimeout time.Duration, pace *pacer, maxBody int64) *transport {
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
	return &transport{base: base, pace: pace, maxBody: maxBody}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.pace.acquire(req.Context(), hostKey(req.URL))
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	body := io.ReadCloser(&limitedBody{r: resp.Body, c: resp.Body, left: t.maxBody, limit: t.maxBody, done: release})
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
	return resp, nil
}

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
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &BodyTooLargeError{Limit: b.limit}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
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
