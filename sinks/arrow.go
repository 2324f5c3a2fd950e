package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/reviewpipe/reviewpipe/internal/keyset"
	"github.com/reviewpipe/reviewpipe/internal/record"
)

// arrowBatchRows is how many rows an Arrow file holds per record batch:
// the unit a reader maps at once.
const arrowBatchRows = 10_000

// arrowColumn maps one record field to an Arrow field and appends its
// values.
type arrowColumn struct {
	index  int
	field  arrow.Field
	append func(b array.Builder, v reflect.Value)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	tsType   = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

// arrowSchema derives the Arrow schema of T from its parquet tags, with the
// types the Parquet files have: timestamps in µs UTC, lists, nullable
// pointers.
func arrowSchema(t reflect.Type) (*arrow.Schema, []arrowColumn, error) {
	var fields []arrow.Field
	var cols []arrowColumn
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("parquet"), ",")
		if name == "" || name == "-" {
			continue
		}
		dt, nullable, app, err := arrowType(f.Type)
		if err != nil {
			return nil, nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		af := arrow.Field{Name: name, Type: dt, Nullable: nullable}
		fields = append(fields, af)
		cols = append(cols, arrowColumn{index: i, field: af, append: app})
	}
	return arrow.NewSchema(fields, nil), cols, nil
}

func arrowType(t reflect.Type) (arrow.DataType, bool, func(array.Builder, reflect.Value), error) {
	switch {
	case t == timeType:
		return tsType, false, func(b array.Builder, v reflect.Value) {
			b.(*array.TimestampBuilder).Append(arrow.Timestamp(v.Interface().(time.Time).UnixMicro()))
		}, nil
	case t.Kind() == reflect.Pointer:
		dt, _, app, err := arrowType(t.Elem())
		if err != nil {
			return nil, false, nil, err
		}
		return dt, true, func(b array.Builder, v reflect.Value) {
			if v.IsNil() {
				b.AppendNull()
				return
			}
			app(b, v.Elem())
		}, nil
	case t.Kind() == reflect.Slice:
		et, _, app, err := arrowType(t.Elem())
		if err != nil {
			return nil, false, nil, err
		}
		return arrow.ListOf(et), true, func(b array.Builder, v reflect.Value) {
			lb := b.(*array.ListBuilder)
			if v.IsNil() {
				lb.AppendNull()
				return
			}
			lb.Append(true)
			for j := range v.Len() {
				app(lb.ValueBuilder(), v.Index(j))
			}
		}, nil
	case t.Kind() == reflect.Struct:
		_, cols, err := arrowSchema(t)
		if err != nil {
			return nil, false, nil, err
		}
		fields := make([]arrow.Field, len(cols))
		for i, c := range cols {
			fields[i] = c.field
		}
		return arrow.StructOf(fields...), false, func(b array.Builder, v reflect.Value) {
			sb := b.(*array.StructBuilder)
			sb.Append(true)
			for i, c := range cols {
				c.append(sb.FieldBuilder(i), v.Field(c.index))
			}
		}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return arrow.BinaryTypes.String, false, func(b array.Builder, v reflect.Value) { b.(*array.StringBuilder).Append(v.String()) }, nil
	case reflect.Int64:
		return arrow.PrimitiveTypes.Int64, false, func(b array.Builder, v reflect.Value) { b.(*array.Int64Builder).Append(v.Int()) }, nil
	case reflect.Int32:
		return arrow.PrimitiveTypes.Int32, false, func(b array.Builder, v reflect.Value) { b.(*array.Int32Builder).Append(int32(v.Int())) }, nil
	case reflect.Float64:
		return arrow.PrimitiveTypes.Float64, false, func(b array.Builder, v reflect.Value) { b.(*array.Float64Builder).Append(v.Float()) }, nil
	case reflect.Bool:
		return arrow.FixedWidthTypes.Boolean, false, func(b array.Builder, v reflect.Value) { b.(*array.BooleanBuilder).Append(v.Bool()) }, nil
	}
	return nil, false, nil, fmt.Errorf("no Arrow type for %s", t)
}

// arrowEncoder writes rows as Arrow IPC: the file format (Feather v2) for
// dataset files, the stream format for stdout.
type arrowEncoder[T any] struct {
	cols    []arrowColumn
	builder *array.RecordBuilder
	w       interface {
		Write(arrow.RecordBatch) error
		Close() error
	}
	pending int
}

