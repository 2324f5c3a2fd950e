package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/internal/objstore"
	"github.com/reviewpipe/reviewpipe/sinks"
	"github.com/reviewpipe/reviewpipe/transform"
)

// kind is one entry of the component registry: the default config of a
// `type:` and how to build the component from it.
type kind struct {
	// defaults returns a pointer to a new config holding the defaults.
	defaults func() any
	// build makes the component; cfg gives paths and the run's identity.
	build func(spec any, cfg *Config, env buildEnv) (any, error)
}

// buildEnv is what components get from the run besides their own config.
type buildEnv struct {
	runID string
	log   *slog.Logger
}

// sourceKinds and sinkKinds are the registry: every `type:` a
// pipeline.yaml may name. Adding a component means adding a line here.
var (
	sourceKinds = map[string]kind{
		"files": {
			defaults: func() any { c := crawl.DefaultFilesConfig(); return &c },
			build:    buildFiles,
		},
		"crawl": {
			defaults: func() any { c := crawl.DefaultWebConfig(); return &c },
			build:    buildWeb,
		},
		"warc": {
			defaults: func() any { c := crawl.DefaultWARCConfig(); return &c },
			build:    buildWARC,
		},
	}
	sinkKinds = map[string]kind{
		"parquet": {
			defaults: func() any { c := sinks.DefaultParquetConfig(); return &c },
			build:    buildParquet,
		},
		"arrow": {
			defaults: func() any { c := sinks.DefaultArrowConfig(); return &c },
			build:    buildParquet, // the config says the format
		},
		"jsonl": {
			defaults: func() any { c := sinks.DefaultJSONLConfig(); return &c },
			build:    buildParquet, // the config says the format
		},
	}
)

// buildFiles resolves the source's paths: against the embedded sample site
// for the embedded default config, else against the config file's folder on
// the OS file system.
func buildFiles(spec any, cfg *Config, env buildEnv) (any, error) {
	c := *spec.(*crawl.FilesConfig)
	if mp := cfg.Extract.MaxPageBytes; mp > 0 && mp < c.MaxFileBytes {
		c.MaxFileBytes = mp
	}
	fsys, paths, display := cfg.inputPaths(c.Paths)
	c.Paths = paths
	return crawl.NewFiles(c, fsys, display, env.log)
}

// buildWARC resolves the archives' paths as buildFiles does.
func buildWARC(spec any, cfg *Config, env buildEnv) (any, error) {
	c := *spec.(*crawl.WARCConfig)
	if mp := cfg.Extract.MaxPageBytes; mp > 0 && mp < c.MaxRecordBytes {
		c.MaxRecordBytes = mp
	}
	fsys, paths, display := cfg.inputPaths(c.Paths)
	c.Paths = paths
	return crawl.NewWARC(c, fsys, display, env.log)
}

// inputPaths resolves a source's paths: against the embedded sample site
// for the embedded default config, else against the config file's folder
// on the OS file system (with display turning fs names back into paths).
func (cfg *Config) inputPaths(in []string) (fs.FS, []string, func(string) string) {
	paths := make([]string, len(in))
	if cfg.inputs != nil {
		for i, p := range in {
			paths[i] = path.Clean(strings.TrimPrefix(p, "./"))
		}
		return cfg.inputs, paths, nil
	}
	for i, p := range in {
		if objstore.IsURL(p) {
			paths[i] = p // read from object storage, not resolved
			continue
		}
		p = expandHome(p)
		if !filepath.IsAbs(p) {
			p = filepath.Join(cfg.dir, p)
		}
		paths[i] = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(p)), "/")
	}
	return os.DirFS("/"), paths, func(name string) string { return "/" + name }
}

