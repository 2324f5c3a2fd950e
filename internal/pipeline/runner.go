package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/sinks"
	"github.com/reviewpipe/reviewpipe/transform"
)

// Extractor turns a page into a review. It must be safe for concurrent use
// and must not retain the page. An expected failure is a
// *record.RejectError; any other error also rejects the page, as "failed".
type Extractor interface {
	Extract(ctx context.Context, p *record.Page) (*record.Review, error)
}

var _ Extractor = (*extract.Extractor)(nil)

// ErrNoInput is wrapped by the error of a run that read no page because
// every source's inputs failed (no file matched, no URL answered); the
// run published nothing.
var ErrNoInput = crawl.ErrNoInput

// Runner runs one pipeline: it owns the built components of a Config.
type Runner struct {
	sources    []namedSource
	extractor  Extractor
	transforms transform.Transform
	dedup      *transform.Deduper
	sinks      []namedSink
	workers    int
	queue      int
	batch      int
	memLimit   int64
	outputs    []string
	log        *slog.Logger
	runID      string
}

type namedSource struct {
	name string
	crawl.Source
}

type namedSink struct {
	name string
	sinks.Sink
}

// Summary counts what a run did.
type Summary struct {
	RunID     string
	Read      int64 // pages the sources yielded
	Extracted int64 // pages the extractor turned into reviews
	Rejected  int64 // pages that became rejects, at any stage
	Dropped   int64 // reviews a transform filtered out on purpose
	Written   int64 // reviews handed to the sinks
	Fetches   int64 // fetch-log rows (crawl requests) handed to the sinks
	// RejectReasons counts rejects by "stage/reason".
	RejectReasons map[string]int64
	// RuleFallbacks counts, by "site/field", the pages on which a per-site
	// rule's selector matched nothing and the heuristics stood in.
	RuleFallbacks map[string]int64
	// FailedSources counts the sources that yielded nothing because their
	// inputs failed (crawl.ErrNoInput) while others yielded pages.
	FailedSources int
	Outputs       []string
	Duration      time.Duration
}

// Build makes a Runner from a validated config. runID names the run's
// output files; log receives the run's logs.
func Build(cfg *Config, runID string, log *slog.Logger) (*Runner, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	env := buildEnv{runID: runID, log: log}
	r := &Runner{
		workers:  cfg.Pipeline.Workers,
		queue:    cfg.Pipeline.QueueSize,
		batch:    cfg.Pipeline.BatchSize,
		memLimit: int64(cfg.Pipeline.MemoryLimit),
		log:      log.With("component", "pipeline"),
		runID:    runID,
	}
	if r.workers == 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	for i, c := range cfg.Sources {
		src, err := sourceKinds[c.Type].build(c.Spec, cfg, env)
		if err != nil {
			r.closeSources()
			return nil, fmt.Errorf("building %s: %w", describe(c, i, "sources"), err)
		}
		r.sources = append(r.sources, namedSource{describe(c, i, "sources"), src.(crawl.Source)})
	}
	ex, err := extract.New(cfg.Extract, log)
	if err != nil {
		r.closeSources()
		return nil, fmt.Errorf("building extractor: %w", err)
	}
	r.extractor = ex
	chain, err := transform.Standard(cfg.Transform)
	if err != nil {
		r.closeSources()
		return nil, fmt.Errorf("building transforms: %w", err)
	}
	dupCfg := cfg.Transform.Duplicates
	if dupCfg.State != "" {
		dupCfg.State = cfg.resolveOutput(dupCfg.State)
	}
	if r.dedup, err = transform.NewDeduper(dupCfg, log.With("component", "duplicates")); err != nil {
		r.closeSources()
		return nil, fmt.Errorf("building transforms: %w", err)
	}
	// Last, so that only reviews that will be written are remembered.
	r.transforms = append(chain, r.dedup)
	for i, c := range cfg.Sinks {
		s, err := sinkKinds[c.Type].build(c.Spec, cfg, env)
		if err != nil {
			r.abortSinks()
			r.closeSources()
			return nil, fmt.Errorf("building %s: %w", describe(c, i, "sinks"), err)
		}
		r.sinks = append(r.sinks, namedSink{describe(c, i, "sinks"), s.(sinks.Sink)})
		r.outputs = append(r.outputs, outputsOf(c.Spec, cfg)...)
	}
	return r, nil
}