func newArrowEncoder[T any](w io.Writer, codec string, stream bool, meta map[string]string) (*arrowEncoder[T], error) {
	schema, cols, err := arrowSchema(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	if len(meta) > 0 {
		md := arrow.MetadataFrom(meta)
		schema = arrow.NewSchema(schema.Fields(), &md)
	}
	opts := []ipc.Option{ipc.WithSchema(schema)}
	switch codec {
	case "zstd":
		opts = append(opts, ipc.WithZstd())
	case "lz4":
		opts = append(opts, ipc.WithLZ4())
	}
	e := &arrowEncoder[T]{cols: cols, builder: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
	if stream {
		e.w = ipc.NewWriter(w, opts...)
	} else {
		fw, err := ipc.NewFileWriter(w, opts...)
		if err != nil {
			return nil, err
		}
		e.w = fw
	}
	return e, nil
}

func (e *arrowEncoder[T]) Write(rows []T) (int, error) {
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		for j, c := range e.cols {
			c.append(e.builder.Field(j), v.Field(c.index))
		}
		e.pending++
		if e.pending >= arrowBatchRows {
			if err := e.flush(); err != nil {
				return i + 1, err
			}
		}
	}
	return len(rows), nil
}

func (e *arrowEncoder[T]) flush() error {
	if e.pending == 0 {
		return nil
	}
	rec := e.builder.NewRecordBatch()
	defer rec.Release()
	e.pending = 0
	return e.w.Write(rec)
}

func (e *arrowEncoder[T]) Close() error {
	err := e.flush()
	e.builder.Release()
	if cerr := e.w.Close(); err == nil {
		err = cerr
	}
	return err
}

// loadArrowKeys adds the review keys of an Arrow file.
func loadArrowKeys(f ipc.ReadAtSeeker, path string, keys *keyset.Set) error {
	r, err := ipc.NewFileReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	idIdx := r.Schema().FieldIndices("review_id")
	hashIdx := r.Schema().FieldIndices("content_hash")
	if len(idIdx) != 1 || len(hashIdx) != 1 {
		return fmt.Errorf("%s: no review_id and content_hash columns", path)
	}
	for i := range r.NumRecords() {
		rec, err := r.RecordBatch(i)
		if err != nil {
			return fmt.Errorf("%s: record batch %d: %w", path, i, err)
		}
		ids, hashes := rec.Column(idIdx[0]).(*array.String), rec.Column(hashIdx[0]).(*array.String)
		for j := range int(rec.NumRows()) {
			keys.Add(reviewKey{ids.Value(j), hashes.Value(j)}.key())
		}
	}
	return nil
}

// ArrowStream is the arrow sink with path "-": the reviews as an Arrow IPC
// stream on a writer (the process's stdout), a record batch per batch
// written, so `reviewpipe run | python …` reads them as they come. A
// stream cannot be taken back: Abort ends it like Commit, and the reader
// sees what was sent (the run's exit code says it failed). The other
// datasets are not streamed.
type ArrowStream struct {
	mu  sync.Mutex
	enc *arrowEncoder[record.Review]
	w   io.Writer
	err error
}

var _ Sink = (*ArrowStream)(nil)

// NewArrowStream returns a stream sink on w.
func NewArrowStream(w io.Writer) *ArrowStream { return &ArrowStream{w: w} }

func (s *ArrowStream) Write(ctx context.Context, batch []record.Review) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.enc == nil && s.err == nil {
		s.enc, s.err = newArrowEncoder[record.Review](s.w, "none", true, map[string]string{
			"reviewpipe.schema_version": ParquetSchemaVersion, "reviewpipe.version": record.Version()})
	}
	if s.err != nil {
		return s.err
	}
	if _, err := s.enc.Write(batch); err != nil {
		s.err = fmt.Errorf("arrow stream: %w", err)
		return s.err
	}
	if err := s.enc.flush(); err != nil {
		s.err = fmt.Errorf("arrow stream: %w", err)
	}
	return s.err
}

// Commit ends the stream; a run without reviews still sends the schema.
func (s *ArrowStream) Commit(ctx context.Context) error {
	if err := s.Write(ctx, nil); err != nil {
		return err
	}
	return s.end()
}

func (s *ArrowStream) Abort() error { return s.end() }

func (s *ArrowStream) end() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.enc == nil {
		return s.err
	}
	err := s.enc.Close()
	s.enc = nil
	if s.err == nil {
		s.err = errors.New("arrow stream: already ended") // later writes fail
	}
	return err
}
