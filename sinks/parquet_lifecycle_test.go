package sinks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// The Parquet sink's life cycle: commit, abort, rolling files, context,
// concurrency, reuse, errors and its config.

func TestParquetNothingVisibleBeforeCommit(t *testing.T) {
	cfg := parquetTestConfig(t)
	cfg.MaxFileRows = 2 // so finished files also wait for Commit
	s := newParquetForTest(t, cfg, "run1")
	ctx := context.Background()
	if err := s.Write(ctx, parquetTestReviews()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := s.WriteRejects(ctx, parquetTestRejects()); err != nil {
		t.Fatalf("WriteRejects: %v", err)
	}
	root := filepath.Dir(cfg.Path)
	if got := parquetFiles(t, root); len(got) != 0 {
		t.Errorf("before Commit, visible files %v, want none", got)
	}
	for _, p := range parquetAllEntries(t, root) {
		if name := filepath.Base(p); !strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".parquet") {
			t.Errorf("before Commit, %s is not a hidden temporary", p)
		}
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got, want := len(parquetFiles(t, cfg.Path)), 2; got != want {
		t.Errorf("after Commit, %d review files, want %d", got, want)
	}
	if got, want := len(parquetFiles(t, cfg.RejectsDir())), 1; got != want {
		t.Errorf("after Commit, %d reject files, want %d", got, want)
	}
	// Besides the parquet files: the run's manifest and the _SUCCESS marker.
	want := append([]string{filepath.Join(root, "_SUCCESS"), filepath.Join(root, "_manifests", "run1.json")}, parquetFiles(t, root)...)
	if all := parquetAllEntries(t, root); !slices.Equal(all, want) {
		t.Errorf("after Commit, files %v, want %v", all, want)
	}
}

func TestParquetAbort(t *testing.T) {
	tests := []struct {
		name  string
		write func(ctx context.Context, s *ParquetSink) error
	}{
		{"nothing written", func(context.Context, *ParquetSink) error { return nil }},
		{"open files", func(ctx context.Context, s *ParquetSink) error {
			return errors.Join(s.Write(ctx, parquetTestReviews()), s.WriteRejects(ctx, parquetTestRejects()))
		}},
		{"finished and open files", func(ctx context.Context, s *ParquetSink) error {
			return errors.Join(s.Write(ctx, parquetTestReviews()), s.Write(ctx, parquetTestReviews()[:1]))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parquetTestConfig(t)
			cfg.MaxFileRows = 3
			s := newParquetForTest(t, cfg, "run1")
			ctx := context.Background()
			if err := tt.write(ctx, s); err != nil {
				t.Fatalf("writing: %v", err)
			}
			if err := s.Abort(); err != nil {
				t.Fatalf("Abort: %v", err)
			}
			root := filepath.Dir(cfg.Path)
			if _, err := os.Stat(root); err == nil {
				if got := parquetAllEntries(t, root); len(got) != 0 {
					t.Errorf("after Abort, files %v, want none", got)
				}
			}
			if err := s.Abort(); err != nil {
				t.Errorf("second Abort: %v, want nil", err)
			}
			if err := s.Write(ctx, parquetTestReviews()); err == nil {
				t.Errorf("Write after Abort: nil error, want one")
			}
			if err := s.Commit(ctx); err == nil {
				t.Errorf("Commit after Abort: nil error, want one")
			}
		})
	}
}

func TestParquetEmptyCommit(t *testing.T) {
	cfg := parquetTestConfig(t)
	s := newParquetForTest(t, cfg, "run1")
	if err := s.Write(context.Background(), nil); err != nil {
		t.Fatalf("Write(nil): %v", err)
	}
	if err := s.WriteRejects(context.Background(), []record.Reject{}); err != nil {
		t.Fatalf("WriteRejects(empty): %v", err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	for _, dir := range []string{cfg.Path, cfg.RejectsDir()} {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			t.Errorf("dataset directory %s not created: %v", dir, err)
		}
	}
	// An empty run is a run: _SUCCESS says the dataset is complete, and
	// each dataset gets one file without rows, so DuckDB can query it.
	root := filepath.Dir(cfg.Path)
	want := []string{filepath.Join(root, "_SUCCESS"), filepath.Join(root, "_manifests", "run1.json")}
	for _, ds := range []string{"comments", "pages", "rejects", "reviews"} {
		want = append(want, filepath.Join(root, ds, "part-run1-00000.parquet"))
	}
	slices.Sort(want)
	if got := parquetAllEntries(t, root); !slices.Equal(got, want) {
		t.Errorf("empty commit left files %v, want %v", got, want)
	}
	db := duckdbOpen(t)
	for _, ds := range []string{"comments", "pages", "rejects", "reviews"} {
		var rows, cols int
		if err := db.QueryRow("SELECT count(*) FROM read_parquet(" + duckdbGlob(filepath.Join(root, ds)) + ")").Scan(&rows); err != nil || rows != 0 {
			t.Errorf("DuckDB on the empty %s dataset: %d rows, %v", ds, rows, err)
		}
		if err := db.QueryRow("SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet(" + duckdbGlob(filepath.Join(root, ds)) + "))").Scan(&cols); err != nil || cols < 3 {
			t.Errorf("DuckDB on the empty %s dataset: %d columns, %v", ds, cols, err)
		}
	}
}

func TestParquetRollsFiles(t *testing.T) {
	tests := []struct {
		name          string
		maxFileRows   int64
		rowGroupRows  int64
		batchSizes    []int
		wantFileRows  []int64
		wantRowGroups []int
	}{
		{"exact multiple", 3, 2, []int{6}, []int64{3, 3}, []int{2, 2}},
		{"remainder", 3, 2, []int{2, 2, 2, 1, 1}, []int64{3, 3, 2}, []int{2, 2, 1}},
		{"batch spans files", 2, 100, []int{7}, []int64{2, 2, 2, 1}, []int{1, 1, 1, 1}},
		{"one row per file", 1, 1, []int{1, 2}, []int64{1, 1, 1}, []int{1, 1, 1}},
		{"under the limit", 100, 4, []int{9}, []int64{9}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parquetTestConfig(t)
			cfg.MaxFileRows, cfg.RowGroupRows = tt.maxFileRows, tt.rowGroupRows
			s := newParquetForTest(t, cfg, "run1")
			var want []record.Review
			for _, n := range tt.batchSizes {
				batch := make([]record.Review, n)
				for i := range batch {
					batch[i] = parquetTestReviews()[len(want)%3]
					batch[i].ReviewID = fmt.Sprintf("r%03d", len(want))
					want = append(want, batch[i])
				}
				if err := s.Write(context.Background(), batch); err != nil {
					t.Fatalf("Write: %v", err)
				}
			}
			if err := s.Commit(context.Background()); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			files := parquetFiles(t, cfg.Path)
			var gotRows []int64
			var gotGroups []int
			for i, p := range files {
				if wantName := fmt.Sprintf("part-run1-%05d.parquet", i); filepath.Base(p) != wantName {
					t.Errorf("file %d is %s, want %s", i, filepath.Base(p), wantName)
				}
				pf := parquetOpenFile(t, p)
				gotRows = append(gotRows, pf.NumRows())
				gotGroups = append(gotGroups, len(pf.RowGroups()))
			}
			if !slices.Equal(gotRows, tt.wantFileRows) {
				t.Errorf("rows per file = %v, want %v", gotRows, tt.wantFileRows)
			}
			if !slices.Equal(gotGroups, tt.wantRowGroups) {
				t.Errorf("row groups per file = %v, want %v", gotGroups, tt.wantRowGroups)
			}
			if got := parquetRead[record.Review](t, cfg.Path); !reflect.DeepEqual(got, parquetWant(want)) {
				t.Errorf("rows read back in file order differ from the rows written")
			}
		})
	}
}

func TestParquetWriteRespectsContext(t *testing.T) {
	cfg := parquetTestConfig(t)
	s := newParquetForTest(t, cfg, "run1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Write(ctx, parquetTestReviews()); !errors.Is(err, context.Canceled) {
		t.Errorf("Write with a cancelled ctx = %v, want context.Canceled", err)
	}
	if err := s.WriteRejects(ctx, parquetTestRejects()); !errors.Is(err, context.Canceled) {
		t.Errorf("WriteRejects with a cancelled ctx = %v, want context.Canceled", err)
	}
	// Nothing of the batches was written, so the sink is still usable.
	if err := s.Write(context.Background(), parquetTestReviews()[:1]); err != nil {
		t.Fatalf("Write after a refused batch: %v", err)
	}
	if err := s.Commit(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit with a cancelled ctx = %v, want context.Canceled", err)
	}
	if got := parquetAllEntries(t, filepath.Dir(cfg.Path)); len(got) != 0 {
		t.Errorf("failed Commit left files %v, want none", got)
	}
	if err := s.Abort(); err != nil {
		t.Errorf("Abort after a failed Commit: %v", err)
	}
}

// TestParquetConcurrentWriters runs Write and WriteRejects from separate
// goroutines, as a runner with a rejects channel would; run it with -race.
func TestParquetConcurrentWriters(t *testing.T) {
	cfg := parquetTestConfig(t)
	cfg.MaxFileRows = 5
	s := newParquetForTest(t, cfg, "run1")
	ctx := context.Background()
	const rounds = 20
	errc := make(chan error, 2)
	go func() {
		var err error
		for i := range rounds {
			batch := parquetTestReviews()
			for j := range batch {
				// Distinct reviews: append mode drops repeated ones.
				batch[j].ReviewID = fmt.Sprintf("%s-%d", batch[j].ReviewID, i)
			}
			err = errors.Join(err, s.Write(ctx, batch))
		}
		errc <- err
	}()
	go func() {
		var err error
		for range rounds {
			err = errors.Join(err, s.WriteRejects(ctx, parquetTestRejects()))
		}
		errc <- err
	}()
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatalf("writing: %v", err)
		}
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got, want := len(parquetRead[record.Review](t, cfg.Path)), rounds*len(parquetTestReviews()); got != want {
		t.Errorf("read %d reviews, want %d", got, want)
	}
	if got, want := len(parquetRead[record.Reject](t, cfg.RejectsDir())), rounds*len(parquetTestRejects()); got != want {
		t.Errorf("read %d rejects, want %d", got, want)
	}
}

