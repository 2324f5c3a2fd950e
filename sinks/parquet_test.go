package sinks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// parquetTestConfig returns a valid config whose datasets live in a fresh
// temporary directory: <tmp>/out/reviews and <tmp>/out/rejects.
func parquetTestConfig(t *testing.T) ParquetConfig {
	t.Helper()
	cfg := DefaultParquetConfig()
	cfg.Path = filepath.Join(t.TempDir(), "out", "reviews")
	cfg.SortBy = nil // the tests compare rows in the order written
	return cfg
}

func newParquetForTest(t *testing.T, cfg ParquetConfig, runID string) *ParquetSink {
	t.Helper()
	s, err := NewParquet(cfg, runID, nil)
	if err != nil {
		t.Fatalf("NewParquet: %v", err)
	}
	return s
}

func parquetPtr[T any](v T) *T { return &v }

// parquetTestTime has a sub-microsecond part and a non-UTC zone, both of
// which the files cannot keep: readers get the instant truncated to the
// microsecond, in UTC.
var parquetTestTime = time.Date(2024, 3, 9, 22, 15, 30, 123_456_789, time.FixedZone("CET", 3600))

// parquetTestReviews covers nulls, empty and multi-element lists, and
// non-ASCII text.
func parquetTestReviews() []record.Review {
	return []record.Review{
		{
			ReviewID:          "r-full",
			URL:               "https://example.com/reviews/1",
			CanonicalURL:      parquetPtr("https://example.com/r/1"),
			Site:              parquetPtr("example.com"),
			SiteName:          parquetPtr("Example Reviews"),
			Title:             parquetPtr("Ein großartiges Album — 5/5"),
			Authors:           []string{"Ana Lima", "Bo Chen"},
			PublishedAt:       parquetPtr(parquetTestTime),
			PublishedRaw:      parquetPtr("9 March 2024, 22:15"),
			FetchedAt:         parquetTestTime.Add(time.Hour),
			Language:          parquetPtr("de"),
			Description:       parquetPtr("short"),
			Body:              strings.Repeat("Körper ", 1000),
			WordCount:         1000,
			RatingRaw:         parquetPtr("4.5/5"),
			RatingValue:       parquetPtr(4.5),
			RatingBest:        parquetPtr(5.0),
			RatingWorst:       parquetPtr(0.0),
			Rating:            parquetPtr(0.9),
			ItemName:          parquetPtr("Some Album"),
			ItemType:          parquetPtr("MusicAlbum"),
			ItemYear:          parquetPtr(int32(1999)),
			ItemFacts:         []record.Fact{{Key: "Label", Value: "Blue Note"}, {Key: "Runtime", Value: "42 minutes"}},
			FieldSources:      []record.FieldSource{{Field: "title", Source: "jsonld"}, {Field: "rating", Source: "markup"}},
			CommentCount:      12,
			HasSpoilerWarning: true,
			ContentHash:       "abc123",
			Extractor:         "generic",
			Source:            "testdata/1.html",
		},
		{
			ReviewID:    "r-nulls",
			URL:         "https://example.com/reviews/2",
			Site:        parquetPtr("example.com"),
			FetchedAt:   time.Date(2023, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
			Body:        "text",
			WordCount:   1,
			ContentHash: "def456",
			Extractor:   "generic",
			Source:      "testdata/2.html",
		},
		{
			ReviewID:     "r-empty-list",
			URL:          "https://example.com/reviews/3",
			Site:         parquetPtr("example.com"),
			Title:        parquetPtr(""),
			Authors:      []string{},
			PublishedAt:  parquetPtr(time.Date(1969, 7, 20, 20, 17, 40, 500, time.UTC)),
			FetchedAt:    time.Unix(1_700_000_000, 1).UTC(),
			Body:         "",
			RatingValue:  parquetPtr(-1.25),
			ItemYear:     parquetPtr(int32(0)),
			CommentCount: 0,
			ContentHash:  "ghi789",
			Extractor:    "site:example",
			Source:       "testdata/3.html",
		},
	}
}

func parquetTestRejects() []record.Reject {
	return []record.Reject{
		{URL: "https://example.com/x", Source: "x.html", Stage: "extract", Reason: "no_body", Detail: parquetPtr("no <article>"), At: parquetTestTime},
		{URL: "https://example.com/y", Source: "y.html", Stage: "source", Reason: "unreadable", At: parquetTestTime.Add(time.Second)},
	}
}

// parquetWant returns what a reader gets back for rows: instants truncated
// to the microsecond, in UTC.
func parquetWant(rows []record.Review) []record.Review {
	out := slices.Clone(rows)
	for i := range out {
		out[i].FetchedAt = out[i].FetchedAt.Truncate(time.Microsecond).UTC()
		if p := out[i].PublishedAt; p != nil {
			out[i].PublishedAt = parquetPtr(p.Truncate(time.Microsecond).UTC())
		}
	}
	return out
}

func parquetWantRejects(rows []record.Reject) []record.Reject {
	out := slices.Clone(rows)
	for i := range out {
		out[i].At = out[i].At.Truncate(time.Microsecond).UTC()
	}
	return out
}

// parquetFiles returns the visible parquet files under dir in name order,
// as a reader's **/*.parquet glob would see them.
func parquetFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") && strings.HasSuffix(d.Name(), ".parquet") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", dir, err)
	}
	slices.Sort(files)
	return files
}

