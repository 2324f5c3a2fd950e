package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/sinks"
)

// runIDRe is what a run id given on the command line may be: it names
// files and folders.
var runIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// shardFlags resolves --shard K/N and --run-id, falling back to the
// variables a Kubernetes Indexed Job sets (JOB_COMPLETION_INDEX, and
// JOB_COMPLETIONS set from the Job's completions) and REVIEWPIPE_RUN_ID.
// It returns nil when the run is not sharded.
func shardFlags(shard, runID string) (*crawl.Shard, string, error) {
	if shard == "" && os.Getenv("JOB_COMPLETION_INDEX") != "" && os.Getenv("JOB_COMPLETIONS") != "" {
		shard = os.Getenv("JOB_COMPLETION_INDEX") + "/" + os.Getenv("JOB_COMPLETIONS")
	}
	if runID == "" {
		runID = os.Getenv("REVIEWPIPE_RUN_ID")
	}
	if shard == "" {
		if runID != "" {
			return nil, "", errors.New("--run-id names a sharded run: give --shard K/N too")
		}
		return nil, "", nil
	}
	k, n, ok := strings.Cut(shard, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	sh := &crawl.Shard{Index: ki, Count: ni}
	if !ok || err1 != nil || err2 != nil {
		return nil, "", fmt.Errorf("--shard %q: want K/N, e.g. 0/4", shard)
	}
	if err := sh.Validate(); err != nil {
		return nil, "", fmt.Errorf("--shard: %w", err)
	}
	if !runIDRe.MatchString(runID) {
		return nil, "", fmt.Errorf("--run-id %q: a sharded run needs one id shared by all its shards (letters, digits, '.', '_', '-'), or REVIEWPIPE_RUN_ID", runID)
	}
	return sh, runID, nil
}

func (c *cli) commitCommand() *cobra.Command {
	var runID string
	cmd := &cobra.Command{
		Use:   "commit --run-id ID",
		Short: "Publish the shards of a sharded run in one manifest",
		Long: `Publish every shard of a sharded run (reviewpipe run --shard K/N --run-id ID)
staged under the config's datasets, in one manifest, once every shard has
reported success. When a shard is missing, nothing is published and the
missing shards are named (exit 1). A commit of a run already published
changes nothing and exits 0, so two commits of one run publish it once.`,
		Example: `  for k in 0 1 2 3; do reviewpipe run -c pipeline.yaml --shard $k/4 --run-id nightly-2026-12-04 & done; wait
  reviewpipe commit -c pipeline.yaml --run-id nightly-2026-12-04`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runID == "" {
				runID = os.Getenv("REVIEWPIPE_RUN_ID")
			}
			if !runIDRe.MatchString(runID) {
				return fmt.Errorf("commit: --run-id %q: give the id the shards ran with", runID)
			}
			cfg, err := c.loadConfig(cmd, "")
			if err != nil {
				fmt.Fprintf(c.stderr, "reviewpipe commit: invalid config:\n%v\n", err)
				c.code = exitUsage
				return nil
			}
			log := newLogger(cfg.Log, c.stderr)
			published, already, err := pipeline.CommitShards(cmd.Context(), cfg, runID, log)
			for _, m := range published {
				log.Info("run published", "run_id", m.RunID, "files", len(m.Files), "rows", rowsOf(m))
			}
			switch {
			case err != nil:
				log.Error("commit refused", "run_id", runID, "error", err)
				c.code = exitFailed
			case already && len(published) == 0:
				log.Info("run already published: nothing to do", "run_id", runID)
			}
			return nil
		},
	}
	c.configFlags(cmd)
	cmd.Flags().StringVar(&runID, "run-id", "", "the sharded run's id (default $REVIEWPIPE_RUN_ID)")
	return cmd
}

func rowsOf(m sinks.Manifest) int64 {
	var n int64
	for _, f := range m.Files {
		if f.Dataset == "reviews" {
			n += f.Rows
		}
	}
	return n
}
