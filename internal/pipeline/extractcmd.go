package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/runstats"
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

// ExtractOptions are the extract command's choices.
type ExtractOptions struct {
	// PageURL, if set, is the URL of pages that declare no canonical URL.
	PageURL string
	// Format is json (JSON Lines, the columns), markdown or text.
	Format string
	// Stdin is read for the input "-".
	Stdin io.Reader
}

// Extract formats.
const (
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
	FormatText     = "text"
)

// ExtractInputs runs extract and transform (with cfg's settings) on each
// input — a file, a folder (its .html, .htm and .html.gz files, in name
// order), an http(s) URL (fetched once with the crawl's rules: those of
// cfg's first crawl source, else the defaults) or "-" (stdin) — and writes
// one result per page to w, in input order, as opts.Format says. Pages are
// processed in parallel. It returns the number of rejected pages.
func ExtractInputs(ctx context.Context, cfg *Config, inputs []string, opts ExtractOptions, w io.Writer, log *slog.Logger) (int, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ex, err := extract.New(cfg.Extract, log)
	if err != nil {
		return 0, err
	}
	chain, err := transform.Standard(cfg.Transform)
	if err != nil {
		return 0, err
	}
	r := &Runner{extractor: ex, transforms: chain, log: log, stats: runstats.New(time.Now())}
	loaders, err := expandInputs(ctx, cfg, inputs, opts, log)
	if err != nil {
		return 0, err
	}
	write, err := resultWriter(opts.Format, w)
	if err != nil {
		return 0, err
	}

	workers := runtime.GOMAXPROCS(0)
	type slot struct {
		name string
		done chan outcome
	}
	queue := make(chan slot, 2*workers)
	sem := make(chan struct{}, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	go func() {
		defer close(queue)
		for _, l := range loaders {
			s := slot{name: l.name, done: make(chan outcome, 1)}
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
				p := l.load(ctx)
				out, err := r.process(ctx, p)
				if err != nil {
					out = outcome{reject: newReject(p, record.StageExtract, err)}
				}
				s.done <- out
			}()
		}
	}()

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
			res.Reject = &record.Reject{Source: s.name, Stage: string(record.StageTransform), Reason: "dropped"}
		}
		if res.Reject != nil {
			rejected++
		}
		if err := write(res); err != nil {
			return rejected, fmt.Errorf("writing the result for %q: %w", s.name, err)
		}
	}
	return rejected, ctx.Err()
}

// loader reads one input page when its turn comes.
type loader struct {
	name string
	load func(context.Context) *record.Page
}

// htmlExtensions are the files a folder given to extract contributes.
var htmlExtensions = []string{".html", ".htm", ".html.gz", ".htm.gz"}

// expandInputs turns the command line's inputs into page loaders.
func expandInputs(ctx context.Context, cfg *Config, inputs []string, opts ExtractOptions, log *slog.Logger) ([]loader, error) {
	web := crawl.DefaultWebConfig()
	for _, s := range cfg.Sources {
		if wc, ok := s.Spec.(*crawl.WebConfig); ok {
			web = *wc
			break
		}
	}
	var out []loader
	stdinUsed := false
	for _, in := range inputs {
		switch {
		case in == "-":
			if stdinUsed {
				return nil, errors.New(`"-" (stdin) given twice`)
			}
			stdinUsed = true
			out = append(out, loader{"-", func(context.Context) *record.Page { return withURL(readStdin(opts.Stdin), opts.PageURL) }})
		case strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://"):
			u := in
			out = append(out, loader{u, func(ctx context.Context) *record.Page { return crawl.FetchOne(ctx, web, u, log) }})
		default:
			files, err := filesOf(ctx, in)
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				out = append(out, loader{f, func(context.Context) *record.Page { return withURL(readOne(f), opts.PageURL) }})
			}
		}
	}
	return out, nil
}

// withURL gives a read page the --url address, which its canonical URL
// overrides.
func withURL(p *record.Page, u string) *record.Page {
	if u != "" {
		p.URL = u
	}
	return p
}

// filesOf is the file itself, or a folder's HTML files in name order.
func filesOf(ctx context.Context, in string) ([]string, error) {
	st, err := os.Stat(in)
	if err != nil || !st.IsDir() {
		return []string{in}, nil // a missing file becomes a reject naming it
	}
	var files []string
	err = filepath.WalkDir(in, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading folder %s: %w", in, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		lower := strings.ToLower(p)
		for _, ext := range htmlExtensions {
			if !d.IsDir() && strings.HasSuffix(lower, ext) {
				files = append(files, p)
				break
			}
		}
		return nil
	})
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("folder %s holds no %s file", in, strings.Join(htmlExtensions, ", "))
	}
	return files, err
}

// maxStdinBytes bounds a page read from stdin like a file of the files
// source (its max_file_bytes default).
const maxStdinBytes = 16 << 20

// readStdin reads one page from stdin.
func readStdin(r io.Reader) *record.Page {
	p := &record.Page{URL: "stdin:", Source: "-", FetchedAt: time.Now().UTC()}
	if r == nil {
		r = os.Stdin
	}
	body, err := io.ReadAll(io.LimitReader(r, maxStdinBytes+1))
	switch {
	case err != nil:
		p.Err = fmt.Errorf("reading stdin: %w", err)
	case len(body) > maxStdinBytes:
		p.Err = &record.RejectError{Reason: record.ReasonTooLarge, Detail: fmt.Sprintf("stdin holds more than %d bytes", maxStdinBytes)}
	default:
		p.Body = maybeGunzip(body)
	}
	return p
}

// readOne reads a single file through the files source, so that the
// extract command sees pages exactly as a run does (gzip, size limits,
// file URLs).
func readOne(file string) *record.Page {
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
	return page
}