// parquetAllEntries returns every file under root, hidden ones included,
// but for the dataset lock, which stays for the next run.
func parquetAllEntries(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && p != filepath.Join(root, "_manifests", ".lock") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", root, err)
	}
	return files
}

// parquetRead reads every visible file of dir in name order.
func parquetRead[T any](t *testing.T, dir string) []T {
	t.Helper()
	var out []T
	for _, p := range parquetFiles(t, dir) {
		out = append(out, parquetReadFile[T](t, p)...)
	}
	return out
}

func parquetReadFile[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer f.Close()
	r := parquet.NewGenericReader[T](f)
	defer r.Close()
	rows := make([]T, r.NumRows())
	n, err := r.Read(rows)
	if err != nil && n != len(rows) {
		t.Fatalf("reading %s: read %d of %d rows: %v", path, n, len(rows), err)
	}
	return rows
}

func parquetOpenFile(t *testing.T, path string) *parquet.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("opening %s as parquet: %v", path, err)
	}
	return pf
}

func TestParquetRoundTrip(t *testing.T) {
	all := parquetTestReviews()
	tests := []struct {
		name    string
		batches [][]record.Review
		rejects [][]record.Reject
	}{
		{name: "one batch", batches: [][]record.Review{all}, rejects: [][]record.Reject{parquetTestRejects()}},
		{name: "batch per row", batches: [][]record.Review{all[:1], all[1:2], all[2:]}},
		{name: "empty batches in between", batches: [][]record.Review{nil, all[:2], {}, all[2:]}},
		{name: "only nulls", batches: [][]record.Review{all[1:2]}},
		{name: "only rejects", rejects: [][]record.Reject{parquetTestRejects()[:1], parquetTestRejects()[1:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := parquetTestConfig(t)
			s := newParquetForTest(t, cfg, "run1")
			ctx := context.Background()
			var want []record.Review
			for _, b := range tt.batches {
				if err := s.Write(ctx, b); err != nil {
					t.Fatalf("Write: %v", err)
				}
				want = append(want, b...)
			}
			var wantRejects []record.Reject
			for _, b := range tt.rejects {
				if err := s.WriteRejects(ctx, b); err != nil {
					t.Fatalf("WriteRejects: %v", err)
				}
				wantRejects = append(wantRejects, b...)
			}
			if err := s.Commit(ctx); err != nil {
				t.Fatalf("Commit: %v", err)
			}

			got := parquetRead[record.Review](t, cfg.Path)
			want = parquetWant(want)
			if len(got) != len(want) {
				t.Fatalf("read %d reviews, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("review %d:\ngot  %+v\nwant %+v", i, got[i], want[i])
				}
			}
			gotRejects := parquetRead[record.Reject](t, cfg.RejectsDir())
			wantRejects = parquetWantRejects(wantRejects)
			if (len(gotRejects) > 0 || len(wantRejects) > 0) && !reflect.DeepEqual(gotRejects, wantRejects) {
				t.Errorf("rejects:\ngot  %+v\nwant %+v", gotRejects, wantRejects)
			}
		})
	}
}

// TestParquetNulls checks the null encoding at the column level, where a
// round trip through Go values could hide a "" written for a nil pointer.
func TestParquetNulls(t *testing.T) {
	cfg := parquetTestConfig(t)
	s := newParquetForTest(t, cfg, "run1")
	reviews := parquetTestReviews()
	if err := s.Write(context.Background(), reviews); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	files := parquetFiles(t, cfg.Path)
	if len(files) != 1 {
		t.Fatalf("got files %v, want one", files)
	}
	pf := parquetOpenFile(t, files[0])
	col := func(path ...string) int {
		leaf, ok := pf.Schema().Lookup(path...)
		if !ok {
			t.Fatalf("no column %v in %s", path, pf.Schema())
		}
		return leaf.ColumnIndex
	}
	titleCol, authorsCol := col("title"), col("authors", "list", "element")

	rows := make([]parquet.Row, len(reviews))
	r := parquet.NewReader(pf)
	if n, err := r.ReadRows(rows); n != len(rows) {
		t.Fatalf("read %d of %d rows: %v", n, len(rows), err)
	}
	// values returns the column's values in a row as "null" or their text.
	values := func(row parquet.Row, c int) []string {
		var out []string
		row.Range(func(i int, vs []parquet.Value) bool {
			if i == c {
				for _, v := range vs {
					if v.IsNull() {
						out = append(out, fmt.Sprintf("null(def=%d)", v.DefinitionLevel()))
					} else {
						out = append(out, fmt.Sprintf("%q", v.String()))
					}
				}
			}
			return true
		})
		return out
	}
	tests := []struct {
		row         int
		wantTitle   []string
		wantAuthors []string
	}{
		{row: 0, wantTitle: []string{`"Ein großartiges Album — 5/5"`}, wantAuthors: []string{`"Ana Lima"`, `"Bo Chen"`}},
		// nil pointer and nil slice: the value and the list are absent.
		{row: 1, wantTitle: []string{"null(def=0)"}, wantAuthors: []string{"null(def=0)"}},
		// "" and an empty slice are known values: an empty string and a
		// present list without elements.
		{row: 2, wantTitle: []string{`""`}, wantAuthors: []string{"null(def=1)"}},
	}
	for _, tt := range tests {
		t.Run(reviews[tt.row].ReviewID, func(t *testing.T) {
			if got := values(rows[tt.row], titleCol); !slices.Equal(got, tt.wantTitle) {
				t.Errorf("title = %v, want %v", got, tt.wantTitle)
			}
			if got := values(rows[tt.row], authorsCol); !slices.Equal(got, tt.wantAuthors) {
				t.Errorf("authors = %v, want %v", got, tt.wantAuthors)
			}
		})
	}
}

func TestParquetFileMetadata(t *testing.T) {
	cfg := parquetTestConfig(t)
	s := newParquetForTest(t, cfg, "20240309T221530Z-abc")
	ctx := context.Background()
	if err := s.Write(ctx, parquetTestReviews()); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := s.WriteRejects(ctx, parquetTestRejects()); err != nil {
		t.Fatalf("WriteRejects: %v", err)
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	for _, dir := range []string{cfg.Path, cfg.RejectsDir()} {
		files := parquetFiles(t, dir)
		wantName := "part-20240309T221530Z-abc-00000.parquet"
		if len(files) != 1 || filepath.Base(files[0]) != wantName {
			t.Fatalf("files in %s = %v, want [%s]", dir, files, wantName)
		}
		pf := parquetOpenFile(t, files[0])
		for key, want := range map[string]string{
			"reviewpipe.schema_version": ParquetSchemaVersion,
			"reviewpipe.run_id":         "20240309T221530Z-abc",
		} {
			if got, ok := pf.Lookup(key); !ok || got != want {
				t.Errorf("%s: metadata %s = %q (present %v), want %q", dir, key, got, ok, want)
			}
		}
	}

	// The physical and logical types readers rely on.
	pf := parquetOpenFile(t, parquetFiles(t, cfg.Path)[0])
	tests := []struct {
		path     []string
		kind     parquet.Kind
		logical  string
		optional bool
	}{
		{[]string{"review_id"}, parquet.ByteArray, "STRING", false},
		{[]string{"title"}, parquet.ByteArray, "STRING", true},
		{[]string{"authors", "list", "element"}, parquet.ByteArray, "STRING", false},
		{[]string{"published_at"}, parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", true},
		{[]string{"fetched_at"}, parquet.Int64, "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)", false},
		{[]string{"word_count"}, parquet.Int64, "INT(64,true)", false},
		{[]string{"item_year"}, parquet.Int32, "INT(32,true)", true},
		{[]string{"comment_count"}, parquet.Int32, "INT(32,true)", false},
		{[]string{"rating"}, parquet.Double, "", true},
		{[]string{"rating_value"}, parquet.Double, "", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.path, "."), func(t *testing.T) {
			leaf, ok := pf.Schema().Lookup(tt.path...)
			if !ok {
				t.Fatalf("no column %v", tt.path)
			}
			typ := leaf.Node.Type()
			if typ.Kind() != tt.kind {
				t.Errorf("kind = %v, want %v", typ.Kind(), tt.kind)
			}
			got := ""
			if lt := typ.LogicalType(); lt != nil {
				got = lt.String()
			}
			if got != tt.logical {
				t.Errorf("logical type = %q, want %q", got, tt.logical)
			}
			if leaf.Node.Optional() != tt.optional {
				t.Errorf("optional = %v, want %v", leaf.Node.Optional(), tt.optional)
			}
		})
	}
	authors, ok := pf.Schema().Lookup("authors", "list", "element")
	if !ok || authors.MaxDefinitionLevel != 2 || authors.MaxRepetitionLevel != 1 {
		t.Errorf("authors element levels = def %d rep %d, want an optional LIST of required strings (def 2, rep 1)", authors.MaxDefinitionLevel, authors.MaxRepetitionLevel)
	}
}

// TestParquetCompression checks that the configured codec reaches every
// column, including body, which record.Review pins to zstd in its tag.
func TestParquetCompression(t *testing.T) {
	tests := []struct {
		compression string
		want        format.CompressionCodec
	}{
		{"zstd", format.Zstd},
		{"snappy", format.Snappy},
		{"gzip", format.Gzip},
		{"lz4", format.Lz4Raw},
		{"none", format.Uncompressed},
	}
	for _, tt := range tests {
		t.Run(tt.compression, func(t *testing.T) {
			cfg := parquetTestConfig(t)
			cfg.Compression = tt.compression
			s := newParquetForTest(t, cfg, "run1")
			ctx := context.Background()
			if err := s.Write(ctx, parquetTestReviews()); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if err := s.WriteRejects(ctx, parquetTestRejects()); err != nil {
				t.Fatalf("WriteRejects: %v", err)
			}
			if err := s.Commit(ctx); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			for _, dir := range []string{cfg.Path, cfg.RejectsDir()} {
				for _, p := range parquetFiles(t, dir) {
					md := parquetOpenFile(t, p).Metadata()
					for _, rg := range md.RowGroups {
						for _, c := range rg.Columns {
							if c.MetaData.Codec != tt.want {
								t.Errorf("%s: column %v codec = %v, want %v", filepath.Base(dir), c.MetaData.PathInSchema, c.MetaData.Codec, tt.want)
							}
						}
					}
				}
			}
			if got := parquetRead[record.Review](t, cfg.Path); !reflect.DeepEqual(got, parquetWant(parquetTestReviews())) {
				t.Errorf("round trip with %s differs", tt.compression)
			}
		})
	}
}
