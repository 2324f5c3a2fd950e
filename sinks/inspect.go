package sinks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Report is what `reviewpipe inspect` says of a dataset root: its runs and,
// per dataset, rows by partition and the columns with their null rates.
type Report struct {
	Root     string
	LastRun  string // run id in _SUCCESS, "" when no run completed
	Runs     []Manifest
	Datasets []DatasetReport
}

// DatasetReport describes one dataset of the published runs.
type DatasetReport struct {
	Name       string
	Files      int
	Rows       int64
	Bytes      int64
	Partitions []PartitionRows // empty when the dataset is not partitioned
	Columns    []ColumnReport  // from the Parquet files' schema and statistics
}

// PartitionRows counts the rows of one partition folder.
type PartitionRows struct {
	Path string
	Rows int64
}

// ColumnReport is one top-level column. Nulls is -1 where the files do not
// say (nested columns, formats without statistics).
type ColumnReport struct {
	Name  string
	Type  string
	Nulls int64
}

// Inspect reads the manifests under root (the folder holding
// _manifests; a dataset folder inside it is accepted too) and the footers
// of the Parquet files they list. It reads no row data.
func Inspect(root string) (*Report, error) {
	if _, err := os.Stat(manifestDir(root)); errors.Is(err, fs.ErrNotExist) {
		if parent := filepath.Dir(filepath.Clean(root)); parent != root {
			if _, err := os.Stat(manifestDir(parent)); err == nil {
				root = parent
			}
		}
	}
	if _, err := os.Stat(manifestDir(root)); err != nil {
		return nil, fmt.Errorf("%s holds no reviewpipe runs (no %s): %w", root, manifestDir(root), err)
	}
	ms, err := readManifests(root)
	if err != nil {
		return nil, err
	}
	rep := &Report{Root: root}
	if data, err := os.ReadFile(filepath.Join(root, "_SUCCESS")); err == nil {
		var s struct {
			RunID string `json:"run_id"`
		}
		if json.Unmarshal(data, &s) == nil {
			rep.LastRun = s.RunID
		}
	}
	byName := map[string]*DatasetReport{}
	parts := map[string]map[string]int64{}
	superseded := map[string]bool{}
	for _, m := range ms {
		for _, id := range m.Supersedes {
			superseded[id] = true
		}
	}
	for _, id := range sortedRunIDs(ms) {
		m := ms[id]
		if superseded[id] {
			continue // replaced by an overwrite whose cleanup did not finish
		}
		rep.Runs = append(rep.Runs, m)
		for _, f := range m.Files {
			d := byName[f.Dataset]
			if d == nil {
				d = &DatasetReport{Name: f.Dataset}
				byName[f.Dataset] = d
				parts[f.Dataset] = map[string]int64{}
			}
			d.Files++
			d.Rows += max(f.Rows, 0)
			d.Bytes += f.Bytes
			if p := partitionOf(f.Path); p != "" {
				parts[f.Dataset][p] += max(f.Rows, 0)
			}
			if strings.HasSuffix(f.Path, ".parquet") {
				if err := addParquetColumns(d, absPath(root, f.Path)); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, name := range []string{"reviews", "comments", "rejects", "pages"} {
		d := byName[name]
		if d == nil {
			continue
		}
		for p, n := range parts[name] {
			d.Partitions = append(d.Partitions, PartitionRows{p, n})
		}
		sort.Slice(d.Partitions, func(i, j int) bool { return d.Partitions[i].Path < d.Partitions[j].Path })
		rep.Datasets = append(rep.Datasets, *d)
	}
	return rep, nil
}

// partitionOf returns the key=value folders of a manifest path.
func partitionOf(p string) string {
	var keep []string
	for _, seg := range strings.Split(filepath.ToSlash(filepath.Dir(p)), "/") {
		if strings.Contains(seg, "=") {
			keep = append(keep, seg)
		}
	}
	return strings.Join(keep, "/")
}

// addParquetColumns adds one file's schema and null counts to d.
func addParquetColumns(d *DatasetReport, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fields := pf.Schema().Fields()
	if d.Columns == nil {
		for _, fl := range fields {
			typ := fl.Type().String()
			if !fl.Leaf() {
				typ = "nested"
			}
			if fl.Optional() {
				typ += ", null"
			}
			d.Columns = append(d.Columns, ColumnReport{Name: fl.Name(), Type: typ})
		}
	}
	// Leaf columns in schema order; a top-level leaf is its own column.
	leaf := 0
	for i, fl := range fields {
		n := leafCount(fl)
		if i >= len(d.Columns) {
			break
		}
		if fl.Leaf() && d.Columns[i].Nulls >= 0 {
			for _, rg := range pf.Metadata().RowGroups {
				d.Columns[i].Nulls += rg.Columns[leaf].MetaData.Statistics.NullCount
			}
		} else {
			d.Columns[i].Nulls = -1
		}
		leaf += n
	}
	return nil
}

func leafCount(f parquet.Field) int {
	if f.Leaf() {
		return 1
	}
	n := 0
	for _, c := range f.Fields() {
		n += leafCount(c)
	}
	return n
}