// buildWeb resolves the crawl state file: its own path against the config
// folder, else _state/crawl.db beside the first sink's dataset, else in
// the config folder.
func buildWeb(spec any, cfg *Config, env buildEnv) (any, error) {
	c := *spec.(*crawl.WebConfig)
	if mp := cfg.Extract.MaxPageBytes; mp > 0 && mp < c.MaxBodyBytes {
		// A body the extractor would reject is not worth downloading.
		c.MaxBodyBytes = mp
	}
	state := c.State
	switch {
	case state != "":
		state = cfg.resolveOutput(state)
	default:
		state = cfg.resolveOutput(filepath.Join("_state", "crawl.db"))
		for _, sk := range cfg.Sinks {
			if pc, ok := sk.Spec.(*sinks.ParquetConfig); ok {
				state = filepath.Join(filepath.Dir(filepath.Clean(cfg.resolveOutput(pc.Path))), "_state", "crawl.db")
				break
			}
		}
	}
	w, err := crawl.NewWeb(c, state, env.log)
	if err != nil {
		return nil, err
	}
	shard := 0
	if cfg.Shard != nil {
		shard = cfg.Shard.Index
	}
	// A shared frontier's workers are the shards of one run: the run id
	// they share names the run's queues in Redis.
	if err := w.UseShared(context.Background(), env.runID, shard); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

func buildParquet(spec any, cfg *Config, env buildEnv) (any, error) {
	c := spec.(*sinks.ParquetConfig)
	if c.Path == "-" {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		out := cfg.Stdout
		if out == nil {
			out = os.Stdout
		}
		return sinks.NewArrowStream(out), nil
	}
	if sinks.IsRemote(c.Path) {
		rc := c.WithConfigHash(cfg.Hash)
		if sh := cfg.Shard; sh != nil {
			return sinks.NewRemote(rc.ForShard(env.runID, sh.Index, sh.Count), sinks.ShardRunID(env.runID, sh.Index), env.log)
		}
		return sinks.NewRemote(rc, env.runID, env.log)
	}
	resolved := resolveParquet(c, cfg).WithConfigHash(cfg.Hash)
	if sh := cfg.Shard; sh != nil {
		return sinks.NewParquet(resolved.ForShard(env.runID, sh.Index, sh.Count), sinks.ShardRunID(env.runID, sh.Index), env.log)
	}
	return sinks.NewParquet(resolved, env.runID, env.log)
}

// resolveParquet returns c with its dataset paths made absolute.
func resolveParquet(c *sinks.ParquetConfig, cfg *Config) sinks.ParquetConfig {
	resolved := *c
	resolved.Path = cfg.resolveOutput(fileURLPath(c.Path))
	if c.RejectsPath != "" {
		resolved.RejectsPath = cfg.resolveOutput(c.RejectsPath)
	}
	if c.PagesPath != "" {
		resolved.PagesPath = cfg.resolveOutput(c.PagesPath)
	}
	if c.CommentsPath != "" {
		resolved.CommentsPath = cfg.resolveOutput(c.CommentsPath)
	}
	return resolved
}

// stagedStateFile is where a shard keeps its new near-duplicate
// fingerprints, inside its staging root.
const stagedStateFile = "_state/simhash.tsv"

// shardStatePath is where this shard saves its new fingerprints: in the
// staging root of the first local dataset, "" when there is none (the
// fingerprints are then not kept).
func (c *Config) shardStatePath(runID string) string {
	pc := c.firstLocalSink()
	if pc == nil {
		return ""
	}
	return filepath.Join(sinks.ShardStagingRoot(*pc, runID, c.Shard.Index, c.Shard.Count), stagedStateFile)
}

// firstLocalSink is the first dataset on local storage, resolved; nil
// when there is none.
func (c *Config) firstLocalSink() *sinks.ParquetConfig {
	for _, sk := range c.Sinks {
		if pc, ok := sk.Spec.(*sinks.ParquetConfig); ok && pc.Path != "-" && !sinks.IsRemote(pc.Path) {
			r := resolveParquet(pc, c)
			return &r
		}
	}
	return nil
}

// stagedStates reads the new fingerprints every shard of run runID kept,
// before the commit removes the staging.
func (c *Config) stagedStates(runID string) [][]byte {
	pc := c.firstLocalSink()
	if pc == nil {
		return nil
	}
	var out [][]byte
	for _, root := range sinks.ShardStagingRoots(*pc, runID) {
		if data, err := os.ReadFile(filepath.Join(root, stagedStateFile)); err == nil {
			out = append(out, data)
		}
	}
	return out
}

// CommitShards publishes the staged shards of run runID in every local
// dataset of the config, each under one manifest, and returns what was
// published. already reports a run another commit published before.
func CommitShards(ctx context.Context, cfg *Config, runID string, log *slog.Logger) (published []sinks.Manifest, already bool, err error) {
	var errs []error
	states := cfg.stagedStates(runID)
	for i, c := range cfg.Sinks {
		pc, ok := c.Spec.(*sinks.ParquetConfig)
		if !ok || pc.Path == "-" {
			continue
		}
		resolved := pc.WithConfigHash(cfg.Hash)
		if !sinks.IsRemote(pc.Path) {
			resolved = resolveParquet(pc, cfg).WithConfigHash(cfg.Hash)
		}
		m, err := sinks.CommitShards(ctx, resolved, runID, log)
		switch {
		case errors.Is(err, sinks.ErrAlreadyPublished):
			already = true
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", describe(c, i, "sinks"), err))
		default:
			published = append(published, m)
		}
	}
	if len(errs) == 0 && len(published) > 0 && cfg.Transform.Duplicates.State != "" {
		for _, data := range states {
			if err := transform.AppendState(data, cfg.resolveOutput(cfg.Transform.Duplicates.State)); err != nil {
				// The run is published; only later runs' duplicate_of suffer.
				errs = append(errs, fmt.Errorf("run published, but %w", err))
			}
		}
	}
	return published, already, errors.Join(errs...)
}

// fileURLPath turns a file:// dataset URL into its path; other paths are
// returned as they are.
func fileURLPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "file://"); ok {
		if u, err := url.Parse(p); err == nil && u.Path != "" {
			return filepath.FromSlash(u.Path)
		}
		return rest
	}
	return p
}

// resolveOutput makes an output path absolute against the config's folder
// (the working directory for the embedded default).
func (c *Config) resolveOutput(p string) string {
	p = expandHome(p)
	if filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	if c.outDir != "" {
		return filepath.Join(c.outDir, p)
	}
	return filepath.Join(c.dir, p)
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// outputsOf lists where a sink writes, for the run summary.
func outputsOf(spec any, cfg *Config) []string {
	switch c := spec.(type) {
	case *sinks.ParquetConfig:
		if c.Path == "-" {
			return []string{"stdout"}
		}
		if sinks.IsRemote(c.Path) {
			return []string{c.Path}
		}
		resolved := resolveParquet(c, cfg)
		return []string{resolved.Path, resolved.CommentsDir(), resolved.RejectsDir(), resolved.PagesDir()}
	}
	return nil
}

func describe(c Component, i int, section string) string {
	return fmt.Sprintf("%s[%d] (%s)", section, i, c.Type)
}