func TestParquetCommitTwice(t *testing.T) {
	cfg := parquetTestConfig(t)
	s := newParquetForTest(t, cfg, "run1")
	ctx := context.Background()
	if err := s.Write(ctx, parquetTestReviews()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if err := s.Commit(ctx); err == nil {
		t.Errorf("second Commit: nil error, want one")
	}
	if err := s.Write(ctx, parquetTestReviews()); err == nil {
		t.Errorf("Write after Commit: nil error, want one")
	}
	if err := s.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v, want nil", err)
	}
	if got := len(parquetFiles(t, cfg.Path)); got != 1 {
		t.Errorf("after Commit and Abort, %d files, want the committed 1", got)
	}
}

// TestParquetRunIDReused checks that a second run with the same id fails
// instead of replacing the first run's files.
func TestParquetRunIDReused(t *testing.T) {
	cfg := parquetTestConfig(t)
	ctx := context.Background()
	first := newParquetForTest(t, cfg, "run1")
	if err := first.Write(ctx, parquetTestReviews()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := first.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	second := newParquetForTest(t, cfg, "run1")
	err := second.Write(ctx, parquetTestReviews()[:1])
	if err == nil || !strings.Contains(err.Error(), "run1.json") {
		t.Errorf("Write with a reused run id = %v, want an error naming the existing manifest", err)
	}
	if err := second.Commit(ctx); err == nil {
		t.Errorf("Commit after a failed Write: nil error, want one")
	}
	if got := parquetRead[record.Review](t, cfg.Path); len(got) != len(parquetTestReviews()) {
		t.Errorf("first run's file now has %d rows, want %d", len(got), len(parquetTestReviews()))
	}
}

// parquetBadRow has a field parquet-go cannot encode, so building its
// writer panics.
type parquetBadRow struct {
	C chan int `parquet:"c"`
}

func TestParquetRecoversEncoderPanic(t *testing.T) {
	dir := t.TempDir()
	d := newParquetDataset[parquetBadRow]("bad", dir, "run1", 10, nil)
	err := d.write(context.Background(), []parquetBadRow{{}})
	if err == nil || !strings.Contains(err.Error(), "panic") || !strings.Contains(err.Error(), ".part-run1-00000.parquet.tmp") {
		t.Fatalf("write = %v, want a panic error naming the file", err)
	}
	if got := parquetAllEntries(t, dir); len(got) != 0 {
		t.Errorf("files left after the panic: %v", got)
	}
}

func TestNewParquetErrors(t *testing.T) {
	valid := parquetTestConfig(t)
	tests := []struct {
		name  string
		cfg   ParquetConfig
		runID string
		want  string
	}{
		{"invalid config", ParquetConfig{}, "run1", "path"},
		{"empty run id", valid, "", "run id"},
		{"run id with slash", valid, "a/b", "run id"},
		{"run id dot-dot", valid, "..", "run id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewParquet(tt.cfg, tt.runID, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewParquet = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParquetConfigValidate(t *testing.T) {
	withPath := func(mod func(*ParquetConfig)) ParquetConfig {
		c := DefaultParquetConfig()
		c.Path = "out/reviews"
		mod(&c)
		return c
	}
	tests := []struct {
		name       string
		cfg        ParquetConfig
		wantFields []string
	}{
		{"defaults with path", withPath(func(*ParquetConfig) {}), nil},
		{"explicit rejects path", withPath(func(c *ParquetConfig) { c.RejectsPath = "elsewhere/rejects" }), nil},
		{"every codec name", withPath(func(c *ParquetConfig) { c.Compression = "lz4" }), nil},
		{"defaults alone", DefaultParquetConfig(), []string{"path"}},
		{"zero value", ParquetConfig{}, []string{"path", "compression", "row_group_rows", "max_file_rows", "mode"}},
		{"everything wrong", ParquetConfig{Path: " ", Compression: "ZSTD", RowGroupRows: -1, MaxFileRows: 0}, []string{"path", "compression", "row_group_rows", "max_file_rows", "mode"}},
		{"unknown codec", withPath(func(c *ParquetConfig) { c.Compression = "brotli" }), []string{"compression"}},
		{"rejects path is the reviews path", withPath(func(c *ParquetConfig) { c.RejectsPath = "out/reviews/" }), []string{"rejects_path"}},
		{"default rejects path is the reviews path", withPath(func(c *ParquetConfig) { c.Path = "out/rejects" }), []string{"rejects_path"}},
		{"rejects inside reviews", withPath(func(c *ParquetConfig) { c.RejectsPath = "out/reviews/rejects" }), []string{"rejects_path"}},
		{"reviews inside rejects", withPath(func(c *ParquetConfig) {
			c.RejectsPath = "out"
			c.PagesPath = "log/pages"
			c.CommentsPath = "log/comments"
		}), []string{"rejects_path"}},
		{"pages the rejects path", withPath(func(c *ParquetConfig) { c.PagesPath = "out/rejects" }), []string{"pages_path"}},
		{"default pages and comments inside rejects", withPath(func(c *ParquetConfig) { c.RejectsPath = "out" }), []string{"rejects_path", "pages_path", "comments_path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, fe := range confval.FieldErrors(tt.cfg.Validate()) {
				got = append(got, fe.Field)
				if fe.Msg == "" {
					t.Errorf("field %s has an empty message", fe.Field)
				}
			}
			if !slices.Equal(got, tt.wantFields) {
				t.Errorf("Validate fields = %v, want %v (error: %v)", got, tt.wantFields, tt.cfg.Validate())
			}
		})
	}
}

func TestParquetConfigValidateQuotesValues(t *testing.T) {
	c := ParquetConfig{Path: "out/reviews", Compression: "brotli", RowGroupRows: 1, MaxFileRows: 1}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `"brotli"`) {
		t.Errorf("Validate = %v, want the bad value quoted", err)
	}
}
