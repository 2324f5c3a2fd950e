package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/internal/metrics"
	"github.com/reviewpipe/reviewpipe/internal/runstats"
	"github.com/reviewpipe/reviewpipe/sinks"
)

// DryRun checks what a run of cfg would do, without doing it: the config
// is valid (it was loaded), every source resolves (files are listed, the
// first limit printed; a crawl's start URLs are printed, nothing is
// fetched), and every output could be published (a local folder writable,
// object storage reachable with the credentials at hand). It writes no file.
// The error names every output or source that would fail.
func DryRun(ctx context.Context, cfg *Config, limit int, w io.Writer) error {
	fmt.Fprintf(w, "config %s: valid\n", cfg.File)
	var errs []error
	for i, c := range cfg.Sources {
		name := describe(c, i, "sources")
		if err := dryRunSource(ctx, cfg, c, name, limit, w); err != nil {
			fmt.Fprintf(w, "%s: FAILS: %v\n", name, err)
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	for i, c := range cfg.Sinks {
		name := describe(c, i, "sinks")
		pc, ok := c.Spec.(*sinks.ParquetConfig)
		if !ok {
			continue
		}
		if pc.Path == "-" {
			fmt.Fprintf(w, "%s: streams Arrow IPC to stdout\n", name)
			continue
		}
		resolved := *pc
		if !sinks.IsRemote(pc.Path) {
			resolved = resolveParquet(pc, cfg)
		}
		what, err := sinks.Preflight(ctx, resolved)
		if err != nil {
			fmt.Fprintf(w, "%s: FAILS: %v\n", name, err)
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		fmt.Fprintf(w, "%s (%s, mode %s): %s\n", name, resolved.FormatName(), resolved.Mode, what)
	}
	for _, state := range cfg.statePaths() {
		if err := sinks.PreflightDir(filepath.Dir(state)); err != nil {
			fmt.Fprintf(w, "state %s: FAILS: %v\n", state, err)
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	fmt.Fprintln(w, "dry run: nothing was read, fetched or written")
	return nil
}

// dryRunSource lists a source's first inputs.
func dryRunSource(ctx context.Context, cfg *Config, c Component, name string, limit int, w io.Writer) error {
	switch spec := c.Spec.(type) {
	case *crawl.FilesConfig:
		src, err := buildFiles(spec, cfg, buildEnv{log: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		names, total, err := src.(*crawl.Files).List(ctx, limit)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d file(s); the first %d:\n", name, total, len(names))
		for _, n := range names {
			fmt.Fprintf(w, "  %s\n", n)
		}
	case *crawl.WARCConfig:
		src, err := buildWARC(spec, cfg, buildEnv{log: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		names, total, err := src.(*crawl.WARC).List(ctx, limit)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d archive(s); the first %d:\n", name, total, len(names))
		for _, n := range names {
			fmt.Fprintf(w, "  %s\n", n)
		}
	case *crawl.WebConfig:
		starts := append(append(append([]string{}, spec.Seeds...), spec.Sitemaps...), spec.Feeds...)
		fmt.Fprintf(w, "%s: crawl from %d start URL(s) (not fetched in a dry run):\n", name, len(starts))
		for _, u := range starts[:min(len(starts), limit)] {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	return nil
}

// statePaths are the state files a run writes besides its datasets.
func (c *Config) statePaths() []string {
	var out []string
	if s := c.Transform.Duplicates.State; s != "" {
		out = append(out, c.resolveOutput(s))
	}
	for _, src := range c.Sources {
		if wc, ok := src.Spec.(*crawl.WebConfig); ok && wc.State != "" {
			out = append(out, c.resolveOutput(wc.State))
		}
	}
	return out
}

// WriteMetrics exports a run's summary as the metrics section says: the
// textfile (its path resolved like an output) and the Pushgateway.
func WriteMetrics(ctx context.Context, cfg *Config, rep runstats.Summary) error {
	mc := cfg.Metrics
	if mc.Textfile != "" {
		mc.Textfile = cfg.resolveOutput(mc.Textfile)
	}
	return metrics.Export(ctx, mc, rep)
}
