package sinks

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"
)

// fileFormat is the encoding of a sink's files. The zero value is
// Parquet, so a ParquetConfig decoded from YAML means Parquet.
type fileFormat string

const (
	formatParquet fileFormat = ""
	formatJSONL   fileFormat = "jsonl"
	formatArrow   fileFormat = "arrow"
)

func (f fileFormat) String() string {
	if f == formatParquet {
		return "parquet"
	}
	return string(f)
}

// FormatName is the sink's file format: parquet, jsonl or arrow.
func (c ParquetConfig) FormatName() string { return c.format.String() }

// ext is the file name extension, compression included.
func (f fileFormat) ext() string {
	switch f {
	case formatJSONL:
		return ".jsonl.gz"
	case formatArrow:
		return ".arrow"
	}
	return ".parquet"
}

func (f fileFormat) codecs() []string {
	switch f {
	case formatJSONL:
		return []string{"gzip"}
	case formatArrow:
		return []string{"zstd", "lz4", "none"}
	}
	return []string{"zstd", "snappy", "gzip", "lz4", "none"}
}

// rowEncoder writes rows to one file; Close finishes the file (a footer,
// a gzip trailer) without closing the underlying writer.
type rowEncoder[T any] interface {
	Write(rows []T) (int, error)
	Close() error
}

// fileSort is the order of a dataset's Parquet files: the declared
// sorting columns and the comparator that puts rows in that order.
type fileSort[T any] struct {
	columns []parquet.SortingColumn
	cmp     func(a, b *T) int
}

func newEncoder[T any](f fileFormat, codec string, w io.Writer, opts []parquet.WriterOption, meta map[string]string, sorting *fileSort[T]) (rowEncoder[T], error) {
	switch f {
	case formatParquet:
		if sorting != nil {
			// The whole file is in order and says so in its
			// sorting_columns, in bounded memory (sortedEncoder).
			opts = append(slices.Clip(opts), parquet.SortingWriterConfig(parquet.SortingColumns(sorting.columns...)))
			return newSortedEncoder[T](w, sorting.cmp, opts), nil
		}
		return parquet.NewGenericWriter[T](w, opts...), nil
	case formatJSONL:
		return newJSONLEncoder[T](w), nil
	case formatArrow:
		return newArrowEncoder[T](w, codec, false, meta)
	}
	return nil, fmt.Errorf("unknown file format %q", f)
}

// jsonlEncoder writes one JSON object per line, gzip-compressed, with the
// field names of the Parquet columns (the records' json tags).
type jsonlEncoder[T any] struct {
	zw  *gzip.Writer
	bw  *bufio.Writer
	enc *json.Encoder
}

func newJSONLEncoder[T any](w io.Writer) *jsonlEncoder[T] {
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // bodies quote HTML-ish text; keep it readable
	return &jsonlEncoder[T]{zw: zw, bw: bw, enc: enc}
}

func (e *jsonlEncoder[T]) Write(rows []T) (int, error) {
	for i := range rows {
		row := rows[i]
		utcMicros(reflect.ValueOf(&row).Elem())
		if err := e.enc.Encode(&row); err != nil {
			return i, err
		}
	}
	return len(rows), nil
}

// utcMicros sets the timestamps of the struct v to UTC, truncated to the
// microsecond, as Parquet and Arrow store them, so that every format
// gives the same instant to the digit. A pointer is replaced, not
// written through: the caller's row is not changed.
func utcMicros(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == timeType:
			f.Set(reflect.ValueOf(f.Interface().(time.Time).UTC().Truncate(time.Microsecond)))
		case f.Type() == reflect.PointerTo(timeType) && !f.IsNil():
			t := f.Elem().Interface().(time.Time).UTC().Truncate(time.Microsecond)
			f.Set(reflect.ValueOf(&t))
		}
	}
}

func (e *jsonlEncoder[T]) Close() error {
	if err := e.bw.Flush(); err != nil {
		return err
	}
	return e.zw.Close()
}
