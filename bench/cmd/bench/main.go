// Command bench compares reviewpipe's extractor with go-trafilatura (without
// and with fallback) and go-readability on the shared corpora and prints one
// Markdown table (or JSON with -json) to stdout; progress goes to stderr.
//
// Exit codes: 0 ok; 1 failed (a corpus is missing or unreadable); 2 bad
// flags; 130 interrupted.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/reviewpipe/reviewpipe/bench"
	"github.com/reviewpipe/reviewpipe/internal/evalscore"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a bad flag or flag value; it exits with 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := benchmark(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "bench: interrupted")
		return 130
	case errors.As(err, new(*usageError)):
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
}

// Report is the -json output.
type Report struct {
	Env     Env            `json:"env"`
	Results []bench.Result `json:"results"`
}

// Env describes the machine and run the figures come from.
type Env struct {
	GoVersion   string  `json:"go_version"`
	GOMAXPROCS  int     `json:"gomaxprocs"`
	CPU         string  `json:"cpu"`
	Date        string  `json:"date"`
	Load1       float64 `json:"load1_at_start"`
	Shared      string  `json:"shared"`
	EvalPages   int     `json:"eval_pages"`
	ReadPages   int     `json:"readability_pages"`
	MinDuration string  `json:"min_duration"`
	Rounds      int     `json:"rounds"`
}

func benchmark(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	extractors, err := bench.Extractors()
	if err != nil {
		return err
	}
	var names []string
	for _, e := range extractors {
		names = append(names, e.Name())
	}

	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "", "shared data folder holding corpus/ (default: ../../shared from the bench module's folder)")
	only := fs.String("only", "", "run only this extractor: "+strings.Join(names, ", "))
	limit := fs.Int("pages", 0, "use only the first N pages of each corpus (0: all)")
	asJSON := fs.Bool("json", false, "print machine-readable JSON instead of the Markdown table")
	minDur := fs.Duration("min-time", 3*time.Second, "least duration of each speed run")
	rounds := fs.Int("rounds", 5, "repeat the single-threaded and parallel speed runs this many times, alternately, and report the medians")
	noSpeed := fs.Bool("no-speed", false, "skip the speed runs")
	noQuality := fs.Bool("no-quality", false, "skip the scoring passes (speed only)")
	verbose := fs.Bool("v", false, "log every page that produced no body")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *limit < 0 {
		return usagef("-pages must not be negative, got %d", *limit)
	}
	if *noSpeed && *noQuality {
		return usagef("-no-speed and -no-quality leave nothing to run")
	}
	if *rounds < 1 {
		return usagef("-rounds must be at least 1, got %d", *rounds)
	}
	if *minDur <= 0 {
		return usagef("-min-time must be positive, got %s", *minDur)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("component", "bench")

	if *only != "" {
		var keep []bench.Extractor
		for _, e := range extractors {
			if e.Name() == *only {
				keep = append(keep, e)
			}
		}
		if keep == nil {
			return usagef("unknown extractor %q for -only, want one of %s", *only, strings.Join(names, ", "))
		}
		extractors = keep
	}

	dir, err := sharedDir(*shared)
	if err != nil {
		return err
	}
	env := Env{
		GoVersion:   runtime.Version(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		CPU:         cpuModel(),
		Date:        time.Now().UTC().Format(time.DateOnly),
		Load1:       bench.Load1(),
		Shared:      dir,
		MinDuration: minDur.String(),
		Rounds:      *rounds,
	}

	log.Info("loading corpora", "shared", dir)
	eval, err := evalscore.LoadEval(filepath.Join(dir, "corpus", "trafilatura-eval"), *limit)
	if err != nil {
		return fmt.Errorf("loading trafilatura-eval corpus: %w", err)
	}
	rd, err := evalscore.LoadReadability(filepath.Join(dir, "corpus", "readability"), *limit)
	if err != nil {
		return fmt.Errorf("loading readability corpus: %w", err)
	}
	env.EvalPages, env.ReadPages = len(eval), len(rd)

	runner := bench.Runner{
		Log:         log,
		Workers:     env.GOMAXPROCS,
		MinDuration: *minDur,
		Rounds:      *rounds,
		FetchedAt:   time.Now().UTC(),
		Quality:     !*noQuality,
		Speed:       !*noSpeed,
	}
	rep := Report{Env: env}
	for _, e := range extractors {
		res, err := runner.Run(ctx, e, eval, rd)
		if err != nil {
			return fmt.Errorf("running %s: %w", e.Name(), err)
		}
		rep.Results = append(rep.Results, res)
	}

	w := bufio.NewWriter(stdout)
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("encoding json: %w", err)
		}
	} else {
		writeTable(w, rep)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}