// outcome is what a worker made of one page.
type outcome struct {
	review *record.Review
	reject *record.Reject
	fetch  *record.Fetch // a crawl fetch-log row, passed straight to the sinks
}

// fetchLogger is the optional capability of a source that logs its
// requests (the crawler's pages dataset).
type fetchLogger interface {
	SetFetchLog(func(record.Fetch))
}

// sourceCommitter is the optional capability of a source with state that
// must change only once the run's output is published.
type sourceCommitter interface {
	Commit(ctx context.Context) error
}

// Run streams every page through the stages and commits the sinks when all
// pages are done. On error or cancellation the sinks are aborted, so a
// failed run publishes nothing. Rejected pages do not fail the run.
func (r *Runner) Run(ctx context.Context) (Summary, error) {
	start := time.Now()
	if r.memLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(r.memLimit))
		defer r.checkMemoryLimit()
	}
	sum := Summary{RunID: r.runID, RejectReasons: map[string]int64{}, RuleFallbacks: map[string]int64{}, Outputs: r.outputs}
	var read, extracted, dropped atomic.Int64

	g, gctx := errgroup.WithContext(ctx)
	pages := make(chan *record.Page, r.queue)
	results := make(chan outcome, r.queue)
	defer r.closeSources()
	for _, s := range r.sources {
		if fl, ok := s.Source.(fetchLogger); ok {
			// Sources finish (and stop logging) before the workers close
			// results.
			fl.SetFetchLog(func(f record.Fetch) {
				select {
				case results <- outcome{fetch: &f}:
				case <-gctx.Done():
				}
			})
		}
	}

	var noInput []error // sources that yielded nothing because their inputs failed
	g.Go(func() error {
		defer close(pages)
		for _, s := range r.sources {
			err := s.Walk(gctx, func(p *record.Page) error {
				read.Add(1)
				crashpoint.Hit("run.page")
				select {
				case pages <- p:
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			})
			if errors.Is(err, crawl.ErrNoInput) {
				// Other sources may still yield; the run decides at the end.
				r.log.Error("source yielded nothing", "source", s.name, "error", err)
				noInput = append(noInput, fmt.Errorf("%s: %w", s.name, err))
				continue
			}
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		return nil
	})

	var workers sync.WaitGroup
	for range r.workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			for p := range pages {
				out, err := r.process(gctx, p)
				if err != nil {
					return err
				}
				if out.review != nil {
					extracted.Add(1)
				} else if out.reject == nil {
					dropped.Add(1)
					continue
				} else if out.reject.Stage != string(record.StageSource) && out.reject.Stage != string(record.StageExtract) {
					extracted.Add(1)
				}
				select {
				case results <- out:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() {
		workers.Wait()
		close(results)
	}()

	g.Go(func() error { return r.write(gctx, results, &sum) })

	err := g.Wait()
	sum.Read, sum.Extracted, sum.Dropped = read.Load(), extracted.Load(), dropped.Load()
	sum.FailedSources = len(noInput)
	if err == nil && sum.Read == 0 && len(noInput) > 0 {
		// An empty run published as a success would hide a broken glob or
		// an unreachable site until someone missed the data.
		err = errors.Join(noInput...)
	}
	if err != nil {
		r.abortSinks()
		sum.Duration = time.Since(start)
		return sum, err
	}
	for _, s := range r.sinks {
		if err := s.Commit(ctx); err != nil {
			r.abortSinks()
			sum.Duration = time.Since(start)
			return sum, fmt.Errorf("committing %s: %w", s.name, err)
		}
	}
	sum.Duration = time.Since(start)
	crashpoint.Hit("run.published")
	for _, s := range r.sources {
		if sc, ok := s.Source.(sourceCommitter); ok {
			if err := sc.Commit(ctx); err != nil {
				// The output is out; the next run repeats this one's fetches.
				return sum, fmt.Errorf("output published, but %s: %w", s.name, err)
			}
		}
	}
	if r.dedup == nil {
		return sum, nil
	}
	if err := r.dedup.Commit(); err != nil {
		// The output is out; only later runs' duplicate_of suffer.
		return sum, fmt.Errorf("output published, but %w", err)
	}
	return sum, nil
}

// process runs one page through extract and transform. Only cancellation
// is returned as an error: every page-level failure, panics included,
// becomes a reject naming the page.
func (r *Runner) process(ctx context.Context, p *record.Page) (out outcome, err error) {
	stage := record.StageSource
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("panic while processing page", "url", p.URL, "source", p.Source, "stage", stage, "panic", v, "stack", string(debug.Stack()))
			out, err = outcome{reject: newReject(p, stage, &record.RejectError{Reason: record.ReasonPanic, Detail: fmt.Sprint(v)})}, nil
		}
	}()
	if p.Err != nil {
		return outcome{reject: newReject(p, stage, p.Err)}, nil
	}
	stage = record.StageExtract
	rev, err := r.extractor.Extract(ctx, p)
	if err != nil {
		if ctx.Err() != nil {
			return outcome{}, ctx.Err()
		}
		return outcome{reject: newReject(p, stage, err)}, nil
	}
	if rev.Source == "" {
		rev.Source = p.Source
	}
	stage = record.StageTransform
	if err := r.transforms.Apply(ctx, rev); err != nil {
		switch {
		case ctx.Err() != nil:
			return outcome{}, ctx.Err()
		case errors.Is(err, transform.ErrDrop):
			return outcome{}, nil
		}
		rj := newReject(p, stage, err)
		rj.URL = rev.URL
		return outcome{reject: rj}, nil
	}
	return outcome{review: rev}, nil
}

func newReject(p *record.Page, stage record.Stage, err error) *record.Reject {
	rj := &record.Reject{URL: p.URL, Source: p.Source, Stage: string(stage), At: time.Now().UTC()}
	if re, ok := record.AsReject(err); ok {
		rj.Reason, rj.Detail = string(re.Reason), record.Str(re.Detail)
	} else {
		rj.Reason, rj.Detail = string(record.ReasonFailed), record.Str(err.Error())
	}
	return rj
}

// write batches outcomes into the sinks. It is the only goroutine that
// touches the sinks before commit, as the Sink contract requires.
func (r *Runner) write(ctx context.Context, results <-chan outcome, sum *Summary) error {
	reviews := make([]record.Review, 0, r.batch)
	var rejects []record.Reject
	var fetches []record.Fetch
	flush := func() error {
		if len(fetches) > 0 {
			for _, s := range r.sinks {
				if fw, ok := s.Sink.(sinks.FetchWriter); ok {
					if err := fw.WriteFetches(ctx, fetches); err != nil {
						return fmt.Errorf("writing the fetch log to %s: %w", s.name, err)
					}
				}
			}
			sum.Fetches += int64(len(fetches))
			fetches = fetches[:0]
		}
		if len(reviews) > 0 {
			left := map[int]*record.Reject{}
			for _, s := range r.sinks {
				err := s.Write(ctx, reviews)
				var rowsErr *sinks.RowsError
				if errors.As(err, &rowsErr) {
					r.rowRejects(s.name, reviews, rowsErr, left)
				} else if err != nil {
					return fmt.Errorf("writing to %s: %w", s.name, err)
				}
			}
			sum.Written += int64(len(reviews) - len(left))
			for _, rj := range left {
				r.countReject(sum, rj)
				rejects = append(rejects, *rj)
			}
			reviews = reviews[:0]
		}
		if len(rejects) > 0 {
			for _, s := range r.sinks {
				if rw, ok := s.Sink.(sinks.RejectWriter); ok {
					if err := rw.WriteRejects(ctx, rejects); err != nil {
						return fmt.Errorf("writing rejects to %s: %w", s.name, err)
					}
				}
			}
			rejects = rejects[:0]
		}
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case out, ok := <-results:
			if !ok {
				return flush()
			}
			if out.fetch != nil {
				fetches = append(fetches, *out.fetch)
			} else if out.reject != nil {
				r.countReject(sum, out.reject)
				rejects = append(rejects, *out.reject)
			} else {
				for _, note := range out.review.Notes {
					r.log.Info("value dropped", "url", out.review.URL, "why", note)
				}
				for _, field := range out.review.RuleFallbacks {
					sum.RuleFallbacks[record.Deref(out.review.Site)+"/"+field]++
				}
				reviews = append(reviews, *out.review)
			}
			if len(reviews) >= r.batch || len(rejects) >= r.batch || len(fetches) >= r.batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
}

// memoryLimitShare is the share of pipeline.memory_limit the live heap
// may fill at the end of a run before the run suggests raising the limit:
// above it the collector had little room and ran often.
const memoryLimitShare = 0.75

// checkMemoryLimit warns when the live heap (a large near-duplicate state,
// a large append dataset's keys, many workers over big pages) leaves the
// collector too little room under the memory limit.
func (r *Runner) checkMemoryLimit() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if live := sample[0].Value.Uint64(); float64(live) > memoryLimitShare*float64(r.memLimit) {
		r.log.Warn("the live heap is near pipeline.memory_limit: the collector ran often; raise memory_limit",
			"live_bytes", live, "memory_limit", r.memLimit)
	}
}

// countReject counts and logs one reject.
func (r *Runner) countReject(sum *Summary, rj *record.Reject) {
	sum.Rejected++
	sum.RejectReasons[rj.Stage+"/"+rj.Reason]++
	r.log.Warn("page rejected", "url", rj.URL, "source", rj.Source, "stage", rj.Stage, "reason", rj.Reason, "detail", record.Deref(rj.Detail))
}

// rowRejects records the rows a sink left out as rejects of the sink
// stage, one per row however many sinks left it out.
func (r *Runner) rowRejects(sink string, batch []record.Review, e *sinks.RowsError, into map[int]*record.Reject) {
	for _, row := range e.Rows {
		if into[row.Index] != nil {
			continue
		}
		rev := &batch[row.Index]
		into[row.Index] = &record.Reject{URL: rev.URL, Source: rev.Source, Stage: string(record.StageSink),
			Reason: string(record.ReasonUnwritable), Detail: record.Str(sink + ": " + row.Err.Error()), At: time.Now().UTC()}
	}
}

// closeSources releases what sources hold open (the crawl state file).
func (r *Runner) closeSources() {
	for _, s := range r.sources {
		if c, ok := s.Source.(io.Closer); ok {
			if err := c.Close(); err != nil {
				r.log.Error("closing source", "source", s.name, "error", err)
			}
		}
	}
}

func (r *Runner) abortSinks() {
	for _, s := range r.sinks {
		if err := s.Abort(); err != nil {
			r.log.Error("aborting sink", "sink", s.name, "error", err)
		}
	}
}

// ReasonCounts returns the reject counts sorted by key, for stable output.
func (s Summary) ReasonCounts() []string { return sortedCounts(s.RejectReasons) }

// FallbackCounts returns the rule fallback counts sorted by key.
func (s Summary) FallbackCounts() []string { return sortedCounts(s.RuleFallbacks) }

func sortedCounts(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return out
}
