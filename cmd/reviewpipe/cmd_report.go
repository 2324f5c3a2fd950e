package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/report"
	"github.com/reviewpipe/reviewpipe/internal/runstats"
	"github.com/reviewpipe/reviewpipe/sinks"
)

func (c *cli) reportCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "report PATH",
		Short: "Render a run's report.html again from its summary.json",
		Long: `Render the report of a run again: PATH is an output folder (the one holding
_runs/; its latest run is taken), a run's folder _runs/<run-id>/, or a
summary.json; or an object-storage output ("s3://bucket/prefix?…", or its
_runs/<run-id>). The page is written beside a local summary as report.html
(for object storage: ./report.html), or to -o FILE ("-" for stdout). It is
self-contained: open it in any browser.`,
		Example: `  reviewpipe report out
  reviewpipe report out/_runs/20261204T224143Z-74d5b7 -o /tmp/report.html
  reviewpipe report 's3://reviews-bucket/nightly' -o report.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.code = c.report(cmd.Context(), args[0], out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the page to `FILE` (\"-\": stdout) instead of beside the summary")
	return cmd
}

func (c *cli) report(ctx context.Context, path, out string) int {
	var (
		data        []byte
		summaryPath string
		err         error
	)
	if sinks.IsRemote(path) {
		// An object store's run: the page is written here, not uploaded.
		data, summaryPath, err = sinks.ReadRemoteRunFile(ctx, path, pipeline.SummaryFile)
		if out == "" {
			out = pipeline.ReportFile
		}
	} else if summaryPath, err = findSummary(path); err == nil {
		data, err = os.ReadFile(summaryPath)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "reviewpipe report: %v\n", err)
		return exitFailed
	}
	sum, err := runstats.Parse(data)
	if err != nil {
		fmt.Fprintf(c.stderr, "reviewpipe report: %s: %v\n", summaryPath, err)
		return exitFailed
	}
	page := report.Render(sum)
	switch out {
	case "-":
		_, err = c.stdout.Write(page)
	case "":
		out = filepath.Join(filepath.Dir(summaryPath), pipeline.ReportFile)
		fallthrough
	default:
		err = os.WriteFile(out, page, 0o644)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "reviewpipe report: %v\n", err)
		return exitFailed
	}
	if out != "-" {
		fmt.Fprintf(c.stdout, "%s\n", out)
	}
	return exitOK
}

// findSummary resolves PATH to a summary.json: the file itself, a run's
// folder, or the latest run of an output folder's _runs/.
func findSummary(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return path, nil
	}
	if p := filepath.Join(path, pipeline.SummaryFile); exists(p) {
		return p, nil
	}
	runs := filepath.Join(path, "_runs")
	entries, err := os.ReadDir(runs)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s holds no %s and no _runs/ folder: give an output folder, a run's folder or a summary.json", path, pipeline.SummaryFile)
	}
	if err != nil {
		return "", err
	}
	// Run ids start with their UTC start time, so the last in name order
	// is the latest.
	slices.Reverse(entries)
	for _, e := range entries {
		if p := filepath.Join(runs, e.Name(), pipeline.SummaryFile); e.IsDir() && exists(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: no run has a %s", runs, pipeline.SummaryFile)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
