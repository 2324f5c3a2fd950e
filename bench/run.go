package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/evalscore"
)

// Result is one extractor's row of the benchmark. A section is nil when it
// was not run.
type Result struct {
	Extractor   string             `json:"extractor"`
	Eval        *EvalResult        `json:"trafilatura_eval,omitempty"`
	Meta        *MetaResult        `json:"metadata,omitempty"`
	Readability *ReadabilityResult `json:"readability,omitempty"`
	// ReadabilityMeta is metadata accuracy on corpus/readability against
	// expected-metadata.json (title, byline, publishedTime).
	ReadabilityMeta *MetaResult  `json:"readability_metadata,omitempty"`
	Speed           *SpeedResult `json:"speed,omitempty"`
}

// EvalResult is the snippet score on corpus/trafilatura-eval.
type EvalResult struct {
	Pages int `json:"pages"`
	// Empty counts pages with no body: rejections, errors and panics.
	Empty     int     `json:"empty"`
	Panics    int     `json:"panics"`
	TP        int     `json:"tp"`
	FN        int     `json:"fn"`
	FP        int     `json:"fp"`
	TN        int     `json:"tn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F         float64 `json:"f"`
}

// MetaResult is metadata accuracy on a corpus, over the pages whose truth
// gives the field.
type MetaResult struct {
	Title  Accuracy `json:"title"`
	Date   Accuracy `json:"date"`
	Author Accuracy `json:"author"`
}

// Accuracy is a count of correct answers out of N.
type Accuracy struct {
	N       int     `json:"n"`
	Correct int     `json:"correct"`
	Rate    float64 `json:"rate"`
}

func (a *Accuracy) add(ok bool) {
	a.N++
	if ok {
		a.Correct++
	}
	a.Rate = evalscore.Ratio(a.Correct, a.N)
}

// ReadabilityResult is the 4-gram shingle score on corpus/readability:
// precision and recall averaged over pages, F1 of the two means.
type ReadabilityResult struct {
	Pages     int     `json:"pages"`
	Empty     int     `json:"empty"`
	Panics    int     `json:"panics"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// SpeedResult is throughput on corpus/trafilatura-eval, pages in memory.
type SpeedResult struct {
	Pages int     `json:"pages"`
	MB    float64 `json:"mb"`
	// Load1 is the one-minute load average just before the speed runs.
	Load1 float64 `json:"load1"`

	// Rounds is how many times the single-threaded and the parallel runs
	// were repeated, alternately; the rates are the medians over rounds,
	// and the per-round rates are kept below.
	Rounds              int       `json:"rounds"`
	SingleRounds        []float64 `json:"single_pages_per_sec_rounds"`
	ParallelRounds      []float64 `json:"parallel_pages_per_sec_rounds"`
	SingleRuns          int       `json:"single_runs"`
	SingleSeconds       float64   `json:"single_seconds"`
	SinglePagesPerSec   float64   `json:"single_pages_per_sec"`
	SingleMBPerSec      float64   `json:"single_mb_per_sec"`
	Workers             int       `json:"workers"`
	ParallelRuns        int       `json:"parallel_runs"`
	ParallelSeconds     float64   `json:"parallel_seconds"`
	ParallelPagesPerSec float64   `json:"parallel_pages_per_sec"`
	ParallelMBPerSec    float64   `json:"parallel_mb_per_sec"`
}

// Runner runs one extractor over the corpora. Its fields are read-only
// while Run is running.
type Runner struct {
	Log *slog.Logger
	// Workers is the number of goroutines for the quality passes and the
	// parallel speed run.
	Workers int
	// MinDuration is the least time each speed run takes: whole passes over
	// the pages repeat until it is reached.
	MinDuration time.Duration
	// Rounds repeats the pair of speed runs (single-threaded, then
	// parallel) and reports the medians, so that a burst of load from a
	// neighbour on a shared machine does not decide the figures; 0 means 1.
	Rounds int
	// FetchedAt is the fetch time given to every page (relative dates).
	FetchedAt time.Time
	// Quality turns the scoring passes on.
	Quality bool
	// Speed turns the speed runs on.
	Speed bool
}

// Run scores e on eval and rd (either may be empty to skip it) when
// r.Quality is set and, when r.Speed is set, measures its speed on eval. It
// returns ctx.Err() once ctx is done.
func (r Runner) Run(ctx context.Context, e Extractor, eval []evalscore.EvalPage, rd []evalscore.ReadabilityPage) (Result, error) {
	log := r.Log.With("extractor", e.Name())
	res := Result{Extractor: e.Name()}
	if r.Quality && len(eval) > 0 {
		start := time.Now()
		pages := make([]Page, len(eval))
		for i, p := range eval {
			pages[i] = Page{URL: p.URL, Body: p.Body, FetchedAt: r.FetchedAt}
		}
		outs, empty, panics := r.extractAll(ctx, log, e, pages)
		if err := ctx.Err(); err != nil {
			return res, err
		}
		ev := &EvalResult{Pages: len(eval), Empty: empty, Panics: panics}
		meta := &MetaResult{}
		var c evalscore.Counts
		for i, p := range eval {
			c = c.Add(evalscore.ScoreSnippets(outs[i].Body, p.With, p.Without))
			if strings.TrimSpace(p.Title) != "" {
				meta.Title.add(evalscore.TitleMatch(outs[i].Title, p.Title))
			}
			if strings.TrimSpace(p.Date) != "" {
				meta.Date.add(evalscore.DateMatch(outs[i].Days, p.Date))
			}
			if len(p.Authors) > 0 {
				meta.Author.add(evalscore.AuthorMatch(outs[i].Authors, p.Authors))
			}
		}
		ev.TP, ev.FN, ev.FP, ev.TN = c.TP, c.FN, c.FP, c.TN
		ev.Precision, ev.Recall, ev.F = c.Precision(), c.Recall(), c.F()
		res.Eval, res.Meta = ev, meta
		log.Info("trafilatura-eval scored", "pages", len(eval), "f", round3(ev.F), "empty", empty, "panics", panics, "took", time.Since(start).Round(time.Millisecond))
	}
	if r.Quality && len(rd) > 0 {
		start := time.Now()
		pages := make([]Page, len(rd))
		for i, p := range rd {
			pages[i] = Page{URL: evalscore.ReadabilityURL, Body: p.Body, FetchedAt: r.FetchedAt}
		}
		outs, empty, panics := r.extractAll(ctx, log, e, pages)
		if err := ctx.Err(); err != nil {
			return res, err
		}
		var sp, sr float64
		meta := &MetaResult{}
		for i, p := range rd {
			pr, rc := evalscore.ShingleScore(outs[i].Body, p.Expected)
			sp += pr
			sr += rc
			if strings.TrimSpace(p.Title) != "" {
				meta.Title.add(evalscore.TitleMatch(outs[i].Title, p.Title))
			}
			if day, ok := evalscore.WrittenDay(p.PublishedTime); ok {
				meta.Date.add(evalscore.DateMatch(outs[i].Days, day))
			}
			if strings.TrimSpace(p.Byline) != "" {
				meta.Author.add(evalscore.AuthorMatch(outs[i].Authors, []string{p.Byline}) || evalscore.BylineMatch(outs[i].Authors, p.Byline))
			}
		}
		res.ReadabilityMeta = meta
		n := float64(len(rd))
		res.Readability = &ReadabilityResult{
			Pages: len(rd), Empty: empty, Panics: panics,
			Precision: sp / n, Recall: sr / n, F1: evalscore.Harmonic(sp/n, sr/n),
		}
		log.Info("readability scored", "pages", len(rd), "f1", round3(res.Readability.F1), "empty", empty, "panics", panics, "took", time.Since(start).Round(time.Millisecond))
	}
	if _, ok := e.(DateOnly); ok {
		// Only the dates mean anything: the body, title and author
		// columns stay empty rather than score an extractor at zero.
		res.Eval, res.Readability = nil, nil
		for _, m := range []*MetaResult{res.Meta, res.ReadabilityMeta} {
			if m != nil {
				m.Title, m.Author = Accuracy{}, Accuracy{}
			}
		}
		return res, nil
	}
	if r.Speed && len(eval) > 0 {
		sp, err := r.speed(ctx, log, e, eval)
		if err != nil {
			return res, err
		}
		res.Speed = sp
	}
	return res, nil
}

// extractAll runs e on every page with r.Workers goroutines and returns the
// outputs in page order, with the number of pages that produced nothing and
// of those that panicked.
func (r Runner) extractAll(ctx context.Context, log *slog.Logger, e Extractor, pages []Page) (outs []Output, empty, panics int) {
	outs = make([]Output, len(pages))
	var mu sync.Mutex
	forEach(ctx, len(pages), r.Workers, func(i int) {
		out, panicked, err := SafeExtract(ctx, e, pages[i])
		outs[i] = out
		if err == nil && strings.TrimSpace(out.Body) != "" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		empty++
		switch {
		case panicked:
			panics++
			log.Warn("extractor panicked", "url", pages[i].URL, "err", err)
		case err != nil:
			log.Debug("no body", "url", pages[i].URL, "err", err)
		}
	})
	return outs, empty, panics
}

// speed measures single-threaded and parallel throughput on the pages.
func (r Runner) speed(ctx context.Context, log *slog.Logger, e Extractor, eval []evalscore.EvalPage) (*SpeedResult, error) {
	pages := make([]Page, len(eval))
	var size int64
	for i, p := range eval {
		pages[i] = Page{URL: p.URL, Body: p.Body, FetchedAt: r.FetchedAt}
		size += int64(len(p.Body))
	}
	mb := float64(size) / 1e6
	sp := &SpeedResult{Pages: len(pages), MB: mb, Workers: r.Workers}
	// Warm up lazily built state (compiled regexps, wasm modules) so that
	// the first timed pass does not pay for it.
	for _, p := range pages[:min(len(pages), 20)] {
		_, _, _ = SafeExtract(ctx, e, p)
	}
	sp.Load1 = Load1()
	rounds := max(1, r.Rounds)
	sp.Rounds = rounds
	for round := range rounds {
		log.Info("speed: single-threaded", "round", round+1, "of", rounds, "min_duration", r.MinDuration, "load1", Load1())
		runs, took := r.timeRuns(ctx, e, pages, 1)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sp.SingleRuns += runs
		sp.SingleSeconds += took.Seconds()
		sp.SingleRounds = append(sp.SingleRounds, round3(float64(runs*len(pages))/took.Seconds()))

		log.Info("speed: parallel", "round", round+1, "of", rounds, "workers", r.Workers)
		runs, took = r.timeRuns(ctx, e, pages, r.Workers)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sp.ParallelRuns += runs
		sp.ParallelSeconds += took.Seconds()
		sp.ParallelRounds = append(sp.ParallelRounds, round3(float64(runs*len(pages))/took.Seconds()))
	}
	sp.SinglePagesPerSec = median(sp.SingleRounds)
	sp.SingleMBPerSec = sp.SinglePagesPerSec * mb / float64(len(pages))
	sp.ParallelPagesPerSec = median(sp.ParallelRounds)
	sp.ParallelMBPerSec = sp.ParallelPagesPerSec * mb / float64(len(pages))
	log.Info("speed done", "single_pages_per_sec", sp.SinglePagesPerSec, "parallel_pages_per_sec", sp.ParallelPagesPerSec)
	return sp, nil
}

// timeRuns repeats whole passes over pages with the given number of workers
// until r.MinDuration has passed, and returns the passes and their time.
// With one worker the pages run in the calling goroutine; with more, the
// workers pull pages from one channel fed pass after pass, so no worker
// idles at a pass boundary. Outputs and errors are ignored: the quality
// passes have recorded them.
func (r Runner) timeRuns(ctx context.Context, e Extractor, pages []Page, workers int) (runs int, took time.Duration) {
	start := time.Now()
	if workers <= 1 {
		for ctx.Err() == nil {
			for _, p := range pages {
				_, _, _ = SafeExtract(ctx, e, p)
			}
			runs++
			if time.Since(start) >= r.MinDuration {
				break
			}
		}
		return runs, time.Since(start)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				_, _, _ = SafeExtract(ctx, e, pages[i])
			}
		})
	}
feed:
	for {
		for i := range pages {
			select {
			case next <- i:
			case <-ctx.Done():
				break feed
			}
		}
		runs++
		// The last pages of this pass are still running; they take at most
		// one page time per worker, so checking here never stops short of
		// MinDuration by more than that.
		if time.Since(start) >= r.MinDuration {
			break
		}
	}
	close(next)
	wg.Wait()
	return runs, time.Since(start)
}

// forEach calls fn(i) for i in [0, n) from workers goroutines pulling
// indexes from a channel, and returns when all calls have returned. It
// stops handing out indexes once ctx is done.
func forEach(ctx context.Context, n, workers int, fn func(i int)) {
	workers = max(1, min(workers, n))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}

// Load1 returns the one-minute load average, or -1 where it is unknown.
func Load1() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	var l float64
	if _, err := fmt.Sscan(string(data), &l); err != nil {
		return -1
	}
	return l
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count), 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
