// Command reviewpipe turns review pages into analytics-ready Parquet.
//
// Usage:
//
//	reviewpipe run [-c pipeline.yaml]       run the pipeline
//	reviewpipe validate [-c pipeline.yaml]  check a config, list every problem
//	reviewpipe extract [--url URL] FILE...  print one JSON object per page
//	reviewpipe schema                       print the output columns
//	reviewpipe inspect PATH                 what the runs under PATH published
//
// Exit codes: 0 ok; 1 failed, nothing published; 2 bad flags or config;
// 3 finished with rejected pages or a failed source, output published;
// 4 no input (no file matched, no URL answered), nothing published;
// 130 interrupted.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Exit codes, documented in the README.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitRejects     = 3
	exitNoInput     = 4
	exitInterrupted = 130
)

const usage = `reviewpipe turns review pages into analytics-ready Parquet.

Usage:
  reviewpipe run [-c FILE]                run the pipeline (default ./pipeline.yaml, else the built-in sample pipeline)
  reviewpipe validate [-c FILE]           check a config and list every problem
  reviewpipe extract [--url URL] FILE...  extract pages, print one JSON object per page (JSON Lines)
  reviewpipe schema                       print the output columns with types and meanings
  reviewpipe inspect PATH                 runs, rows per dataset and partition, column types and null rates of an output folder

Exit codes: 0 ok, 1 failed (nothing published), 2 bad flags or config,
3 finished with rejected pages or a failed source (output published),
4 no input: no file matched, no URL answered (nothing published), 130 interrupted.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout, stderr)
	case "extract":
		return cmdExtract(ctx, args[1:], stdout, stderr)
	case "schema":
		return cmdSchema(args[1:], stdout, stderr)
	case "inspect":
		return cmdInspect(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "reviewpipe: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("reviewpipe "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// loadConfig loads -c FILE; without -c it loads ./pipeline.yaml, or the
// built-in default when there is none.
func loadConfig(path string, explicit bool) (*pipeline.Config, error) {
	if !explicit {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return pipeline.LoadEmbedded()
		}
	}
	return pipeline.Load(path)
}

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("c", "pipeline.yaml", "config `file`")
}

func explicitlySet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "reviewpipe run: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath, explicitlySet(fs, "c"))
	if err != nil {
		fmt.Fprintf(stderr, "reviewpipe run: invalid config, not starting:\n%v\n", err)
		return exitUsage
	}
	log := newLogger(cfg.Log, stderr)
	runID := newRunID(time.Now())
	log.Info("run starting", "run_id", runID, "config", cfg.File)
	cfg.Stdout = stdout
	runner, err := pipeline.Build(cfg, runID, log)
	if err != nil {
		log.Error("building the pipeline", "error", err)
		return exitFailed
	}
	sum, err := runner.Run(ctx)
	attrs := []any{
		"run_id", sum.RunID, "read", sum.Read, "extracted", sum.Extracted, "rejected", sum.Rejected,
		"written", sum.Written, "outputs", strings.Join(sum.Outputs, ","), "duration", sum.Duration.Round(time.Millisecond).String(),
	}
	if len(sum.RejectReasons) > 0 {
		attrs = append(attrs, "reject_reasons", strings.Join(sum.ReasonCounts(), ","))
	}
	if len(sum.RuleFallbacks) > 0 {
		// A site rule that stopped matching is worth a look: the site
		// probably changed its markup.
		attrs = append(attrs, "rule_fallbacks", strings.Join(sum.FallbackCounts(), ","))
	}
	switch {
	case err != nil && ctx.Err() != nil:
		log.Warn("run interrupted, nothing published", attrs...)
		return exitInterrupted
	case errors.Is(err, pipeline.ErrNoInput):
		log.Error("run found no input, nothing published", append(attrs, "error", err)...)
		return exitNoInput
	case err != nil:
		log.Error("run failed, nothing published", append(attrs, "error", err)...)
		return exitFailed
	case sum.FailedSources > 0:
		log.Warn("run finished, but a source found no input", attrs...)
		return exitRejects
	case sum.Rejected > 0:
		log.Warn("run finished with rejected pages", attrs...)
		return exitRejects
	}
	log.Info("run finished", attrs...)
	return exitOK
}

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("validate", stderr)
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath, explicitlySet(fs, "c"))
	if err != nil {
		var errs pipeline.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintln(stderr, e)
			}
			fmt.Fprintf(stderr, "%d problem(s)\n", len(errs))
		} else {
			fmt.Fprintln(stderr, err)
		}
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s: ok (%d source(s), %d sink(s))\n", cfg.File, len(cfg.Sources), len(cfg.Sinks))
	return exitOK
}

func cmdExtract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("extract", stderr)
	pageURL := fs.String("url", "", "URL of the page(s), used when a page declares no canonical URL")
	cfgPath := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "reviewpipe extract: no files given\nusage: reviewpipe extract [--url URL] [-c FILE] FILE...")
		return exitUsage
	}
	cfg, err := loadConfig(*cfgPath, explicitlySet(fs, "c"))
	if err != nil {
		fmt.Fprintf(stderr, "reviewpipe extract: invalid config:\n%v\n", err)
		return exitUsage
	}
	log := newLogger(cfg.Log, stderr)
	rejected, err := pipeline.ExtractFiles(ctx, cfg, fs.Args(), *pageURL, stdout, log)
	switch {
	case err != nil && ctx.Err() != nil:
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "reviewpipe extract: %v\n", err)
		return exitFailed
	case rejected > 0:
		return exitRejects
	}
	return exitOK
}

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	for _, ds := range []struct {
		name string
		cols []record.Column
	}{{"reviews", record.ReviewColumns}, {"comments", record.CommentColumns}, {"rejects", record.RejectColumns}, {"pages", record.FetchColumns}} {
		fmt.Fprintf(stdout, "dataset %s\n", ds.name)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, c := range ds.cols {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Type, c.Meaning)
		}
		tw.Flush()
		fmt.Fprintln(stdout)
	}
	return exitOK
}

func newLogger(c pipeline.LogConfig, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: pipeline.LogLevel(c.Level)}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newRunID names a run by its start time, sortable, plus random bits so
// two runs started in the same second never share file names.
func newRunID(now time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
