package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/reviewpipe/reviewpipe/sinks"
)

// cmdInspect prints what the runs published under PATH: the runs, rows by
// dataset and partition, and each column's type and null rate.
func cmdInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "reviewpipe inspect: want one PATH, the output folder (holding _manifests) or a dataset in it")
		return exitUsage
	}
	rep, err := sinks.Inspect(fs.Arg(0))
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
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Type, nulls)
		}
		tw.Flush()
	}
	return exitOK
}
