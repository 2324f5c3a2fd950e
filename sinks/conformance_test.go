package sinks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// conformanceRow is what an independent reader says of one review.
type conformanceRow struct {
	ID          string
	PublishedAt string // RFC 3339 in UTC with microseconds, "" for null
}

// sinkFormat is one sink type under the conformance suite: how to make it
// and how an independent implementation reads its reviews dataset.
type sinkFormat struct {
	name string
	cfg  func(t *testing.T) ParquetConfig
	ext  string
	read func(t *testing.T, dir string) []conformanceRow
	// local maps the config's reviews path to the folder that holds its
	// files (for object storage: the S3 server's backing folder); nil is
	// the path itself.
	local func(cfg ParquetConfig) string
	// open makes the sink; nil is NewParquet.
	open func(t *testing.T, cfg ParquetConfig, runID string) Sink
}

func duckdbRows(t *testing.T, from string) []conformanceRow {
	t.Helper()
	rows, err := duckdbOpen(t).Query(`SELECT review_id, coalesce(strftime(published_at::TIMESTAMPTZ AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ'), '') FROM ` + from + ` ORDER BY review_id`)
	if err != nil {
		t.Fatalf("DuckDB: %v", err)
	}
	defer rows.Close()
	var out []conformanceRow
	for rows.Next() {
		var r conformanceRow
		if err := rows.Scan(&r.ID, &r.PublishedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

var sinkFormats = []sinkFormat{
	{
		name: "parquet", ext: ".parquet",
		cfg: parquetTestConfig,
		read: func(t *testing.T, dir string) []conformanceRow {
			return duckdbRows(t, "read_parquet("+duckdbGlob(dir)+")")
		},
	},
	{
		name: "jsonl", ext: ".jsonl.gz",
		cfg: func(t *testing.T) ParquetConfig {
			c := DefaultJSONLConfig()
			c.Path, c.SortBy = filepath.Join(t.TempDir(), "out", "reviews"), nil
			return c
		},
		read: func(t *testing.T, dir string) []conformanceRow {
			return duckdbRows(t, "read_json('"+filepath.ToSlash(dir)+"/**/*.jsonl.gz', format = 'newline_delimited')")
		},
	},
	{
		name: "arrow", ext: ".arrow",
		cfg: func(t *testing.T) ParquetConfig {
			c := DefaultArrowConfig()
			c.Path, c.SortBy = filepath.Join(t.TempDir(), "out", "reviews"), nil
			return c
		},
		read: func(t *testing.T, dir string) []conformanceRow {
			pkg := testshared.ApacheArrowJS(t)
			files, _ := filepath.Glob(filepath.Join(dir, "*.arrow"))
			var out []conformanceRow
			for _, f := range files {
				rows, _ := arrowJSRead(t, pkg, f)
				for _, r := range rows {
					row := conformanceRow{ID: r["review_id"].(string)}
					if at, ok := r["published_at"].(string); ok {
						row.PublishedAt = at
					}
					out = append(out, row)
				}
			}
			slices.SortFunc(out, func(a, b conformanceRow) int { return strings.Compare(a.ID, b.ID) })
			return out
		},
	},
}

func (f sinkFormat) newSink(t *testing.T, cfg ParquetConfig, runID string) Sink {
	t.Helper()
	if f.open != nil {
		return f.open(t, cfg, runID)
	}
	s, err := NewParquet(cfg, runID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f sinkFormat) dir(cfg ParquetConfig) string {
	if f.local != nil {
		return f.local(cfg)
	}
	return cfg.Path
}

// s3Format is the Parquet sink on an S3-compatible server, started for
// the whole suite (its credentials are set in the environment of t).
func s3Format(t *testing.T) sinkFormat {
	srv := testshared.StartS3(t, "conformance")
	n := 0
	return sinkFormat{
		name: "s3", ext: ".parquet",
		cfg: func(t *testing.T) ParquetConfig {
			n++
			c := parquetTestConfig(t)
			c.Path = fmt.Sprintf("s3://conformance/case%d/reviews?endpoint=%s&use_path_style=true&region=us-east-1", n, srv.Endpoint)
			return c
		},
		local: func(cfg ParquetConfig) string {
			_, prefix, dataset, _ := remoteRoot(cfg.Path)
			return filepath.Join(srv.Root, "conformance", prefix, dataset)
		},
		open: func(t *testing.T, cfg ParquetConfig, runID string) Sink {
			s, err := NewRemote(cfg, runID, nil)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		read: func(t *testing.T, dir string) []conformanceRow {
			return duckdbRows(t, "read_parquet("+duckdbGlob(dir)+")")
		},
	}
}

// visibleFiles are the dataset files a reader's glob picks up.
func visibleFiles(t *testing.T, dir, ext string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") && strings.HasSuffix(d.Name(), ext) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestSinkConformance runs every sink format through the same contract.
func TestSinkConformance(t *testing.T) {
	// Nanoseconds and a zone that is not UTC: every format must give the
	// instant in UTC, truncated to the microsecond.
	at := time.Date(2024, 3, 9, 22, 15, 30, 123456789, time.FixedZone("CET", 3600))
	wantAt := "2024-03-09T21:15:30.123456Z"
	reviews := []record.Review{
		{ReviewID: "a", URL: "u1", PublishedAt: &at, FetchedAt: at, Body: "b", ContentHash: "1", Extractor: "x", Source: "s"},
		{ReviewID: "b", URL: "u2", FetchedAt: at, Body: "b", ContentHash: "2", Extractor: "x", Source: "s"},
	}
	formats := sinkFormats
	if !testing.Short() {
		formats = append(slices.Clip(formats), s3Format(t))
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			t.Run("round trip through an independent reader, timestamps µs UTC", func(t *testing.T) {
				cfg := f.cfg(t)
				s := f.newSink(t, cfg, "run1")
				if err := s.Write(context.Background(), reviews); err != nil {
					t.Fatal(err)
				}
				if got := visibleFiles(t, f.dir(cfg), f.ext); len(got) != 0 {
					t.Errorf("before Commit, visible files %v", got)
				}
				if err := s.Commit(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := f.read(t, f.dir(cfg))
				want := []conformanceRow{{"a", wantAt}, {"b", ""}}
				if !slices.Equal(got, want) {
					t.Errorf("read back %v, want %v", got, want)
				}
				if reviews[0].PublishedAt.Location().String() != "CET" {
					t.Errorf("the sink changed the caller's row")
				}
			})
			t.Run("empty run", func(t *testing.T) {
				cfg := f.cfg(t)
				s := f.newSink(t, cfg, "run1")
				if err := s.Commit(context.Background()); err != nil {
					t.Fatal(err)
				}
				// An empty dataset is published as one file without rows,
				// so that a reader's glob finds it and its columns.
				if got := visibleFiles(t, f.dir(cfg), f.ext); len(got) != 1 {
					t.Errorf("empty run published %v, want one file without rows", got)
				}
				if f.name == "jsonl" {
					// An empty JSON Lines file carries no column names:
					// DuckDB counts it, a query naming columns needs them given.
					var n int
					q := "SELECT count(*) FROM read_json('" + filepath.ToSlash(f.dir(cfg)) + "/**/*.jsonl.gz', format = 'newline_delimited')"
					if err := duckdbOpen(t).QueryRow(q).Scan(&n); err != nil || n != 0 {
						t.Errorf("DuckDB on the empty JSON Lines dataset: %d rows, %v", n, err)
					}
				} else if rows := f.read(t, f.dir(cfg)); len(rows) != 0 {
					t.Errorf("empty run's file holds %v", rows)
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(f.dir(cfg)), "_SUCCESS")); err != nil {
					t.Errorf("empty run: no _SUCCESS: %v", err)
				}
				// A second empty run adds no file: the dataset has one.
				s2 := f.newSink(t, cfg, "run2")
				if err := s2.Commit(context.Background()); err != nil {
					t.Fatal(err)
				}
				if got := visibleFiles(t, f.dir(cfg), f.ext); len(got) != 1 {
					t.Errorf("a second empty run left %v, want the first run's file alone", got)
				}
			})
			t.Run("abort leaves nothing visible", func(t *testing.T) {
				cfg := f.cfg(t)
				cfg.MaxFileRows = 1 // a finished file and an open one
				s := f.newSink(t, cfg, "run1")
				if err := s.Write(context.Background(), reviews); err != nil {
					t.Fatal(err)
				}
				if err := s.Abort(); err != nil {
					t.Fatal(err)
				}
				root := filepath.Dir(f.dir(cfg))
				var left []string
				filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() && p != filepath.Join(root, "_manifests", ".lock") {
						left = append(left, p)
					}
					return nil
				})
				if len(left) != 0 {
					t.Errorf("after Abort: %v", left)
				}
			})
			t.Run("commit publishes the files and their manifest together", func(t *testing.T) {
				cfg := f.cfg(t)
				cfg.MaxFileRows = 1
				s := f.newSink(t, cfg, "run1")
				if err := s.Write(context.Background(), reviews); err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := s.Commit(ctx); err == nil {
					t.Fatal("Commit with a cancelled context succeeded")
				}
				if got := visibleFiles(t, f.dir(cfg), f.ext); len(got) != 0 {
					t.Errorf("a failed Commit published %v", got)
				}
				ms, _ := readManifests(filepath.Dir(f.dir(cfg)))
				if len(ms) != 0 {
					t.Errorf("a failed Commit wrote manifests %v", ms)
				}
				s2 := f.newSink(t, cfg, "run2")
				s2.Write(context.Background(), reviews)
				if err := s2.Commit(context.Background()); err != nil {
					t.Fatal(err)
				}
				ms, _ = readManifests(filepath.Dir(f.dir(cfg)))
				files := visibleFiles(t, f.dir(cfg), f.ext)
				listed := 0
				for _, mf := range ms["run2"].Files {
					if mf.Dataset == "reviews" {
						listed++
					}
				}
				if listed != len(files) || len(files) != len(reviews) {
					t.Errorf("manifest lists %d reviews files, %d visible, want %d", listed, len(files), len(reviews))
				}
			})
		})
	}
}
