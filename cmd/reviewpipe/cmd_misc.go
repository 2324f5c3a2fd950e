package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

func (c *cli) validateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a config and list every problem",
		Long: `Check a config without running it. Every problem is printed as
file:line:col: path: message, and the command exits 2.`,
		Example: `  reviewpipe validate -c pipeline.yaml
  reviewpipe validate --set pipeline.workers=-1   # shows how an override is checked`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig(cmd, "")
			if err != nil {
				var errs pipeline.Errors
				if errors.As(err, &errs) {
					for _, e := range errs {
						fmt.Fprintln(c.stderr, e)
					}
					fmt.Fprintf(c.stderr, "%d problem(s)\n", len(errs))
				} else {
					fmt.Fprintln(c.stderr, err)
				}
				c.code = exitUsage
				return nil
			}
			fmt.Fprintf(c.stdout, "%s: ok (%d source(s), %d sink(s))\n", cfg.File, len(cfg.Sources), len(cfg.Sinks))
			return nil
		},
	}
	c.configFlags(cmd)
	return cmd
}

func (c *cli) schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "schema",
		Short:   "Print the output columns with their types and meanings",
		Long:    "Print every dataset's columns with their DuckDB/Arrow types and meanings.",
		Example: "  reviewpipe schema | grep rating",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, ds := range datasetColumns {
				fmt.Fprintf(c.stdout, "dataset %s\n", ds.name)
				tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
				for _, col := range ds.cols {
					fmt.Fprintf(tw, "  %s\t%s\t%s\n", col.Name, col.Type, col.Meaning)
				}
				tw.Flush()
				fmt.Fprintln(c.stdout)
			}
			return nil
		},
	}
}

// datasetColumns are the datasets' columns as the README documents them.
var datasetColumns = []struct {
	name string
	cols []record.Column
}{{"reviews", record.ReviewColumns}, {"comments", record.CommentColumns}, {"rejects", record.RejectColumns}, {"pages", record.FetchColumns}}
