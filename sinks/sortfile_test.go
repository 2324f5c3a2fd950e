package sinks

import (
	"bytes"
	"cmp"
	"fmt"
	"testing"

	"github.com/parquet-go/parquet-go"
)

type sortRow struct {
	Key int64  `parquet:"key"`
	Seq int64  `parquet:"seq"`
	Pad string `parquet:"pad"`
}

// TestSortedEncoderMerges writes rows in scrambled order through runs of
// a few rows each: the file holds every row in key order, equal keys in
// the order they were written (stable across runs), in row groups of the
// configured size, with the sorting columns declared.
func TestSortedEncoderMerges(t *testing.T) {
	for _, tt := range []struct{ rows, runRows int }{{0, 7}, {5, 7}, {7, 7}, {1000, 7}, {1000, 64}, {3000, 1000}} {
		t.Run(fmt.Sprintf("%d rows, runs of %d", tt.rows, tt.runRows), func(t *testing.T) {
			var buf bytes.Buffer
			opts := []parquet.WriterOption{parquet.MaxRowsPerRowGroup(100), parquet.SortingWriterConfig(parquet.SortingColumns(parquet.Ascending("key")))}
			e := newSortedEncoder[sortRow](&buf, func(a, b *sortRow) int { return cmp.Compare(a.Key, b.Key) }, opts)
			e.runRows = tt.runRows
			for i := 0; i < tt.rows; i += 13 {
				var batch []sortRow
				for j := i; j < min(i+13, tt.rows); j++ {
					batch = append(batch, sortRow{Key: int64(j*7919) % 37, Seq: int64(j), Pad: fmt.Sprint(j)})
				}
				if n, err := e.Write(batch); err != nil || n != len(batch) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			got := make([]sortRow, f.NumRows())
			if f.NumRows() > 0 {
				r := parquet.NewGenericReader[sortRow](f)
				if n, _ := r.Read(got); n != len(got) {
					t.Fatalf("read %d of %d rows", n, len(got))
				}
			}
			if len(got) != tt.rows {
				t.Fatalf("%d rows, want %d", len(got), tt.rows)
			}
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if a.Key > b.Key || a.Key == b.Key && a.Seq > b.Seq {
					t.Fatalf("rows %d, %d out of order: %+v then %+v", i-1, i, a, b)
				}
			}
			for i, rg := range f.Metadata().RowGroups {
				if rg.NumRows > 100 {
					t.Errorf("row group %d has %d rows, want at most 100", i, rg.NumRows)
				}
				if len(rg.SortingColumns) != 1 {
					t.Errorf("row group %d sorting columns %v, want key", i, rg.SortingColumns)
				}
			}
		})
	}
}
