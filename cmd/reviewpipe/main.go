// Command reviewpipe turns review pages into analytics-ready Parquet.
//
// Usage:
//
//	reviewpipe run [-c pipeline.yaml] [-o DIR] [--set k=v] [--dry-run] [--shard K/N --run-id ID]
//	reviewpipe commit --run-id ID
//	reviewpipe validate [-c pipeline.yaml]
//	reviewpipe extract [--format json|markdown|text] URL|FILE|DIR|- ...
//	reviewpipe schema
//	reviewpipe inspect PATH
//	reviewpipe report PATH
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
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

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

const exitCodesHelp = `Exit codes: 0 ok, 1 failed (nothing published), 2 bad flags or config,
3 finished with rejected pages or a failed source (output published),
4 no input: no file matched, no URL answered (nothing published), 130 interrupted.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli holds the flags every command shares and the exit code the command
// chose.
type cli struct {
	stdout, stderr io.Writer
	code           int

	config    string
	sets      []string
	logLevel  string
	logFormat string
	quiet     bool
	// stdin is where extract reads "-".
	stdin io.Reader
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runIO(ctx, args, os.Stdin, stdout, stderr)
}

// runIO is run reading stdin from in.
func runIO(ctx context.Context, args []string, in io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: in, stdout: stdout, stderr: stderr}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(stderr, "reviewpipe: %v\nRun 'reviewpipe --help' for usage.\n", err)
		return exitUsage
	}
	return c.code
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "reviewpipe",
		Short: "Turn review pages into analytics-ready Parquet",
		Long: `reviewpipe turns review pages — crawled, or read from HTML files — into
analytics-ready datasets (Parquet, Arrow IPC or JSON Lines): the article
text without boilerplate and the review's fields (headline, reviewers,
dates, rating, the item reviewed, comments).

` + exitCodesHelp,
		Version:       record.Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(c.stderr)
			_ = cmd.Help()
			c.code = exitUsage
			return nil
		},
	}
	root.SetVersionTemplate("reviewpipe {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&c.logLevel, "log-level", "", "log level: debug, info, warn or error (overrides log.level)")
	pf.StringVar(&c.logFormat, "log-format", "", "log format: text or json (overrides log.format)")
	root.AddCommand(c.runCommand(), c.validateCommand(), c.extractCommand(), c.schemaCommand(), c.inspectCommand(), c.reportCommand(), c.commitCommand())
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	})
	return root
}

// configFlags adds -c and --set to a command that reads a config.
func (c *cli) configFlags(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&c.config, "config", "c", "pipeline.yaml", "config `file`; without it ./pipeline.yaml, else the built-in sample pipeline")
	cmd.Flags().StringArrayVar(&c.sets, "set", nil, "override a config value, `key.path=value` (repeatable): --set pipeline.workers=4 --set 'sinks[0].path=/data/reviews'")
}

// loadConfig loads -c FILE with the overrides; without -c it loads
// ./pipeline.yaml, or the built-in default when there is none.
func (c *cli) loadConfig(cmd *cobra.Command, outDir string) (*pipeline.Config, error) {
	opts := pipeline.Options{Set: c.sets, OutDir: outDir}
	var (
		cfg *pipeline.Config
		err error
	)
	if !cmd.Flags().Changed("config") {
		if _, statErr := os.Stat(c.config); errors.Is(statErr, os.ErrNotExist) {
			cfg, err = pipeline.LoadEmbeddedWith(opts)
		} else {
			cfg, err = pipeline.LoadWith(c.config, opts)
		}
	} else {
		cfg, err = pipeline.LoadWith(c.config, opts)
	}
	if err != nil {
		return nil, err
	}
	if c.logLevel != "" {
		cfg.Log.Level = c.logLevel
	}
	if c.logFormat != "" {
		cfg.Log.Format = c.logFormat
	}
	if err := cfg.Log.Validate(); err != nil {
		return nil, fmt.Errorf("--log-level/--log-format: %w", err)
	}
	return cfg, nil
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
