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
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/crashpoint"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/report"
	"github.com/reviewpipe/reviewpipe/internal/runstats"
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
	stats      *runstats.Stats
	config     string
	// shard: the run stages one shard of a sharded run.
	shard bool
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
	Written   int64 // reviews the sinks wrote (handed to them, less Skipped)
	Skipped   int64 // reviews append mode left out: the dataset had them
	// Duplicates counts the written reviews marked as near-duplicates.
	Duplicates int64
	Fetches    int64 // fetch-log rows (crawl requests) handed to the sinks
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
	// Report is the whole summary, as summary.json holds it.
	Report runstats.Summary
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
		stats:    runstats.New(time.Now()),
		config:   cfg.File,
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
		if err := shardSource(cfg, src, describe(c, i, "sources")); err != nil {
			r.closeSources()
			return nil, err
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
	r.shard = cfg.Shard != nil
	if dupCfg.State != "" {
		dupCfg.State = cfg.resolveOutput(dupCfg.State)
	}
	if r.dedup, err = transform.NewDeduper(dupCfg, log.With("component", "duplicates")); err != nil {
		r.closeSources()
		return nil, fmt.Errorf("building transforms: %w", err)
	}
	if cfg.Shard != nil && dupCfg.State != "" {
		// A shard keeps its new fingerprints with its staged output;
		// the commit adds them to the state once the run is published.
		r.dedup.SaveTo(cfg.shardStatePath(runID))
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

// Stats returns the run's live counts, for a progress display.
func (r *Runner) Stats() *runstats.Stats { return r.stats }

// Run streams every page through the stages and commits the sinks when all
// pages are done. On error or cancellation the sinks are aborted, so a
// failed run publishes nothing. Rejected pages do not fail the run. A
// published run's summary.json and report.html go to the sinks that keep
// run files.
func (r *Runner) Run(ctx context.Context) (Summary, error) {
	if r.stats == nil {
		r.stats = runstats.New(time.Now())
	}
	if r.memLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(r.memLimit))
		defer r.checkMemoryLimit()
	}
	defer r.closeSources()
	sum := Summary{RunID: r.runID, RejectReasons: map[string]int64{}, RuleFallbacks: map[string]int64{}, Outputs: r.outputs}
	noInput, err := r.stream(ctx, &sum)
	sum.FailedSources = len(noInput)
	if err == nil && r.stats.Progress().Read == 0 && len(noInput) > 0 {
		// An empty run published as a success would hide a broken glob or
		// an unreachable site until someone missed the data.
		err = errors.Join(noInput...)
	}
	if err == nil {
		start := time.Now()
		err = r.commitSinks(ctx)
		r.stats.Stage(runstats.StageCommit, time.Since(start))
	}
	r.finish(&sum, err)
	if err != nil {
		return sum, err
	}
	crashpoint.Hit("run.published")
	r.writeRunFiles(ctx, sum.Report)
	return sum, r.commitState(ctx)
}

// stream runs the stages until every page is written or one fails; it
// returns the sources that yielded nothing because their inputs failed.
func (r *Runner) stream(ctx context.Context, sum *Summary) ([]error, error) {
	g, gctx := errgroup.WithContext(ctx)
	pages := make(chan *record.Page, r.queue)
	results := make(chan outcome, r.queue)
	r.stats.SetQueue(func() int { return len(pages) + len(results) })
	for _, s := range r.sources {
		if fl, ok := s.Source.(fetchLogger); ok {
			// Sources finish (and stop logging) before the workers close
			// results.
			fl.SetFetchLog(func(f record.Fetch) {
				r.stats.Fetch(f)
				select {
				case results <- outcome{fetch: &f}:
				case <-gctx.Done():
				}
			})
		}
	}
	var noInput []error
	g.Go(func() error {
		defer close(pages)
		var err error
		noInput, err = r.readSources(gctx, pages)
		return err
	})
	var workers sync.WaitGroup
	for range r.workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			return r.work(gctx, pages, results)
		})
	}
	go func() {
		workers.Wait()
		close(results)
	}()
	g.Go(func() error { return r.write(gctx, results, sum) })
	return noInput, g.Wait()
}

