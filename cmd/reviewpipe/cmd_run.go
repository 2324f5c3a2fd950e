package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/progress"
)

// dryRunDefaultLimit is how many inputs a dry run lists: enough to see
// that a glob matches what was meant, short enough to read.
const dryRunDefaultLimit = 10

func (c *cli) runCommand() *cobra.Command {
	var (
		outDir    string
		dryRun    bool
		limit     int
		rejectsOK bool
		shard     string
		runID     string
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the pipeline: sources → extract → transform → sinks",
		Long: `Run the pipeline of a config file (default ./pipeline.yaml; when there is
none, the built-in copy of the repository's pipeline.yaml and sample site).
The run's output is published whole or not at all; its summary.json and
report.html go to <output>/_runs/<run-id>/.

On a terminal a live status line shows progress; otherwise a one-line
stats log is written every log.progress_interval (30s).

` + exitCodesHelp,
		Example: `  reviewpipe run
  reviewpipe run -c pipeline.yaml -o /data/reviews
  reviewpipe run --set pipeline.workers=4 --set transform.min_words=100
  reviewpipe run --dry-run                 # check sources and outputs, write nothing
  reviewpipe run --log-format json --quiet  # for a scheduler's log
  reviewpipe run --shard 2/4 --run-id nightly-2026-12-04   # one shard; then reviewpipe commit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig(cmd, outDir)
			if err != nil {
				fmt.Fprintf(c.stderr, "reviewpipe run: invalid config, not starting:\n%v\n", err)
				c.code = exitUsage
				return nil
			}
			sh, id, err := shardFlags(shard, runID)
			if err != nil {
				return err
			}
			cfg.Shard = sh
			if dryRun {
				c.code = c.dryRun(cmd.Context(), cfg, limit)
				return nil
			}
			c.code = c.runPipeline(cmd.Context(), cfg, id)
			if rejectsOK && c.code == exitRejects {
				c.code = exitOK
			}
			return nil
		},
	}
	c.configFlags(cmd)
	cmd.Flags().StringVarP(&outDir, "output", "o", "", "write the outputs under `DIR` (${REVIEWPIPE_OUT} and relative output paths)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate, resolve the sources, check every output is writable or reachable; write nothing")
	cmd.Flags().IntVar(&limit, "limit", dryRunDefaultLimit, "inputs a dry run lists per source")
	cmd.Flags().BoolVarP(&c.quiet, "quiet", "q", false, "no progress line or periodic stats log")
	cmd.Flags().StringVar(&shard, "shard", "", "run shard `K/N` of a sharded run: read the K-th share of the inputs and stage the output for `reviewpipe commit` (default from JOB_COMPLETION_INDEX/JOB_COMPLETIONS)")
	cmd.Flags().StringVar(&runID, "run-id", "", "the id all shards of a sharded run share (default $REVIEWPIPE_RUN_ID)")
	cmd.Flags().BoolVar(&rejectsOK, "rejects-ok", false, "exit 0, not 3, when the run published its output with rejected pages (for schedulers that retry any other code)")
	return cmd
}

func (c *cli) dryRun(ctx context.Context, cfg *pipeline.Config, limit int) int {
	if err := pipeline.DryRun(ctx, cfg, limit, c.stdout); err != nil {
		fmt.Fprintf(c.stderr, "reviewpipe run --dry-run: a run would fail:\n%v\n", err)
		return exitFailed
	}
	return exitOK
}

func (c *cli) runPipeline(ctx context.Context, cfg *pipeline.Config, runID string) int {
	log := newLogger(cfg.Log, c.stderr)
	if runID == "" {
		runID = newRunID(time.Now())
	} else {
		log = log.With("shard", cfg.Shard.String())
	}
	log.Info("run starting", "run_id", runID, "config", cfg.File)
	cfg.Stdout = c.stdout
	runner, err := pipeline.Build(cfg, runID, log)
	if err != nil {
		log.Error("building the pipeline", "error", err)
		return exitFailed
	}
	stop := progress.Start(runner.Stats(), progress.Options{
		Out: c.stderr, Terminal: progress.IsTerminal(c.stderr), Interval: time.Duration(cfg.Log.ProgressInterval),
		Log: log.With("component", "progress"), Quiet: c.quiet,
	})
	sum, err := runner.Run(ctx)
	stop()
	if merr := pipeline.WriteMetrics(ctx, cfg, sum.Report); merr != nil {
		log.Error("writing metrics", "error", merr)
	}
	return finalLine(log, sum, err, ctx.Err())
}

// finalLine logs the run's one-line summary and returns its exit code.
func finalLine(log *slog.Logger, sum pipeline.Summary, err, ctxErr error) int {
	attrs := []any{
		"run_id", sum.RunID, "read", sum.Read, "extracted", sum.Extracted, "rejected", sum.Rejected,
		"written", sum.Written, "skipped_present", sum.Skipped, "marked_duplicate", sum.Duplicates,
	}
	if sum.Fetches > 0 {
		attrs = append(attrs, "fetches", sum.Fetches)
	}
	attrs = append(attrs, "bytes_read", sum.Report.Pages.Bytes, "outputs", strings.Join(sum.Outputs, ","),
		"duration", sum.Duration.Round(time.Millisecond).String())
	if len(sum.RejectReasons) > 0 {
		attrs = append(attrs, "reject_reasons", strings.Join(sum.ReasonCounts(), ","))
	}
	if len(sum.RuleFallbacks) > 0 {
		// A site rule that stopped matching is worth a look: the site
		// probably changed its markup.
		attrs = append(attrs, "rule_fallbacks", strings.Join(sum.FallbackCounts(), ","))
	}
	switch {
	case err != nil && ctxErr != nil:
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