// sharedDir returns flagValue, or else ../../shared from the bench module's
// folder, after checking that it holds corpus/.
func sharedDir(flagValue string) (string, error) {
	var tried []string
	check := func(dir string) (string, bool) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			abs = dir
		}
		tried = append(tried, abs)
		st, err := os.Stat(filepath.Join(abs, "corpus"))
		return abs, err == nil && st.IsDir()
	}
	if flagValue != "" {
		if dir, ok := check(flagValue); ok {
			return dir, nil
		}
		return "", usagef("-shared %q has no corpus/ folder", flagValue)
	}
	for _, mod := range moduleDirs() {
		if dir, ok := check(filepath.Join(mod, "..", "..", "shared")); ok {
			return dir, nil
		}
	}
	return "", fmt.Errorf("shared data not found (looked for corpus/ in %q); pass -shared DIR", tried)
}

// moduleDirs returns candidate folders of the bench module: the one this
// source file was compiled from, then the nearest folder above the working
// directory whose go.mod declares the bench module.
func moduleDirs() []string {
	var dirs []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dirs = append(dirs, filepath.Join(filepath.Dir(file), "..", ".."))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil &&
				strings.Contains(string(data), "module github.com/reviewpipe/reviewpipe/bench\n") {
				dirs = append(dirs, d)
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return dirs
}

// cpuModel returns the CPU model name from /proc/cpuinfo, or the
// architecture where that is unavailable.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(data)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// writeTable prints the header line and the Markdown table.
func writeTable(w io.Writer, rep Report) {
	e := rep.Env
	fmt.Fprintf(w, "%s, GOMAXPROCS=%d, CPU: %s, %s, load average at start %.2f; trafilatura-eval %d pages, readability %d pages; speed: median of %d alternating rounds of at least %s each\n\n",
		e.GoVersion, e.GOMAXPROCS, e.CPU, e.Date, e.Load1, e.EvalPages, e.ReadPages, e.Rounds, e.MinDuration)

	var evalMeta, rdMeta bench.MetaResult
	for _, r := range rep.Results {
		if r.Meta != nil {
			evalMeta = *r.Meta
			break
		}
	}
	for _, r := range rep.Results {
		if r.ReadabilityMeta != nil {
			rdMeta = *r.ReadabilityMeta
			break
		}
	}
	head := []string{
		"extractor", "eval P", "eval R", "eval F", "readability F1",
		"pages/s 1 thread", "MB/s 1 thread", fmt.Sprintf("pages/s %d workers", e.GOMAXPROCS),
		withN("eval title", evalMeta.Title), withN("eval date", evalMeta.Date), withN("eval author", evalMeta.Author),
		withN("rd title", rdMeta.Title), withN("rd date", rdMeta.Date), withN("rd author", rdMeta.Author),
		"empty eval/readability", "panics",
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(w, "| --- |%s\n", strings.Repeat(" ---: |", len(head)-1))
	for _, r := range rep.Results {
		cells := []string{r.Extractor}
		emptyEval, emptyRd, panics := "-", "-", 0
		if ev := r.Eval; ev != nil {
			cells = append(cells, f3(ev.Precision), f3(ev.Recall), f3(ev.F))
			emptyEval = fmt.Sprint(ev.Empty)
			panics += ev.Panics
		} else {
			cells = append(cells, "-", "-", "-")
		}
		if rd := r.Readability; rd != nil {
			cells = append(cells, f3(rd.F1))
			emptyRd = fmt.Sprint(rd.Empty)
			panics += rd.Panics
		} else {
			cells = append(cells, "-")
		}
		if sp := r.Speed; sp != nil {
			cells = append(cells, f1(sp.SinglePagesPerSec), f1(sp.SingleMBPerSec), f1(sp.ParallelPagesPerSec))
		} else {
			cells = append(cells, "-", "-", "-")
		}
		for _, m := range []*bench.MetaResult{r.Meta, r.ReadabilityMeta} {
			if m != nil {
				cells = append(cells, rate(m.Title), rate(m.Date), rate(m.Author))
			} else {
				cells = append(cells, "-", "-", "-")
			}
		}
		cells = append(cells, emptyEval+"/"+emptyRd, fmt.Sprint(panics))
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
}

// withN labels a metadata column with the number of pages it is scored on.
func withN(name string, a bench.Accuracy) string {
	if a.N == 0 {
		return name
	}
	return fmt.Sprintf("%s (n=%d)", name, a.N)
}

func f3(v float64) string { return fmt.Sprintf("%.3f", v) }

// rate prints an accuracy, or "-" for a field that was not scored.
func rate(a bench.Accuracy) string {
	if a.N == 0 {
		return "-"
	}
	return f3(a.Rate)
}
func f1(v float64) string { return fmt.Sprintf("%.1f", v) }