// readSources walks every source into pages.
func (r *Runner) readSources(ctx context.Context, pages chan<- *record.Page) ([]error, error) {
	var noInput []error
	for _, s := range r.sources {
		if c, ok := s.Source.(pageCounter); ok {
			go r.countAhead(ctx, c)
		}
		err := s.Walk(ctx, func(p *record.Page) error {
			r.stats.Page(s.name, p)
			crashpoint.Hit("run.page")
			select {
			case pages <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if errors.Is(err, crawl.ErrNoInput) {
			// Other sources may still yield; the run decides at the end.
			r.log.Error("source yielded nothing", "source", s.name, "error", err)
			noInput = append(noInput, fmt.Errorf("%s: %w", s.name, err))
			continue
		}
		if err != nil {
			return noInput, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return noInput, nil
}

// pageCounter is the optional capability of a source that can count its
// pages ahead of reading them (the files source's matches), so the
// progress line can show an ETA.
type pageCounter interface {
	Count(ctx context.Context) (int64, error)
}

// countAhead sets the run's total from a lone counting source; with
// several sources, or a crawl, the total stays unknown.
func (r *Runner) countAhead(ctx context.Context, c pageCounter) {
	if len(r.sources) != 1 {
		return
	}
	if n, err := c.Count(ctx); err == nil {
		r.stats.SetTotal(n)
	}
}

// work is one extract/transform worker.
func (r *Runner) work(ctx context.Context, pages <-chan *record.Page, results chan<- outcome) error {
	for p := range pages {
		out, err := r.process(ctx, p)
		if err != nil {
			return err
		}
		switch {
		case out.review != nil:
			r.stats.PageSite(runstats.ReviewSite(out.review))
		case out.reject != nil:
			r.stats.PageSite(runstats.SiteOf(out.reject.URL))
		default:
			r.stats.PageSite(runstats.SiteOf(p.URL))
		}
		if out.review != nil {
			r.stats.Extracted()
		} else if out.reject == nil {
			r.stats.Dropped()
			continue
		} else if out.reject.Stage != string(record.StageSource) && out.reject.Stage != string(record.StageExtract) {
			r.stats.Extracted()
		}
		select {
		case results <- out:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// shardSource gives a source its share of a sharded run's inputs; a
// source that cannot be sharded refuses the run.
func shardSource(cfg *Config, src any, name string) error {
	if cfg.Shard == nil {
		return nil
	}
	sh, ok := src.(crawl.Sharder)
	if !ok {
		return fmt.Errorf("%s cannot be sharded", name)
	}
	if err := sh.SetShard(*cfg.Shard); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// commitSinks publishes every sink's staged output, or none of it.
func (r *Runner) commitSinks(ctx context.Context) error {
	for _, s := range r.sinks {
		if err := s.Commit(ctx); err != nil {
			return fmt.Errorf("committing %s: %w", s.name, err)
		}
	}
	return nil
}

// finish aborts the sinks of a failed run and fills the summary's counts.
func (r *Runner) finish(sum *Summary, err error) {
	if err != nil {
		r.abortSinks()
	}
	rep := r.stats.Summarize(r.runID, time.Now())
	rep.Config, rep.Outputs, rep.RuleFallbacks = r.config, r.outputs, sum.RuleFallbacks
	var counts []runstats.SinkCounts
	for _, s := range r.sinks {
		if sc, ok := s.Sink.(sinks.SkipCounter); ok && err == nil {
			counts = append(counts, runstats.SinkCounts{Name: s.name, SkippedPresent: sc.Skipped()})
		}
	}
	rep.SetSkipped(counts)
	rep.Status = runStatus(rep, sum.FailedSources, err)
	if err != nil {
		rep.Error = err.Error()
		rep.Records.Written = 0 // nothing was published
	}
	sum.Read, sum.Extracted, sum.Dropped = rep.Pages.Read, rep.Pages.Extracted, rep.Pages.Dropped
	sum.Rejected, sum.RejectReasons = rep.Rejects.Total, rep.Rejects.ByReason
	sum.Written, sum.Skipped, sum.Duplicates = rep.Records.Written, rep.Records.SkippedPresent, rep.Records.Duplicates
	sum.Fetches = rep.Fetches.Total
	sum.Duration = time.Duration(rep.Seconds * float64(time.Second))
	sum.Report = rep
}

// runStatus names how the run ended, as its exit code does.
func runStatus(rep runstats.Summary, failedSources int, err error) string {
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return runstats.StatusInterrupted
	case errors.Is(err, ErrNoInput):
		return runstats.StatusNoInput
	case err != nil:
		return runstats.StatusFailed
	case failedSources > 0 || rep.Rejects.Total > 0:
		return runstats.StatusRejects
	}
	return runstats.StatusOK
}

// writeRunFiles gives the published run's summary.json and report.html to
// the sinks that keep run files. A failure is logged: the data is out.
func (r *Runner) writeRunFiles(ctx context.Context, rep runstats.Summary) {
	data, err := rep.JSON()
	if err != nil {
		r.log.Error("writing the run summary", "error", err)
		return
	}
	page := report.Render(rep)
	for _, s := range r.sinks {
		w, ok := s.Sink.(sinks.RunFileWriter)
		if !ok {
			continue
		}
		for name, b := range map[string][]byte{SummaryFile: data, ReportFile: page} {
			if err := w.WriteRunFile(ctx, name, b); err != nil {
				r.log.Error("writing a run file", "sink", s.name, "file", name, "error", err)
			}
		}
	}
}

// The run files a sink keeps in _runs/<run-id>/.
const (
	SummaryFile = "summary.json"
	ReportFile  = "report.html"
)

// commitState advances the sources' and the near-duplicate state once the
// output is published.
func (r *Runner) commitState(ctx context.Context) error {
	for _, s := range r.sources {
		if sc, ok := s.Source.(sourceCommitter); ok {
			if err := sc.Commit(ctx); err != nil {
				// The output is out; the next run repeats this one's fetches.
				return fmt.Errorf("output published, but %s: %w", s.name, err)
			}
		}
	}
	if r.dedup == nil {
		return nil
	}
	if err := r.dedup.Commit(); err != nil {
		// The output is out; only later runs' duplicate_of suffer.
		return fmt.Errorf("output published, but %w", err)
	}
	return nil
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
	start := time.Now()
	rev, err := r.extractor.Extract(ctx, p)
	r.stats.Stage(runstats.StageExtract, time.Since(start))
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
	start = time.Now()
	err = r.transforms.Apply(ctx, rev)
	r.stats.Stage(runstats.StageTransform, time.Since(start))
	if err != nil {
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
		defer func(start time.Time) { r.stats.Stage(runstats.StageWrite, time.Since(start)) }(time.Now())
		if len(fetches) > 0 {
			for _, s := range r.sinks {
				if fw, ok := s.Sink.(sinks.FetchWriter); ok {
					if err := fw.WriteFetches(ctx, fetches); err != nil {
						return fmt.Errorf("writing the fetch log to %s: %w", s.name, err)
					}
				}
			}
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
			for i := range reviews {
				if left[i] == nil {
					r.stats.Record(&reviews[i])
				}
			}
			for _, rj := range left {
				r.countReject(rj)
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
				r.countReject(out.reject)
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
func (r *Runner) countReject(rj *record.Reject) {
	r.stats.Reject(rj)
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
