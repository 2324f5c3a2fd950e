package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/transform"
)

// ExtractResult is one line of `reviewpipe extract`: the review with the
// output columns' names, or the reject when the page gave none.
type ExtractResult struct {
	*record.Review
	Reject *record.Reject `json:"reject,omitempty"`
}

// MarshalJSON writes a review as its columns, or a reject as url, source
// and the reject; one shape per outcome keeps jq filters simple.
func (r ExtractResult) MarshalJSON() ([]byte, error) {
	if r.Reject != nil {
		return marshalText(struct {
			URL    string         `json:"url"`
			Source string         `json:"source"`
			Reject *record.Reject `json:"reject"`
		}{r.Reject.URL, r.Reject.Source, r.Reject})
	}
	return marshalText(r.Review)
}

// marshalText is json.Marshal without HTML escaping: review text is full of
// "&" and "<" that readers of the output want to see as they are.
func marshalText(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// ExtractFiles runs extract and transform (with cfg's settings) on each
// file and writes one JSON object per file to w, in the order given.
// pageURL, if set, is the URL of pages that declare no canonical URL. Pages
// are processed in parallel; the output order does not depend on it.
// It returns the number of rejected pages.
func ExtractFiles(ctx context.Context, cfg *Config, files []string, pageURL string, w io.Writer, log *slog.Logger) (int, error) {
	ex, err := extract.New(cfg.Extract, log)
	if err != nil {
		return 0, err
	}
	chain, err := transform.Standard(cfg.Transform)
	if err != nil {
		return 0, err
	}
	r := &Runner{extractor: ex, transforms: chain, log: slog.New(slog.DiscardHandler)}
	if log != nil {
		r.log = log
	}

	workers := runtime.GOMAXPROCS(0)
	type slot struct {
		file string
		done chan outcome
	}
	queue := make(chan slot, 2*workers)
	sem := make(chan struct{}, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	go func() {
		defer close(queue)
		for _, f := range files {
			s := slot{file: f, done: make(chan outcome, 1)}
			select {
			case queue <- s:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				defer func() { <-sem }()
				p := readOne(s.file, pageURL)
				out, err := r.process(ctx, p)
				if err != nil {
					out = outcome{reject: newReject(p, record.StageExtract, err)}
				}
				s.done <- out
			}()
		}
	}()

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	rejected := 0
	for s := range queue {
		var out outcome
		select {
		case out = <-s.done:
		case <-ctx.Done():
			return rejected, ctx.Err()
		}
		res := ExtractResult{Review: out.review, Reject: out.reject}
		if out.review == nil && out.reject == nil {
			res.Reject = &record.Reject{Source: s.file, Stage: string(record.StageTransform), Reason: "dropped"}
		}
		if res.Reject != nil {
			rejected++
		}
		if err := enc.Encode(res); err != nil {
			return rejected, fmt.Errorf("writing result for %q: %w", s.file, err)
		}
	}
	return rejected, ctx.Err()
}

// readOne reads a single file through the files source, so that the
// extract command sees pages exactly as a run does (gzip, size limits,
// file URLs).
func readOne(file, pageURL string) *record.Page {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	name := strings.TrimPrefix(filepath.ToSlash(abs), "/")
	cfg := crawl.DefaultFilesConfig()
	cfg.Paths = []string{name}
	src, err := crawl.NewFiles(cfg, os.DirFS("/"), func(n string) string { return "/" + n }, nil)
	if err != nil {
		return &record.Page{Source: file, Err: err}
	}
	page := src.Read(name)
	page.Source = file
	if pageURL != "" {
		page.URL = pageURL
	}
	return page
}
