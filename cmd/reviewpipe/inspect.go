package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/reviewpipe/reviewpipe/sinks"
)

func (c *cli) inspectCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect PATH",
		Short: "Show what the runs under an output folder published",
		Long: `"What did last night's run produce?": for an output folder (the one
holding _manifests, or a dataset inside it) the runs with their dates,
modes, files and rows, the last complete run from _SUCCESS, and per dataset
the rows, files and size, rows per partition, and each column's DuckDB type
and null rate (from the files' footers: no data is read).`,
		Example: "  reviewpipe inspect out\n  reviewpipe inspect out/reviews",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			c.code = inspect(args[0], c.stdout, c.stderr)
			return nil
		},
	}
}

// inspect prints what the runs published under path: the runs, rows by
// dataset and partition, and each column's type and null rate.
func inspect(path string, stdout, stderr io.Writer) int {
	rep, err := sinks.Inspect(path)
	if err != nil {
		fmt.Fprintf(stderr, "reviewpipe inspect: %v\n", err)
		return exitFailed
	}
	last := rep.LastRun
	if last == "" {
		last = "none (no _SUCCESS)"
	}
	fmt.Fprintf(stdout, "%s: %d runs, last complete run %s\n", rep.Root, len(rep.Runs), last)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nrun\tcreated\tmode\tfiles\trows\tschema")
	for _, m := range rep.Runs {
		var rows int64
		for _, f := range m.Files {
			rows += max(f.Rows, 0)
		}
		mode := m.Mode
		if m.Adopted {
			mode = "adopted"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", m.RunID, m.CreatedAt.Format("2006-01-02 15:04:05Z"), mode, len(m.Files), rows, m.SchemaVersion)
	}
	tw.Flush()
	for _, d := range rep.Datasets {
		fmt.Fprintf(stdout, "\n%s: %d rows in %d files, %.1f MB\n", d.Name, d.Rows, d.Files, float64(d.Bytes)/1e6)
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		for _, p := range d.Partitions {
			fmt.Fprintf(tw, "  %s\t%d rows\n", p.Path, p.Rows)
		}
		tw.Flush()
		if len(d.Columns) == 0 {
			continue
		}
		tw = tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  column\ttype\tnulls")
		for _, c := range d.Columns {
			nulls := "-"
			if c.Nulls >= 0 && d.Rows > 0 {
				nulls = fmt.Sprintf("%.1f%%", 100*float64(c.Nulls)/float64(d.Rows))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, duckdbType(d.Name, c.Name, c.Type), nulls)
		}
		tw.Flush()
	}
	return exitOK
}

// duckdbType is a column's type as DuckDB shows it, which the README and
// `reviewpipe schema` use; columns of no known dataset keep the file's
// own notation.
func duckdbType(dataset, column, fileType string) string {
	for _, ds := range datasetColumns {
		if ds.name != dataset {
			continue
		}
		for _, col := range ds.cols {
			if col.Name == column {
				return col.Type
			}
		}
	}
	return fileType
}
